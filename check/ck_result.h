/* ck_result: the outcome of one check, with Telegraf's SIP input names.
 *
 * The result types and their codes are the table of Telegraf's inputs.sip
 * plugin (README "Result Types and Codes"); they are stable output: never
 * renumber one.  A ck_result owns its strings (g_free'd by
 * ck_result_clear); absent tags are NULL, absent numbers negative.
 */
#ifndef CK_RESULT_H
#define CK_RESULT_H

#include <glib.h>
#include <stdint.h>

/* name, code, what it means */
#define CK_RESULT_TYPES(X) \
    X(success, 0, "request completed successfully") \
    X(response_code_mismatch, 1, "response received but its code is not the expected one") \
    X(timeout, 2, "no final response within the timeout") \
    X(connection_refused, 3, "connection refused by the server (TCP RST or ICMP port unreachable)") \
    X(connection_failed, 4, "connection failed (resolution, TLS, WebSocket or another network error)") \
    X(no_response, 5, "the server closed the connection without a response") \
    X(parse_error, 6, "the server URI cannot be parsed") \
    X(request_error, 7, "the SIP request cannot be built or sent") \
    X(transaction_error, 8, "SIP transaction error (malformed or unusable response)") \
    X(no_route, 9, "no route to host") \
    X(network_unreachable, 10, "network is unreachable") \
    X(error_response, 11, "error response (not 2xx) when any 2xx is expected") \
    X(auth_required, 12, "authentication required but no credentials given") \
    X(auth_failed, 13, "the server refused the credentials") \
    X(auth_error, 14, "credentials cannot be read, or the challenge cannot be answered")

#define CK_X_RESULT_ENUM(name, code, what) CK_RESULT_##name = code,
typedef enum ck_result_type {
    CK_RESULT_TYPES(CK_X_RESULT_ENUM)
    CK_RESULT__COUNT
} ck_result_type;

const char *ck_result_name(ck_result_type t);
const char *ck_result_what(ck_result_type t);

typedef struct ck_result {
    /* tags */
    char *server;           /* the target as given on the command line */
    const char *method;     /* static: "OPTIONS"... */
    const char *transport;  /* static: "udp", "tcp", "tls", "ws", "wss"; NULL before known */
    char *sip_uri;          /* the Request-URI sent; NULL before known */
    int status_code;        /* -1 when no response */
    char *reason;           /* reason phrase; NULL when none or empty */
    char *server_agent;     /* Server header; NULL when absent */
    /* fields */
    double response_time;   /* seconds; < 0 when not measured */
    int response_code_match;/* 0 or 1; -1 when no final response */
    ck_result_type type;
    /* time of the round, wall clock, microseconds since the epoch */
    int64_t timestamp_us;
} ck_result;

void ck_result_init(ck_result *r);
void ck_result_clear(ck_result *r);

#endif

/* ck_result: result type names and result lifetime, see ck_result.h. */
#include "config.h"

#include "ck_result.h"

#define CK_X_RESULT_NAME(name, code, what) [code] = #name,
#define CK_X_RESULT_WHAT(name, code, what) [code] = what,
static const char *const result_names[CK_RESULT__COUNT] = {CK_RESULT_TYPES(CK_X_RESULT_NAME)};
static const char *const result_what[CK_RESULT__COUNT] = {CK_RESULT_TYPES(CK_X_RESULT_WHAT)};

const char *ck_result_name(ck_result_type t)
{
    return (unsigned)t < CK_RESULT__COUNT ? result_names[t] : "unknown";
}

const char *ck_result_what(ck_result_type t)
{
    return (unsigned)t < CK_RESULT__COUNT ? result_what[t] : "";
}

void ck_result_init(ck_result *r)
{
    *r = (ck_result){0};
    r->status_code = -1;
    r->response_time = -1;
    r->response_code_match = -1;
}

void ck_result_clear(ck_result *r)
{
    g_free(r->server);
    g_free(r->sip_uri);
    g_free(r->reason);
    g_free(r->server_agent);
    ck_result_init(r);
}

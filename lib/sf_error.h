/* sf_error: the GError domain of setup code, and what each code means for
 * the exit status (documented in sipflow(8), EXIT STATUS). */
#ifndef SF_ERROR_H
#define SF_ERROR_H

#include <glib.h>

#define SF_ERROR (sf_error_quark())
GQuark sf_error_quark(void);

typedef enum sf_error_code {
    SF_ERROR_RUNTIME = 1,   /* anything else that stops the run */
    SF_ERROR_USAGE = 2,     /* bad option, value, template or filter */
    SF_ERROR_INPUT = 3,     /* capture file missing, unreadable or not a capture */
    SF_ERROR_IFACE = 4,     /* interface unknown, down, or no permission */
    SF_ERROR_OUTPUT = 5,    /* an output (IPFIX, JSON, dump, stats) cannot be opened */
} sf_error_code;

/* The exit status for an error from any domain (GOption errors are usage). */
int sf_error_exit_status(const GError *err);

#endif

/* sf_error: error domain and exit statuses, see sf_error.h. */
#include "config.h"

#include "sf_error.h"

G_DEFINE_QUARK(sipflow-error-quark, sf_error)

int sf_error_exit_status(const GError *err)
{
    if (!err)
        return 0;
    if (err->domain == SF_ERROR && err->code >= SF_ERROR_RUNTIME && err->code <= SF_ERROR_OUTPUT)
        return err->code;
    if (err->domain == G_OPTION_ERROR)
        return SF_ERROR_USAGE;
    return SF_ERROR_RUNTIME;
}

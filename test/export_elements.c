/* export_elements: print sipflow's enterprise elements (the PEN rows of
 * templates/elements.def) in the formats the independent decoders read, so
 * the tests teach them OUR table:
 *   xml      ipfixDump -e (IANA registry XML with cert:enterpriseId)
 *   iespec   python3-ipfix / ipfix2csv -s ("NAME(PEN/ID)<type>[len]")
 *   pmacct   nfacctd aggregate_primitives
 * IANA elements (PEN 0) are left out: every decoder knows them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sf_fields.h"

static const sf_field_def defs[] = {
#define SF_IE_CORE(name, pen, id, type, len, ie, descr) { #name, pen, id, SF_FT_##type, len, ie, descr },
#define SF_IE_SIP(name, pen, id, type, len, ie, descr) { #name, pen, id, SF_FT_##type, len, ie, descr },
#include "templates/elements.def"
#undef SF_IE_SIP
#undef SF_IE_CORE
};

static const char *pmacct_semantics(sf_ftype t)
{
    switch (t) {
    case SF_FT_STRING:
        return "str";
    case SF_FT_IPV4:
    case SF_FT_IPV6:
        return "ip";
    default:
        return "u_int";
    }
}

static void xml_text(const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", stdout);
        else if (*s == '>')
            fputs("&gt;", stdout);
        else if (*s == '&')
            fputs("&amp;", stdout);
        else
            putchar(*s);
    }
}

int main(int argc, char **argv)
{
    const char *fmt = argc > 1 ? argv[1] : "";
    gboolean xml = strcmp(fmt, "xml") == 0;

    if (!xml && strcmp(fmt, "iespec") != 0 && strcmp(fmt, "pmacct") != 0) {
        fprintf(stderr, "usage: export_elements xml|iespec|pmacct\n");
        return 2;
    }
    if (xml)
        puts("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<registry id=\"sipflow\" xmlns=\"http://www.iana.org/assignments\" "
             "xmlns:cert=\"http://www.cert.org/ipfix\">\n"
             "  <title>sipflow enterprise elements (templates/elements.def)</title>\n"
             "  <registry id=\"sipflow-information-elements\">\n"
             "    <title>sipflow elements</title>");
    for (size_t i = 0; i < G_N_ELEMENTS(defs); i++) {
        const sf_field_def *d = &defs[i];
        char lower[64];
        if (d->pen == 0)
            continue;
        if (xml) {
            printf("    <record>\n      <name>%s</name>\n      <dataType>%s</dataType>\n"
                   "      <cert:enterpriseId>%u</cert:enterpriseId>\n      <elementId>%u</elementId>\n"
                   "      <description><paragraph>",
                   d->ie_name, sf_ftype_name(d->type), d->pen, d->id);
            xml_text(d->descr);
            puts("</paragraph></description>\n    </record>");
        } else if (fmt[0] == 'i') {
            printf("%s(%u/%u)<%s>[%u]\n", d->ie_name, d->pen, d->id, sf_ftype_name(d->type),
                   d->type == SF_FT_STRING ? 65535u : d->len);
        } else {
            g_strlcpy(lower, d->ie_name, sizeof lower);
            for (char *c = lower; *c; c++)
                *c = g_ascii_tolower(*c);
            if (d->type == SF_FT_STRING)
                printf("name=%s field_type=%u:%u len=vlen semantics=str\n", lower, d->pen, d->id);
            else
                printf("name=%s field_type=%u:%u len=%u semantics=%s\n", lower, d->pen, d->id, d->len,
                       pmacct_semantics(d->type));
        }
    }
    if (xml)
        puts("  </registry>\n</registry>");
    return 0;
}

/* dissect_pcap: test helper.  `dissect_pcap FILE...` decodes every frame of
 * each capture (pcap / pcapng, or a PcapPlusPlus .dat file: one Ethernet
 * frame as a hex string) with the probe's decoder and prints, for every UDP
 * datagram or TCP segment with a payload, one JSON line: "file" is
 * "NAME#FRAME" (frames counted from 1, as tshark does), "transport", then
 * what sip_dissect_json() says about the payload parsed as one datagram.
 * No reassembly: the captures it is used on carry one message per packet.
 * Exit 0, or 2 when a file cannot be read.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "sf_decode.h"
#include "sip_dissect.h"

static void one_packet(const char *name, unsigned frame, int linktype, const uint8_t *b, uint32_t caplen,
                       sip_msg *m, GString *out)
{
    sf_decoder d;
    sf_packet pkt;
    sf_frag_view fv;
    sf_json j;
    sip_parse_result r;

    memset(&pkt, 0, sizeof pkt);
    sf_decoder_init(&d, linktype);
    if (sf_decode_frame(&d, b, caplen, &pkt, &fv) != SF_DECODE_OK || pkt.payload_len == 0)
        return;
    g_string_truncate(out, 0);
    sf_json_init(&j, out);
    sf_json_object_begin(&j);
    {
        char *id = g_strdup_printf("%s#%u", name, frame);
        sf_json_kv_cstr(&j, "file", id);
        g_free(id);
    }
    sf_json_kv_cstr(&j, "transport", pkt.transport == SF_TRANSPORT_TCP ? "tcp" : "udp");
    r = sip_msg_parse((const char *)pkt.payload, pkt.payload_len, SIP_FRAMING_DATAGRAM, m);
    sip_dissect_json(m, r, &j);
    sf_json_object_end(&j);
    puts(out->str);
}

static gboolean hex_file(const char *path, const char *name, sip_msg *m, GString *out)
{
    gchar *text;
    gsize len, n = 0;
    uint8_t *b;

    if (!g_file_get_contents(path, &text, &len, NULL))
        return FALSE;
    b = g_malloc(len / 2 + 1);
    for (gsize i = 0; i + 1 < len; i += 2) {
        int hi = g_ascii_xdigit_value(text[i]), lo = g_ascii_xdigit_value(text[i + 1]);
        if (hi < 0 || lo < 0)
            break;
        b[n++] = (uint8_t)(hi * 16 + lo);
    }
    one_packet(name, 1, DLT_EN10MB, b, (uint32_t)n, m, out);
    g_free(b);
    g_free(text);
    return TRUE;
}

int main(int argc, char **argv)
{
    sip_msg *m = g_new(sip_msg, 1);
    GString *out = g_string_new(NULL);
    int status = 0;

    for (int i = 1; i < argc; i++) {
        char errbuf[PCAP_ERRBUF_SIZE];
        gchar *name = g_path_get_basename(argv[i]);
        pcap_t *p;

        if (g_str_has_suffix(argv[i], ".dat")) {
            if (!hex_file(argv[i], name, m, out)) {
                fprintf(stderr, "dissect_pcap: cannot read %s\n", argv[i]);
                status = 2;
            }
        } else if (!(p = pcap_open_offline(argv[i], errbuf))) {
            fprintf(stderr, "dissect_pcap: %s\n", errbuf);
            status = 2;
        } else {
            struct pcap_pkthdr *h;
            const u_char *b;
            unsigned frame = 0;
            while (pcap_next_ex(p, &h, &b) == 1)
                one_packet(name, ++frame, pcap_datalink(p), b, h->caplen, m, out);
            pcap_close(p);
        }
        g_free(name);
    }
    g_string_free(out, TRUE);
    g_free(m);
    return status;
}

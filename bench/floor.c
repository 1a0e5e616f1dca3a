/* floor: the cost of reading a capture at all.  A bare libpcap loop that
 * counts the packets with pcap_next_ex(); `make bench` compares every
 * other program's time with this one, measured in the same run.
 *
 * Usage: floor FILE...   Prints "FILE: N packets, B bytes" per file.
 * Exit status 0, or 1 when a file cannot be read. */
#include "config.h"

#include <pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    int status = 0;

    for (int i = 1; i < argc; i++) {
        pcap_t *p = pcap_open_offline(argv[i], err);
        struct pcap_pkthdr *h;
        const u_char *data;
        unsigned long long packets = 0, bytes = 0;
        int r;

        if (!p) {
            fprintf(stderr, "floor: %s\n", err);
            status = 1;
            continue;
        }
        while ((r = pcap_next_ex(p, &h, &data)) == 1) {
            packets++;
            bytes += h->caplen;
        }
        if (r == PCAP_ERROR) {
            fprintf(stderr, "floor: %s: %s\n", argv[i], pcap_geterr(p));
            status = 1;
        }
        printf("%s: %llu packets, %llu bytes\n", argv[i], packets, bytes);
        pcap_close(p);
    }
    return status;
}

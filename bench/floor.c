/* floor: the cost of reading a capture at all.  A bare libpcap loop that
 * counts the packets with pcap_next_ex(); `make bench` compares every
 * other program's time with this one, measured in the same run.
 *
 * Usage: floor [-b BYTES] FILE...   Prints "FILE: N packets, B bytes" per
 * file.  With -b, libpcap reads the file through a stdio buffer of BYTES
 * (sipflow's is 1 MiB, see lib/sf_capture.c); without, through the default
 * one (st_blksize, 4 KiB): that bare loop is the floor issue 7 measures
 * against, the other shows how much of a gap is the buffer alone.
 * Exit status 0, or 1 when a file cannot be read. */
#include "config.h"

#include <pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pcap_t *open_file(const char *path, size_t bufsize, char **buf, char *err)
{
    FILE *f;
    pcap_t *p;

    *buf = NULL;
    if (bufsize == 0)
        return pcap_open_offline(path, err);
    f = fopen(path, "rb");
    if (!f) {
        snprintf(err, PCAP_ERRBUF_SIZE, "%s: cannot open", path);
        return NULL;
    }
    *buf = malloc(bufsize);
    if (*buf)
        setvbuf(f, *buf, _IOFBF, bufsize);
    p = pcap_fopen_offline(f, err);
    if (!p) {
        fclose(f);
        free(*buf);
        *buf = NULL;
    }
    return p;
}

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    int status = 0, first = 1;
    size_t bufsize = 0;

    if (argc > 2 && strcmp(argv[1], "-b") == 0) {
        bufsize = (size_t)strtoul(argv[2], NULL, 10);
        first = 3;
    }
    for (int i = first; i < argc; i++) {
        char *buf;
        pcap_t *p = open_file(argv[i], bufsize, &buf, err);
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
        free(buf);
    }
    return status;
}

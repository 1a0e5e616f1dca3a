/* sf_capture: libpcap input, see sf_capture.h. */
#include "config.h"

#include "sf_capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sf_error.h"
#include "sf_log.h"

struct sf_capture {
    pcap_t *p;
    char *name;
    gboolean live;
    int fd;                     /* live: what poll() waits on, or -1 */
    int64_t file_size;          /* -1 when unknown */
    char *file_buf;             /* the capture file's stdio buffer (freed after pcap_close) */
    sf_capture_fn fn;
    void *ctx;
};

static gboolean set_filter(sf_capture *c, const char *bpf, GError **err)
{
    struct bpf_program prog;

    if (!bpf || !*bpf)
        return TRUE;
    if (pcap_compile(c->p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "invalid filter '%s': %s", bpf, pcap_geterr(c->p));
        return FALSE;
    }
    if (pcap_setfilter(c->p, &prog) != 0) {
        g_set_error(err, SF_ERROR, SF_ERROR_USAGE, "cannot apply filter '%s': %s", bpf, pcap_geterr(c->p));
        pcap_freecode(&prog);
        return FALSE;
    }
    pcap_freecode(&prog);
    return TRUE;
}

/* stdio buffer of a capture file: libpcap reads each record with two
 * fread()s, and the default buffer (4 KiB, st_blksize) costs a read() every
 * 7 SIP packets; 1 MiB makes it one per 1,700.  (glibc ignores the size of
 * setvbuf() without a buffer: it is given one.) */
#define SF_CAPTURE_FILE_BUFFER (1u << 20)

sf_capture *sf_capture_open_file(const char *path, const sf_capture_config *cfg, GError **err)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    sf_capture *c;
    pcap_t *p;
    gboolean is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    char *buf = NULL;

    if (!fp) {
        g_set_error(err, SF_ERROR, SF_ERROR_INPUT, "cannot read capture %s: %s", path, g_strerror(errno));
        return NULL;
    }
    if (!is_stdin) {    /* (stdin outlives the capture: it keeps its own buffer) */
        buf = g_malloc(SF_CAPTURE_FILE_BUFFER);
        if (setvbuf(fp, buf, _IOFBF, SF_CAPTURE_FILE_BUFFER) != 0) {   /* before any read */
            g_free(buf);
            buf = NULL;     /* the default buffer stays */
        }
    }
    p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
    if (!p) {
        if (!is_stdin)
            fclose(fp);     /* (pcap_close() closes it once libpcap has it) */
        g_free(buf);
        /* libpcap says "unknown file format" for files that are not captures */
        /* libpcap's message often starts with the path already */
        if (is_stdin)
            g_set_error(err, SF_ERROR, SF_ERROR_INPUT, "cannot read capture from standard input: %s", ebuf);
        else if (g_str_has_prefix(ebuf, path))
            g_set_error(err, SF_ERROR, SF_ERROR_INPUT, "cannot read capture %s", ebuf);
        else
            g_set_error(err, SF_ERROR, SF_ERROR_INPUT, "cannot read capture %s: %s", path, ebuf);
        return NULL;
    }
    c = g_new0(sf_capture, 1);
    c->p = p;
    c->file_buf = buf;
    c->name = g_strdup(is_stdin ? "(stdin)" : path);
    c->file_size = -1;
    if (!is_stdin) {
        struct stat st;
        if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode))
            c->file_size = st.st_size;
    }
    if (!set_filter(c, cfg->bpf, err)) {
        sf_capture_close(c);
        return NULL;
    }
    return c;
}

sf_capture *sf_capture_open_live(const char *iface, const sf_capture_config *cfg, GError **err)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    sf_capture *c;
    pcap_t *p;
    int rc;

    p = pcap_create(iface, ebuf);
    if (!p) {
        g_set_error(err, SF_ERROR, SF_ERROR_IFACE, "cannot open interface %s: %s", iface, ebuf);
        return NULL;
    }
    pcap_set_snaplen(p, (int)(cfg->snaplen ? cfg->snaplen : SF_CAPTURE_SNAPLEN));
    pcap_set_promisc(p, cfg->promisc);
    pcap_set_timeout(p, SF_CAPTURE_READ_TIMEOUT_MS);
    pcap_set_buffer_size(p, (int)MIN((guint)2047, cfg->buffer_mb ? cfg->buffer_mb : SF_CAPTURE_DEFAULT_BUFFER_MB) << 20);
    pcap_set_immediate_mode(p, cfg->immediate);
    rc = pcap_activate(p);
    if (rc < 0) {
        const char *why;
        switch (rc) {
        case PCAP_ERROR_NO_SUCH_DEVICE: why = "no such interface"; break;
        case PCAP_ERROR_PERM_DENIED: why = "no permission to capture (run as root or grant CAP_NET_RAW)"; break;
        case PCAP_ERROR_PROMISC_PERM_DENIED: why = "no permission for promiscuous mode"; break;
        case PCAP_ERROR_IFACE_NOT_UP: why = "the interface is down"; break;
        default: why = pcap_geterr(p); break;
        }
        g_set_error(err, SF_ERROR, SF_ERROR_IFACE, "cannot capture on %s: %s%s%s", iface, why,
                    rc == PCAP_ERROR ? "" : " - ", rc == PCAP_ERROR ? "" : pcap_geterr(p));
        pcap_close(p);
        return NULL;
    }
    if (rc > 0)
        sf_warn("interface %s: %s", iface, pcap_geterr(p));
    c = g_new0(sf_capture, 1);
    c->p = p;
    c->name = g_strdup(iface);
    c->live = TRUE;
    c->fd = pcap_get_selectable_fd(p);
    c->file_size = -1;
    if (!set_filter(c, cfg->bpf, err)) {
        sf_capture_close(c);
        return NULL;
    }
    return c;
}

void sf_capture_close(sf_capture *c)
{
    if (!c)
        return;
    pcap_close(c->p);  /* closes the file first: then its buffer can go */
    g_free(c->file_buf);
    g_free(c->name);
    g_free(c);
}

int sf_capture_linktype(const sf_capture *c)
{
    return pcap_datalink(c->p);
}

gboolean sf_capture_is_live(const sf_capture *c)
{
    return c->live;
}

const char *sf_capture_name(const sf_capture *c)
{
    return c->name;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
    sf_capture *c = (sf_capture *)user;
    sf_usec ts = (sf_usec)h->ts.tv_sec * SF_USEC_PER_SEC + h->ts.tv_usec;
    c->fn(c->ctx, ts, bytes, h->caplen, h->len);
}

sf_capture_status sf_capture_dispatch(sf_capture *c, int max, sf_capture_fn fn, void *ctx, guint *n,
                                      GError **err)
{
    int rc;

    c->fn = fn;
    c->ctx = ctx;
    *n = 0;
    if (c->live && c->fd >= 0) {
        /* Linux's TPACKET_V3 hands over packets a block at a time, and
         * libpcap then waits with no time limit while no packet comes: an
         * idle link would stop the clock (timeouts, rotations, the status
         * line).  Wait here instead, at most SF_CAPTURE_IDLE_MS. */
        struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
        if (poll(&pfd, 1, SF_CAPTURE_IDLE_MS) <= 0)   /* idle, or a signal: the caller looks */
            return SF_CAPTURE_MORE;
    }
    rc = pcap_dispatch(c->p, max, on_packet, (u_char *)c);
    *n = rc > 0 ? (guint)rc : 0;
    if (rc > 0)
        return SF_CAPTURE_MORE;
    if (rc == 0)
        return c->live ? SF_CAPTURE_MORE : SF_CAPTURE_END;
    if (rc == PCAP_ERROR_BREAK)
        return SF_CAPTURE_STOPPED;
    if (!c->live && strstr(pcap_geterr(c->p), "truncated"))
        return SF_CAPTURE_TRUNCATED;
    if (!c->live && strstr(pcap_geterr(c->p), "Interrupted system call") && pcap_file(c->p)) {
        /* a signal interrupted a blocking read of a pipe before a record
         * started: nothing was consumed, so reading can go on */
        clearerr(pcap_file(c->p));
        return SF_CAPTURE_MORE;
    }
    g_set_error(err, SF_ERROR, SF_ERROR_RUNTIME, "reading %s: %s", c->name, pcap_geterr(c->p));
    return SF_CAPTURE_ERROR;
}

guint sf_capture_drain(sf_capture *c, guint max, sf_capture_fn fn, void *ctx)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    guint total = 0;
    int breaks = 0;

    if (!c->live || c->fd < 0 || pcap_setnonblock(c->p, 1, errbuf) != 0)
        return 0;
    c->fn = fn;
    c->ctx = ctx;
    /* the kernel hands over a partly filled block after the read timeout
     * (100 ms): wait a little longer than that for each block, and stop
     * when none comes or max packets were read (a busy link never empties) */
    while (total < max) {
        struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
        int rc;
        if (poll(&pfd, 1, 2 * SF_CAPTURE_READ_TIMEOUT_MS) <= 0)
            break;
        rc = pcap_dispatch(c->p, (int)MIN(max - total, 4096u), on_packet, (u_char *)c);
        if (rc == PCAP_ERROR_BREAK && ++breaks < 2)
            continue;                   /* the stop request's own break, cleared now */
        if (rc <= 0)
            break;
        total += (guint)rc;
    }
    return total;
}

void sf_capture_break(sf_capture *c)
{
    pcap_breakloop(c->p);
}

double sf_capture_progress(const sf_capture *c)
{
    FILE *fp;
    long pos;

    if (c->live || c->file_size <= 0 || !(fp = pcap_file(c->p)))
        return -1;
    pos = ftell(fp);
    return pos < 0 ? -1 : (double)pos / (double)c->file_size;
}

gboolean sf_capture_stats(sf_capture *c, uint64_t *received, uint64_t *dropped, uint64_t *ifdropped)
{
    struct pcap_stat st;

    if (!c->live || pcap_stats(c->p, &st) != 0)
        return FALSE;
    *received = st.ps_recv;
    *dropped = st.ps_drop;
    *ifdropped = st.ps_ifdrop;
    return TRUE;
}

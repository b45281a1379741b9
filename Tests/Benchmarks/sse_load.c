/*
 * sse_load — a streaming (SSE) load client for openai-mock, plus a trivial SSE server to check
 * that the client itself is not the bottleneck. Single-threaded epoll, non-blocking sockets,
 * libc only. Built by chat_bench.py with `gcc -O2 -o sse_load sse_load.c`.
 *
 * Client:
 *   sse_load --url http://127.0.0.1:PORT [--path /v1/chat/completions] (--body JSON | --body-file F)
 *            [--streams N] [--batch B] [--pace-ms MS] [--timeout S] [--json] [--dist] [--user-ts]
 *   Opens N concurrent connections (at most B of them still connecting / waiting for their first
 *   response byte at any time, so the server's listen backlog is never overrun), each POSTs the
 *   body once, and parses the chunked HTTP/1.1 response and the SSE events in it incrementally.
 *   A stream completes when `data: [DONE]` arrived and the chunked body terminated; it is lost
 *   on a connect failure, reset/EOF before that, a non-200 status, or the global timeout.
 *   Times (µs, CLOCK_MONOTONIC): TTFB and first event are measured from the connect() call;
 *   response bytes are stamped with the kernel's receive time (SO_TIMESTAMPNS), so a busy epoll
 *   round in this client does not show up as server latency (--user-ts: stamp at read time);
 *   gaps are between consecutive events of one stream; with --pace-ms, jitter is
 *   |gap − pace| over the gaps that end in a content event (text / tool-argument delta).
 *   --json prints one JSON object; --dist adds percentile rows (TTFB, gap, jitter) on stderr.
 *
 * Server (self-test reference):
 *   sse_load serve [--port P] [--events E] [--event-bytes B] [--per-event | --pace-ms MS]
 *   Answers every request with a pre-rendered 200 chunked text/event-stream of E events of about
 *   B bytes (one chunk per event, like openai-mock) + `data: [DONE]`; in one send() per wake-up, or
 *   with --per-event one event per send() round-robin over the streams (the client then pays a
 *   wake-up and a recv() per event, the worst case, as against openai-mock), or with --pace-ms one
 *   event per stream every MS ms on a drift-free timerfd schedule (the paced reference). Prints
 *   `sse_load listening on http://127.0.0.1:PORT` on stdout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- time & histograms */

static uint64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Log-linear histogram of µs values: exact below 1024, then 512 sub-buckets per power of two
 * (relative error < 0.2 %). Values up to 2^41 µs. */
#define HSUB 512
#define HBUCKETS (1024 + 32 * HSUB)
typedef struct { uint64_t n; uint64_t b[HBUCKETS]; double sum; uint64_t max; } hist_t;

static int hbucket(uint64_t v) {
    if (v < 1024) return (int)v;
    int e = 63 - __builtin_clzll(v);
    if (e > 41) { e = 41; v = (1ull << 42) - 1; }
    int m = (int)((v >> (e - 9)) - HSUB);
    return 1024 + (e - 10) * HSUB + m;
}

static double hvalue(int i) {
    if (i < 1024) return i;
    int e = (i - 1024) / HSUB + 10, m = (i - 1024) % HSUB;
    double lo = (double)((uint64_t)(m + HSUB) << (e - 9));
    return lo + (double)(1ull << (e - 9)) / 2.0;
}

static void hadd(hist_t *h, uint64_t v) {
    h->b[hbucket(v)]++;
    h->n++;
    h->sum += (double)v;
    if (v > h->max) h->max = v;
}

/* Percentile in ms (NAN-free: 0 when empty). */
static double hpct(const hist_t *h, double p) {
    if (!h->n) return 0;
    uint64_t rank = (uint64_t)(p / 100.0 * (double)h->n);
    if (rank >= h->n) rank = h->n - 1;
    uint64_t seen = 0;
    for (int i = 0; i < HBUCKETS; i++) {
        seen += h->b[i];
        if (seen > rank) return hvalue(i) / 1000.0;
    }
    return h->max / 1000.0;
}

/* ---------------------------------------------------------------- small helpers */

static void die(const char *msg) { perror(msg); exit(2); }

static void raise_nofile(long want) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
    rlim_t target = (rlim_t)want;
    if (rl.rlim_max != RLIM_INFINITY && target > rl.rlim_max) target = rl.rlim_max;
    if (target > rl.rlim_cur) {
        rl.rlim_cur = target;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static long nofile_limit(void) {
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    return (long)rl.rlim_cur;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) die("read body file");
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* ---------------------------------------------------------------- client state */

enum { S_IDLE, S_CONNECTING, S_SENDING, S_HEAD, S_BODY, S_DONE, S_LOST };
enum { CS_SIZE, CS_EXT, CS_DATA, CS_DATA_END, CS_TRAILER };
enum { L_CONNECT, L_IO, L_STATUS, L_ERROR_EVENT, L_EOF, L_TIMEOUT, L_COUNT };
static const char *lost_names[L_COUNT] = {"connect_failed", "io_error", "http_status", "error_event", "eof_early",
                                          "timeout"};

typedef struct {
    int fd;
    uint8_t state, cstate, chunked, pending; /* pending: counted in the admission window */
    uint8_t ev_data, ev_done, ev_content, ev_error, got_done;
    uint16_t status;
    size_t sent;
    int64_t content_left;   /* Content-Length bodies; -1 when chunked or close-delimited */
    uint64_t chunk_left;
    uint32_t trailer_line;  /* bytes in the current trailer line */
    uint64_t t_start, t_last_event;
    uint32_t events, content_events;
    char *head; uint32_t hlen, hcap;   /* response head until \r\n\r\n */
    char *line; uint32_t llen, lcap;   /* an SSE line split across reads */
} conn_t;

static struct {
    const char *req; size_t req_len;
    double pace_us;                       /* 0: no pacing given */
    hist_t ttfb, first_event, gap, jitter;
    uint64_t events, content_events, completed, lost[L_COUNT], bytes;
    uint64_t min_events, max_events, status_other;
    int pending, open, epfd;
    uint64_t t_last_done;
    int kernel_ts;        /* stamp reads with the kernel's receive time (SO_TIMESTAMPNS) */
    int64_t rt_minus_mono; /* µs, to map those CLOCK_REALTIME stamps onto CLOCK_MONOTONIC */
    uint64_t kts_missing;
} G;

static void buf_append(char **b, uint32_t *len, uint32_t *cap, const char *p, size_t n) {
    if (*len + n > *cap) {
        uint32_t c = *cap ? *cap : 256;
        while (c < *len + n) c *= 2;
        *b = realloc(*b, c);
        *cap = c;
    }
    memcpy(*b + *len, p, n);
    *len += (uint32_t)n;
}

static void release(conn_t *c) {
    if (c->fd >= 0) {
        close(c->fd);  /* closing removes it from the epoll set */
        G.open--;
    }
    c->fd = -1;
    if (c->pending) { c->pending = 0; G.pending--; }
    free(c->head); c->head = NULL; c->hlen = c->hcap = 0;
    free(c->line); c->line = NULL; c->llen = c->lcap = 0;
}

static void lose(conn_t *c, int why) {
    if (c->state == S_DONE || c->state == S_LOST) return;
    c->state = S_LOST;
    G.lost[why]++;
    release(c);
}

static void complete(conn_t *c, uint64_t t) {
    c->state = S_DONE;
    G.completed++;
    if (!G.min_events || c->events < G.min_events) G.min_events = c->events;
    if (c->events > G.max_events) G.max_events = c->events;
    G.t_last_done = t;
    release(c);
}

/* Is this `data:` line a content delta? (chat text / refusal / tool arguments, legacy text) */
static int is_content(const char *p, size_t n) {
    static const char *keys[] = {"\"delta\":{\"content\":\"", "\"arguments\":\"", "\"refusal\":\"", "\"text\":\""};
    for (int k = 0; k < 4; k++) {
        size_t kl = strlen(keys[k]);
        const char *q = memmem(p, n, keys[k], kl);
        if (q && q + kl < p + n && q[kl] != '"') return 1;
    }
    return 0;
}

/* One complete SSE line (without its '\n'). */
static void sse_line(conn_t *c, const char *p, size_t n, uint64_t t) {
    if (n && p[n - 1] == '\r') n--;
    if (n == 0) { /* blank line: dispatch the event */
        if (!c->ev_data) return;
        if (c->ev_done) {
            c->got_done = 1;
        } else {
            if (c->events == 0) {
                hadd(&G.first_event, t - c->t_start);
            } else {
                uint64_t gap = t - c->t_last_event;
                hadd(&G.gap, gap);
                if (G.pace_us > 0 && c->ev_content) {
                    double d = (double)gap - G.pace_us;
                    hadd(&G.jitter, (uint64_t)(d < 0 ? -d : d));
                }
            }
            c->t_last_event = t;
            c->events++;
            G.events++;
            if (c->ev_content) { c->content_events++; G.content_events++; }
        }
        c->ev_data = c->ev_done = c->ev_content = 0;
        return;
    }
    if (n >= 5 && memcmp(p, "data:", 5) == 0) {
        const char *v = p + 5;
        size_t vn = n - 5;
        if (vn && *v == ' ') { v++; vn--; }
        c->ev_data = 1;
        if (vn == 6 && memcmp(v, "[DONE]", 6) == 0) c->ev_done = 1;
        else if (vn >= 9 && memcmp(v, "{\"error\":", 9) == 0) c->ev_error = 1;
        else if (is_content(v, vn)) c->ev_content = 1;
    }
    /* other fields (event:, id:, comments) are ignored */
}

static void sse_feed(conn_t *c, const char *p, size_t n, uint64_t t) {
    while (n) {
        const char *q = memchr(p, '\n', n);
        if (!q) { buf_append(&c->line, &c->llen, &c->lcap, p, n); return; }
        size_t k = (size_t)(q - p);
        if (c->llen) {
            buf_append(&c->line, &c->llen, &c->lcap, p, k);
            sse_line(c, c->line, c->llen, t);
            c->llen = 0;
        } else {
            sse_line(c, p, k, t);
        }
        p = q + 1;
        n -= k + 1;
    }
}

/* Feeds body bytes; returns 1 when the body has terminated. */
static int body_feed(conn_t *c, const char *p, size_t n, uint64_t t) {
    if (!c->chunked) {
        if (c->content_left >= 0) {
            size_t k = (size_t)c->content_left < n ? (size_t)c->content_left : n;
            sse_feed(c, p, k, t);
            c->content_left -= (int64_t)k;
            return c->content_left == 0;
        }
        sse_feed(c, p, n, t);
        return 0;
    }
    while (n) {
        switch (c->cstate) {
        case CS_SIZE: {
            char ch = *p;
            int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                  : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
            if (d >= 0) c->chunk_left = c->chunk_left * 16 + (uint64_t)d;
            else if (ch == '\n') {
                if (c->chunk_left == 0) { c->cstate = CS_TRAILER; c->trailer_line = 0; }
                else c->cstate = CS_DATA;
            } else if (ch != '\r') c->cstate = CS_EXT;
            p++; n--;
            break;
        }
        case CS_EXT:
            if (*p == '\n') {
                if (c->chunk_left == 0) { c->cstate = CS_TRAILER; c->trailer_line = 0; }
                else c->cstate = CS_DATA;
            }
            p++; n--;
            break;
        case CS_DATA: {
            size_t k = c->chunk_left < n ? (size_t)c->chunk_left : n;
            sse_feed(c, p, k, t);
            c->chunk_left -= k;
            p += k; n -= k;
            if (!c->chunk_left) c->cstate = CS_DATA_END;
            break;
        }
        case CS_DATA_END:
            if (*p == '\n') { c->cstate = CS_SIZE; c->chunk_left = 0; }
            p++; n--;
            break;
        case CS_TRAILER:
            if (*p == '\n') {
                if (c->trailer_line == 0) return 1;
                c->trailer_line = 0;
            } else if (*p != '\r') c->trailer_line++;
            p++; n--;
            break;
        }
    }
    return 0;
}

static int header_has(const char *head, size_t len, const char *name, const char *value) {
    /* case-insensitive "\r\nname:" then value contained in the rest of the line */
    size_t nl = strlen(name);
    for (const char *p = head; p + nl + 2 < head + len; p++) {
        if (p[0] == '\n' && strncasecmp(p + 1, name, nl) == 0 && p[1 + nl] == ':') {
            const char *e = memchr(p + 1, '\n', (size_t)(head + len - p - 1));
            if (!e) return 0;
            if (!value) return 1;
            size_t vl = strlen(value);
            for (const char *v = p + 2 + nl; v + vl <= e; v++)
                if (strncasecmp(v, value, vl) == 0) return 1;
            return 0;
        }
    }
    return 0;
}

static int64_t header_int(const char *head, size_t len, const char *name) {
    size_t nl = strlen(name);
    for (const char *p = head; p + nl + 2 < head + len; p++)
        if (p[0] == '\n' && strncasecmp(p + 1, name, nl) == 0 && p[1 + nl] == ':')
            return strtoll(p + 2 + nl, NULL, 10);
    return -1;
}

/* Response bytes arrived. */
static void on_data(conn_t *c, const char *p, size_t n, uint64_t t) {
    if (c->state == S_HEAD) {
        if (c->hlen == 0) {
            hadd(&G.ttfb, t - c->t_start);
            if (c->pending) { c->pending = 0; G.pending--; }
        }
        uint32_t from = c->hlen > 3 ? c->hlen - 3 : 0;
        buf_append(&c->head, &c->hlen, &c->hcap, p, n);
        char *end = memmem(c->head + from, c->hlen - from, "\r\n\r\n", 4);
        if (!end) {
            if (c->hlen > 65536) lose(c, L_IO);
            return;
        }
        size_t hl = (size_t)(end - c->head) + 4;
        c->status = (uint16_t)(c->hlen > 12 ? atoi(c->head + 9) : 0);
        if (c->status != 200) { G.status_other++; lose(c, L_STATUS); return; }
        c->chunked = (uint8_t)header_has(c->head, hl, "transfer-encoding", "chunked");
        c->content_left = c->chunked ? -1 : header_int(c->head, hl, "content-length");
        c->state = S_BODY;
        c->cstate = CS_SIZE;
        c->chunk_left = 0;
        size_t rest = c->hlen - hl;
        char *tmp = NULL;
        if (rest) { tmp = malloc(rest); memcpy(tmp, c->head + hl, rest); }
        free(c->head); c->head = NULL; c->hlen = c->hcap = 0;
        if (rest) { on_data(c, tmp, rest, t); free(tmp); }
        return;
    }
    if (c->state != S_BODY) return;
    G.bytes += n;
    int ended = body_feed(c, p, n, t);
    if (c->ev_error) { lose(c, L_ERROR_EVENT); return; }
    if (ended) {
        if (c->got_done) complete(c, t);
        else lose(c, L_EOF);
    }
}

static struct sockaddr_in G_addr;

static void start_conn(conn_t *c) {
    c->t_start = now_us();
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) { c->state = S_LOST; G.lost[L_CONNECT]++; c->fd = -1; return; }
    G.open++;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (G.kernel_ts) setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    c->pending = 1;
    G.pending++;
    int r = connect(c->fd, (struct sockaddr *)&G_addr, sizeof G_addr);
    if (r != 0 && errno != EINPROGRESS) { lose(c, L_CONNECT); return; }
    c->state = S_CONNECTING;
    struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
    if (epoll_ctl(G.epfd, EPOLL_CTL_ADD, c->fd, &ev) != 0) lose(c, L_CONNECT);
}

static void try_send(conn_t *c) {
    while (c->sent < G.req_len) {
        ssize_t w = send(c->fd, G.req + c->sent, G.req_len - c->sent, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return;
            lose(c, c->state == S_CONNECTING ? L_CONNECT : L_IO);
            return;
        }
        c->sent += (size_t)w;
    }
    c->state = S_HEAD;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
    epoll_ctl(G.epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static char RBUF[1 << 18];

/* Reads into RBUF; *t is when the bytes reached the socket (kernel stamp) or, without
 * --user-ts support, when we read them. The kernel stamp keeps the client's own event-loop
 * latency (a busy epoll round) out of TTFB, gaps and jitter. */
static ssize_t read_stamped(int fd, uint64_t *t) {
    if (!G.kernel_ts) {
        ssize_t r = recv(fd, RBUF, sizeof RBUF, 0);
        *t = now_us();
        return r;
    }
    char ctrl[CMSG_SPACE(sizeof(struct timespec)) * 2];
    struct iovec iov = {.iov_base = RBUF, .iov_len = sizeof RBUF};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl};
    ssize_t r = recvmsg(fd, &m, 0);
    *t = 0;
    if (r > 0)
        for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h))
            if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_TIMESTAMPNS) {
                struct timespec ts;
                memcpy(&ts, CMSG_DATA(h), sizeof ts);
                int64_t rt = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
                *t = (uint64_t)(rt - G.rt_minus_mono);
            }
    if (!*t) {
        *t = now_us();
        if (r > 0) G.kts_missing++;
    }
    return r;
}

static void on_event(conn_t *c, uint32_t events) {
    if (c->state == S_CONNECTING) {
        int err = 0;
        socklen_t l = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err || (events & (EPOLLERR | EPOLLHUP))) { lose(c, L_CONNECT); return; }
        c->state = S_SENDING;
        try_send(c);
        return;
    }
    if (c->state == S_SENDING) {
        if (events & (EPOLLERR | EPOLLHUP)) { lose(c, L_IO); return; }
        try_send(c);
        return;
    }
    /* S_HEAD / S_BODY: read until EAGAIN (bounded so one stream cannot starve the others) */
    for (int round = 0; round < 8 && (c->state == S_HEAD || c->state == S_BODY); round++) {
        uint64_t t;
        ssize_t r = read_stamped(c->fd, &t);
        if (r > 0) {
            on_data(c, RBUF, (size_t)r, t);
            if ((size_t)r < sizeof RBUF) return;
            continue;
        }
        if (r == 0) {
            /* close-delimited body: EOF ends it */
            if (c->state == S_BODY && !c->chunked && c->content_left < 0 && c->got_done) complete(c, now_us());
            else lose(c, c->state == S_HEAD && c->hlen == 0 ? L_IO : L_EOF);
            return;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return;
        lose(c, L_IO);
        return;
    }
}

static int parse_url(const char *url, char *host, size_t hcap, int *port) {
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *colon = strchr(p, ':');
    if (!colon) return -1;
    size_t hl = (size_t)(colon - p);
    if (hl >= hcap) return -1;
    memcpy(host, p, hl);
    host[hl] = 0;
    *port = atoi(colon + 1);
    return 0;
}

static int run_client(int argc, char **argv) {
    const char *url = NULL, *path = "/v1/chat/completions", *body = NULL, *body_file = NULL;
    const char *key = "sk-bench";
    long streams = 100, batch = 512;
    double timeout_s = 60;
    int json = 0, dist = 0;
    G.kernel_ts = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--url") && v) { url = v; i++; }
        else if (!strcmp(a, "--path") && v) { path = v; i++; }
        else if (!strcmp(a, "--body") && v) { body = v; i++; }
        else if (!strcmp(a, "--body-file") && v) { body_file = v; i++; }
        else if (!strcmp(a, "--key") && v) { key = v; i++; }
        else if (!strcmp(a, "--streams") && v) { streams = atol(v); i++; }
        else if (!strcmp(a, "--batch") && v) { batch = atol(v); i++; }
        else if (!strcmp(a, "--pace-ms") && v) { G.pace_us = atof(v) * 1000.0; i++; }
        else if (!strcmp(a, "--timeout") && v) { timeout_s = atof(v); i++; }
        else if (!strcmp(a, "--json")) json = 1;
        else if (!strcmp(a, "--dist")) dist = 1;
        else if (!strcmp(a, "--user-ts")) G.kernel_ts = 0;
        else { fprintf(stderr, "unknown or incomplete argument: %s\n", a); return 64; }
    }
    if (!url || (!body && !body_file) || streams < 1 || batch < 1) {
        fprintf(stderr, "usage: sse_load --url http://127.0.0.1:PORT (--body JSON | --body-file F) [--streams N]\n"
                        "       [--batch B] [--pace-ms MS] [--timeout S] [--path P] [--key K] [--json] [--dist] [--user-ts]\n"
                        "       sse_load serve [--port P] [--events E] [--event-bytes B] [--per-event | --pace-ms MS]\n");
        return 64;
    }
    char host[256];
    int port;
    if (parse_url(url, host, sizeof host, &port) != 0) { fprintf(stderr, "bad --url %s\n", url); return 64; }
    memset(&G_addr, 0, sizeof G_addr);
    G_addr.sin_family = AF_INET;
    G_addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &G_addr.sin_addr) != 1) { fprintf(stderr, "--url needs an IPv4 address\n"); return 64; }

    size_t blen;
    char *b = body_file ? read_file(body_file, &blen) : (blen = strlen(body), (char *)body);
    size_t cap = blen + 512;
    char *req = malloc(cap);
    int hl = snprintf(req, cap,
                      "POST %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n"
                      "Content-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: %zu\r\n\r\n",
                      path, host, port, key, blen);
    memcpy(req + hl, b, blen);
    G.req = req;
    G.req_len = (size_t)hl + blen;

    raise_nofile(streams + 64);
    if (nofile_limit() < streams + 16) {
        fprintf(stderr, "RLIMIT_NOFILE %ld is too low for %ld streams\n", nofile_limit(), streams);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    G.epfd = epoll_create1(EPOLL_CLOEXEC);
    if (G.epfd < 0) die("epoll_create1");
    conn_t *conns = calloc((size_t)streams, sizeof *conns);
    for (long i = 0; i < streams; i++) conns[i].fd = -1;

    struct epoll_event evs[1024];
    {
        struct timespec rt, mo;
        clock_gettime(CLOCK_REALTIME, &rt);
        clock_gettime(CLOCK_MONOTONIC, &mo);
        G.rt_minus_mono = ((int64_t)rt.tv_sec - mo.tv_sec) * 1000000 + (rt.tv_nsec - mo.tv_nsec) / 1000;
    }
    double cpu0 = cpu_seconds();
    uint64_t t0 = now_us(), deadline = t0 + (uint64_t)(timeout_s * 1e6);
    long next = 0;
    uint64_t finished = 0;
    int timed_out = 0;
    while (1) {
        while (next < streams && G.pending < batch) start_conn(&conns[next++]);
        finished = G.completed;
        for (int k = 0; k < L_COUNT; k++) finished += G.lost[k];
        if (finished >= (uint64_t)streams) break;
        uint64_t t = now_us();
        if (t >= deadline) { timed_out = 1; break; }
        int wait_ms = (int)((deadline - t) / 1000) + 1;
        if (wait_ms > 100) wait_ms = 100;
        int n = epoll_wait(G.epfd, evs, 1024, wait_ms);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        for (int i = 0; i < n; i++) on_event(evs[i].data.ptr, evs[i].events);
    }
    uint64_t t_end = now_us();
    if (timed_out)
        for (long i = 0; i < streams; i++)
            if (conns[i].state != S_DONE && conns[i].state != S_LOST) {
                if (conns[i].state == S_IDLE) { conns[i].state = S_LOST; G.lost[L_TIMEOUT]++; }
                else lose(&conns[i], L_TIMEOUT);
            }
    double cpu = cpu_seconds() - cpu0;
    double wall = (t_end - t0) / 1e6;
    uint64_t lost = 0;
    for (int k = 0; k < L_COUNT; k++) lost += G.lost[k];
    double per = G.completed ? (double)G.events / (double)G.completed : 0;
    double cper = G.completed ? (double)G.content_events / (double)G.completed : 0;

    if (dist) {
        static const double ps[] = {1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9};
        const hist_t *hs[] = {&G.ttfb, &G.gap, &G.jitter};
        const char *names[] = {"ttfb", "gap", "jitter"};
        for (int h = 0; h < 3; h++) {
            fprintf(stderr, "%-7s n=%llu", names[h], (unsigned long long)hs[h]->n);
            for (int k = 0; k < 10; k++) fprintf(stderr, "  p%g %.3f", ps[k], hpct(hs[h], ps[k]));
            fprintf(stderr, "  max %.3f ms\n", hs[h]->max / 1000.0);
        }
    }
    if (json) {
        printf("{\"streams\":%ld,\"completed\":%llu,\"lost\":%llu", streams, (unsigned long long)G.completed,
               (unsigned long long)lost);
        for (int k = 0; k < L_COUNT; k++) printf(",\"lost_%s\":%llu", lost_names[k], (unsigned long long)G.lost[k]);
        printf(",\"events\":%llu,\"content_events\":%llu,\"events_per_stream\":%.2f,\"content_per_stream\":%.2f,"
               "\"min_events\":%llu,\"max_events\":%llu,\"bytes\":%llu,\"wall_s\":%.4f,\"events_per_s\":%.0f,"
               "\"ttfb_p50_ms\":%.3f,\"ttfb_p99_ms\":%.3f,\"ttfb_max_ms\":%.3f,"
               "\"first_event_p50_ms\":%.3f,\"first_event_p99_ms\":%.3f,"
               "\"gap_p50_ms\":%.3f,\"gap_p99_ms\":%.3f,\"gap_max_ms\":%.3f,"
               "\"pace_ms\":%.3f,\"jitter_n\":%llu,\"jitter_p50_ms\":%.3f,\"jitter_p99_ms\":%.3f,\"jitter_max_ms\":%.3f,"
               "\"client_cpu_s\":%.3f,\"client_cpu_pct_of_wall\":%.1f,\"events_per_client_cpu_s\":%.0f,"
               "\"stamps\":\"%s\",\"kernel_stamp_missing\":%llu}\n",
               (unsigned long long)G.events, (unsigned long long)G.content_events, per, cper,
               (unsigned long long)G.min_events, (unsigned long long)G.max_events, (unsigned long long)G.bytes, wall,
               wall > 0 ? G.events / wall : 0, hpct(&G.ttfb, 50), hpct(&G.ttfb, 99), G.ttfb.max / 1000.0,
               hpct(&G.first_event, 50), hpct(&G.first_event, 99), hpct(&G.gap, 50), hpct(&G.gap, 99),
               G.gap.max / 1000.0, G.pace_us / 1000.0, (unsigned long long)G.jitter.n, hpct(&G.jitter, 50),
               hpct(&G.jitter, 99), G.jitter.max / 1000.0, cpu, wall > 0 ? 100.0 * cpu / wall : 0,
               cpu > 0 ? G.events / cpu : 0, G.kernel_ts ? "kernel" : "user", (unsigned long long)G.kts_missing);
    } else {
        printf("streams     %ld requested, %llu completed, %llu lost", streams, (unsigned long long)G.completed,
               (unsigned long long)lost);
        for (int k = 0; k < L_COUNT; k++)
            if (G.lost[k]) printf(" [%s %llu]", lost_names[k], (unsigned long long)G.lost[k]);
        printf("\nevents      %llu (%.1f per completed stream, %.1f content; min %llu max %llu), %.1f MB\n",
               (unsigned long long)G.events, per, cper, (unsigned long long)G.min_events,
               (unsigned long long)G.max_events, G.bytes / 1e6);
        printf("wall        %.3f s, %.0f events/s\n", wall, wall > 0 ? G.events / wall : 0);
        printf("TTFB        p50 %.2f ms  p99 %.2f ms  max %.2f ms (from connect())\n", hpct(&G.ttfb, 50),
               hpct(&G.ttfb, 99), G.ttfb.max / 1000.0);
        printf("1st event   p50 %.2f ms  p99 %.2f ms\n", hpct(&G.first_event, 50), hpct(&G.first_event, 99));
        printf("event gap   p50 %.3f ms  p99 %.3f ms  max %.2f ms\n", hpct(&G.gap, 50), hpct(&G.gap, 99),
               G.gap.max / 1000.0);
        if (G.pace_us > 0)
            printf("jitter      |gap - %.1f ms| over %llu content gaps: p50 %.3f ms  p99 %.3f ms  max %.2f ms\n",
                   G.pace_us / 1000.0, (unsigned long long)G.jitter.n, hpct(&G.jitter, 50), hpct(&G.jitter, 99),
                   G.jitter.max / 1000.0);
        printf("client CPU  %.3f s (%.0f%% of wall; %.0f events per client CPU-second)\n", cpu,
               wall > 0 ? 100.0 * cpu / wall : 0, cpu > 0 ? G.events / cpu : 0);
        printf("stamps      %s receive time%s\n", G.kernel_ts ? "kernel (SO_TIMESTAMPNS)" : "user-space read",
               G.kts_missing ? " (some reads had no kernel stamp: read time used)" : "");
    }
    free(conns);
    free(req);
    if (body_file) free(b);
    return lost ? 1 : 0;
}

/* ---------------------------------------------------------------- reference server */

typedef struct {
    int fd; size_t sent; uint32_t piece; char tail[4]; int64_t body_left; int writing, out; uint64_t due, last;
} sconn_t;

/* The response, and in cuts[0..events] the end offset of each piece (head + first event, the
 * other events, then [DONE] + the terminating chunk) for --per-event. */
static char *build_response(int events, int event_bytes, size_t *len, size_t **cuts) {
    /* An event shaped like a chat.completion.chunk, padded to about event_bytes. */
    const char *pre = "data: {\"id\":\"chatcmpl-0123456789abcdefghijklmnopq\",\"object\":\"chat.completion.chunk\","
                      "\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"service_tier\":\"default\","
                      "\"system_fingerprint\":\"fp_0123456789\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
    const char *post = "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    int pad = event_bytes - (int)strlen(pre) - (int)strlen(post);
    if (pad < 1) pad = 1;
    size_t cap = 256 + (size_t)(events + 1) * (size_t)(event_bytes + strlen(pre) + strlen(post) + 32);
    char *r = malloc(cap), *p = r;
    *cuts = malloc(sizeof **cuts * (size_t)(events + 1));
    p += sprintf(p, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                    "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < events; i++) {
        size_t n = strlen(pre) + (size_t)pad + strlen(post);
        p += sprintf(p, "%zx\r\n%s", n, pre);
        for (int k = 0; k < pad; k++) *p++ = (char)('a' + (i + k) % 26);
        p += sprintf(p, "%s\r\n", post);
        (*cuts)[i] = (size_t)(p - r);
    }
    p += sprintf(p, "e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n");
    *len = (size_t)(p - r);
    (*cuts)[events] = *len;
    return r;
}

static int run_server(int argc, char **argv) {
    int port = 0, events = 50, event_bytes = 250, per_event = 0;
    double pace_ms = 0;
    for (int i = 2; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--port") && v) { port = atoi(v); i++; }
        else if (!strcmp(argv[i], "--events") && v) { events = atoi(v); i++; }
        else if (!strcmp(argv[i], "--event-bytes") && v) { event_bytes = atoi(v); i++; }
        else if (!strcmp(argv[i], "--per-event")) per_event = 1;
        else if (!strcmp(argv[i], "--pace-ms") && v) { pace_ms = atof(v); i++; }
        else { fprintf(stderr, "unknown argument: %s\n", argv[i]); return 64; }
    }
    uint64_t pace_us = (uint64_t)(pace_ms * 1000);
    if (pace_us) per_event = 1;
    size_t rlen, *cuts;
    char *resp = build_response(events, event_bytes, &rlen, &cuts);
    raise_nofile(1 << 20);
    signal(SIGPIPE, SIG_IGN);
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0) die("bind");
    if (listen(ls, 4096) != 0) die("listen");
    socklen_t al = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &al);
    char mode[64] = "";
    if (pace_us) snprintf(mode, sizeof mode, ", one event every %.1f ms", pace_ms);
    else if (per_event) snprintf(mode, sizeof mode, ", one send() per event");
    printf("sse_load listening on http://127.0.0.1:%d (%d events of ~%d bytes, %zu-byte response%s)\n",
           ntohs(a.sin_port), events, event_bytes, rlen, mode);
    fflush(stdout);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    /* Paced mode: a timerfd armed at the earliest due time; streams due are sent their next
     * event, and their next due time is the previous one + pace (an absolute, drift-free schedule). */
    static char timer_tag;
    static hist_t send_jitter;
    int tfd = -1;
    sconn_t **paced = NULL;
    size_t npaced = 0, cpaced = 0;
    if (pace_us) {
        tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        struct epoll_event te = {.events = EPOLLIN, .data.ptr = &timer_tag};
        epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &te);
    }
    struct epoll_event evs[512];
    char buf[65536];
    for (;;) {
        int n = epoll_wait(ep, evs, 512, -1);
        for (int i = 0; i < n; i++) {
            sconn_t *c = evs[i].data.ptr;
            if (evs[i].data.ptr == &timer_tag) {
                uint64_t x;
                if (read(tfd, &x, sizeof x) < 0) { /* spurious */ }
                continue;
            }
            if (!c) {
                for (;;) {
                    int fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0) break;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    sconn_t *s = calloc(1, sizeof *s);
                    s->fd = fd;
                    s->body_left = -1;
                    struct epoll_event e = {.events = EPOLLIN, .data.ptr = s};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
                }
                continue;
            }
            if (!c->writing) {
                ssize_t r = recv(c->fd, buf, sizeof buf, 0);
                if (r <= 0) {
                    if (r < 0 && errno == EAGAIN) continue;
                    close(c->fd); free(c); continue;
                }
                /* Wait for the end of the head, then Content-Length bytes of body. */
                size_t off = 0;
                if (c->body_left < 0) {
                    for (; off < (size_t)r; off++) {
                        memmove(c->tail, c->tail + 1, 3);
                        c->tail[3] = buf[off];
                        if (!memcmp(c->tail, "\r\n\r\n", 4)) { off++; break; }
                    }
                    if (memcmp(c->tail, "\r\n\r\n", 4)) continue;
                    /* the client always sends Content-Length; find it in this buffer (heads are small) */
                    char *cl = memmem(buf, (size_t)r, "Content-Length:", 15);
                    c->body_left = cl ? atoll(cl + 15) : 0;
                }
                c->body_left -= (int64_t)((size_t)r - off);
                if (c->body_left > 0) continue;
                c->writing = 1;
                if (pace_us) {
                    c->due = now_us();  /* head + first event now */
                    if (npaced == cpaced) {
                        cpaced = cpaced ? cpaced * 2 : 1024;
                        paced = realloc(paced, cpaced * sizeof *paced);
                    }
                    paced[npaced++] = c;
                    struct epoll_event e = {.events = 0, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                    continue;
                }
            }
            if (pace_us) continue;
            /* Whole response at once, or (--per-event) one event per wake-up so the events of all
             * streams interleave and arrive one by one, as from a server writing per token. */
            int failed = 0;
            while (c->sent < rlen) {
                size_t end = per_event ? cuts[c->piece] : rlen;
                ssize_t w = send(c->fd, resp + c->sent, end - c->sent, MSG_NOSIGNAL);
                if (w < 0) { failed = errno != EAGAIN && errno != EINTR; break; }
                c->sent += (size_t)w;
                if (per_event && c->sent == end) { c->piece++; break; }
            }
            if (c->sent >= rlen || failed) { close(c->fd); free(c); continue; }
            if (!c->out) {
                c->out = 1;
                struct epoll_event e = {.events = EPOLLOUT, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
            }
        }
        if (!pace_us || !npaced) continue;
        uint64_t t = now_us(), next = UINT64_MAX;
        for (size_t k = 0; k < npaced;) {
            sconn_t *c = paced[k];
            int done = 0;
            if (c->due <= t) {
                size_t end = cuts[c->piece];
                ssize_t w = send(c->fd, resp + c->sent, end - c->sent, MSG_NOSIGNAL);
                if (w < 0 && errno != EAGAIN && errno != EINTR) done = 1;
                if (w > 0) c->sent += (size_t)w;
                if (c->sent == end) {
                    /* the server's own view: gaps between its sends of one stream */
                    uint64_t ts = now_us();
                    if (c->piece > 0) {
                        int64_t d = (int64_t)(ts - c->last) - (int64_t)pace_us;
                        hadd(&send_jitter, (uint64_t)(d < 0 ? -d : d));
                    }
                    c->last = ts;
                    c->piece++;
                    c->due += pace_us;
                }
                /* last piece: [DONE] follows the last event at once, as openai-mock does */
                if (!done && c->piece == (uint32_t)events) {
                    ssize_t w2 = send(c->fd, resp + c->sent, rlen - c->sent, MSG_NOSIGNAL);
                    if (w2 > 0) c->sent += (size_t)w2;
                    if (c->sent >= rlen) done = 1;
                    else c->due = t;
                }
            }
            if (done) {
                close(c->fd);
                free(c);
                paced[k] = paced[--npaced];
                if (!npaced) {  /* a run ended: report the send-side jitter and start afresh */
                    fprintf(stderr, "sse_load serve: send jitter |gap - %.1f ms| over %llu gaps: p50 %.3f ms  "
                            "p99 %.3f ms  max %.2f ms\n", pace_ms, (unsigned long long)send_jitter.n,
                            hpct(&send_jitter, 50), hpct(&send_jitter, 99), send_jitter.max / 1000.0);
                    memset(&send_jitter, 0, sizeof send_jitter);
                }
                continue;
            }
            if (c->due < next) next = c->due;
            k++;
        }
        if (npaced) {
            struct itimerspec its = {0};
            if (next <= t) next = t + 1;
            its.it_value.tv_sec = (time_t)(next / 1000000);
            its.it_value.tv_nsec = (long)(next % 1000000) * 1000;
            timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
        }
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "serve")) return run_server(argc, argv);
    return run_client(argc, argv);
}

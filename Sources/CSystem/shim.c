#ifdef __linux__
#define _GNU_SOURCE 1
#endif
#include "CSystem.h"
#include <signal.h>

#ifdef __linux__

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>

const uint32_t CSYSTEM_EV_IN = EPOLLIN;
const uint32_t CSYSTEM_EV_OUT = EPOLLOUT;
const uint32_t CSYSTEM_EV_ERR = EPOLLERR;
const uint32_t CSYSTEM_EV_HUP = EPOLLHUP;
const uint32_t CSYSTEM_EV_RDHUP = EPOLLRDHUP;

int csystem_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int csystem_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u64 = data;
    int cop = op == 0 ? EPOLL_CTL_ADD : (op == 1 ? EPOLL_CTL_MOD : EPOLL_CTL_DEL);
    return epoll_ctl(epfd, cop, fd, &ev);
}

/* epoll_pwait2 (Linux 5.11) takes a timespec; older kernels answer ENOSYS once and the
 * millisecond epoll_wait is used from then on (likewise under a seccomp filter that refuses it). Called straight through syscall(2) so the
 * shim does not depend on the C library's version. */
static int pwait2_missing;

int csystem_epoll_wait(int epfd, csystem_event *out, int max, int64_t timeout_ns) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    int n;
#ifdef SYS_epoll_pwait2
    if (timeout_ns > 0 && !__atomic_load_n(&pwait2_missing, __ATOMIC_RELAXED)) {
        struct timespec ts = {.tv_sec = (time_t)(timeout_ns / 1000000000), .tv_nsec = (long)(timeout_ns % 1000000000)};
        n = (int)syscall(SYS_epoll_pwait2, epfd, evs, max, &ts, NULL, (size_t)0);
        if (n < 0 && (errno == ENOSYS || errno == EPERM)) {  /* EPERM: a seccomp filter that predates it */
            __atomic_store_n(&pwait2_missing, 1, __ATOMIC_RELAXED);
        } else {
            goto copy;
        }
    }
#endif
    /* Milliseconds, rounded up so a deadline is never woken for early. */
    int64_t ms = timeout_ns < 0 ? -1 : (timeout_ns + 999999) / 1000000;
    n = epoll_wait(epfd, evs, max, ms > 0x7fffffff ? 0x7fffffff : (int)ms);
#ifdef SYS_epoll_pwait2
copy:
#endif
    for (int i = 0; i < n; i++) {
        out[i].events = evs[i].events;
        out[i].data = evs[i].data.u64;
    }
    return n;
}

int csystem_eventfd_create(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int csystem_eventfd_signal(int fd) {
    uint64_t one = 1;
    for (;;) {
        ssize_t r = write(fd, &one, sizeof one);
        if (r == (ssize_t)sizeof one) return 0;
        if (r < 0 && errno == EINTR) continue;
        /* EAGAIN means the counter is saturated: the loop is already due to wake. */
        return (r < 0 && errno == EAGAIN) ? 0 : -1;
    }
}

int csystem_eventfd_drain(int fd) {
    uint64_t value;
    for (;;) {
        ssize_t r = read(fd, &value, sizeof value);
        if (r == (ssize_t)sizeof value) return 0;
        if (r < 0 && errno == EINTR) continue;
        return -1;
    }
}

int csystem_accept(int fd) { return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

int csystem_socket_nonblocking(int domain, int type) {
    return socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

ssize_t csystem_send(int fd, const void *buf, size_t len) {
    return send(fd, buf, len, MSG_NOSIGNAL);
}

ssize_t csystem_sendv(int fd, const struct iovec *iov, int iovcnt) {
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = (struct iovec *)iov;
    msg.msg_iovlen = (size_t)iovcnt;
    return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

int csystem_pipe(int fds[2]) { return pipe2(fds, O_NONBLOCK | O_CLOEXEC); }

void csystem_set_thread_name(const char *name) { pthread_setname_np(pthread_self(), name); }

#ifdef __GLIBC__
#include <malloc.h>
void csystem_release_free_memory(void) { malloc_trim(0); }
#else
void csystem_release_free_memory(void) {}
#endif

#endif /* __linux__ */

void csystem_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* The self-pipe behind csystem_signal_pipe: the handler only write(2)s, which is async-signal-safe. */
static int signal_pipe[2] = {-1, -1};

static void csystem_on_signal(int sig) {
    int saved = errno;
    unsigned char byte = (unsigned char)sig;
    ssize_t ignored = write(signal_pipe[1], &byte, 1);
    (void)ignored;
    errno = saved;
}

int csystem_signal_pipe(const int *signals, int count) {
    if (signal_pipe[0] < 0) {
        if (pipe(signal_pipe) != 0) return -1;
        for (int i = 0; i < 2; i++) {
            fcntl(signal_pipe[i], F_SETFL, fcntl(signal_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(signal_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = csystem_on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int i = 0; i < count; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
    }
    return signal_pipe[0];
}

/// CSystem: the few Linux system calls and constants that Swift cannot import cleanly.
///
/// `struct epoll_event` is packed on x86_64, which Swift imports awkwardly, so the shim
/// exposes its own plain `csystem_event` and copies. Everything is guarded by `__linux__`:
/// on Darwin this module is empty (MockHTTP uses kqueue from the Darwin module there).
#ifndef CSYSTEM_H
#define CSYSTEM_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __linux__

#include <sys/uio.h>

/// One readiness notification: `events` is a mask of the CSYSTEM_EV_* bits, `data` the value
/// given at registration (MockHTTP stores the file descriptor).
typedef struct csystem_event {
    uint32_t events;
    uint64_t data;
} csystem_event;

extern const uint32_t CSYSTEM_EV_IN;
extern const uint32_t CSYSTEM_EV_OUT;
extern const uint32_t CSYSTEM_EV_ERR;
extern const uint32_t CSYSTEM_EV_HUP;
extern const uint32_t CSYSTEM_EV_RDHUP;

/// epoll_create1(EPOLL_CLOEXEC).
int csystem_epoll_create(void);
/// op: 0 add, 1 modify, 2 delete. Returns 0 or -1 with errno set.
int csystem_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
/// epoll_wait into `out` (at most `max` entries) for at most `timeout_ns` nanoseconds (-1: no
/// limit), to the nanosecond where the kernel has epoll_pwait2, else rounded up to whole
/// milliseconds. Retries nothing: EINTR is returned as -1.
int csystem_epoll_wait(int epfd, csystem_event *out, int max, int64_t timeout_ns);

/// eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC).
int csystem_eventfd_create(void);
/// Adds 1 to the counter (wakes a waiting epoll). Returns 0 or -1.
int csystem_eventfd_signal(int fd);
/// Resets the counter. Returns 0 or -1 (EAGAIN when it was already zero).
int csystem_eventfd_drain(int fd);

/// accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC).
int csystem_accept(int fd);
/// socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0).
int csystem_socket_nonblocking(int domain, int type);
/// send(fd, buf, len, MSG_NOSIGNAL): never raises SIGPIPE.
ssize_t csystem_send(int fd, const void *buf, size_t len);
/// sendmsg with an iovec array and MSG_NOSIGNAL (a writev that never raises SIGPIPE).
ssize_t csystem_sendv(int fd, const struct iovec *iov, int iovcnt);
/// pipe2(fds, O_NONBLOCK | O_CLOEXEC).
int csystem_pipe(int fds[2]);
/// pthread_setname_np on the calling thread (a GNU extension Glibc's Swift module hides);
/// `name` must fit in 15 bytes.
void csystem_set_thread_name(const char *name);
/// malloc_trim(0): gives the allocator's free pages (in every arena) back to the system.
void csystem_release_free_memory(void);

#endif /* __linux__ */

/// Installs, synchronously, a handler for each of `signals` that writes the signal number as one
/// byte to a non-blocking pipe, and returns the pipe's read end (-1 on failure). Unlike a
/// Dispatch signal source, which registers asynchronously, no signal can slip through once this
/// returns, and a signal that arrives before anyone reads stays in the pipe.
int csystem_signal_pipe(const int *signals, int count);

/// Ignores SIGPIPE process-wide (defensive; sends use MSG_NOSIGNAL / SO_NOSIGPIPE anyway).
void csystem_ignore_sigpipe(void);

#endif /* CSYSTEM_H */

/* sem_clockwait() that understands libfaketime's clock, preloaded before it by tests/timetravel/run.
 *
 * CPython waits on a lock with a timeout (threading.Event.wait, queue.Queue.get(timeout=...),
 * every pool and poll loop of the suite) with glibc's sem_clockwait(CLOCK_MONOTONIC, deadline),
 * the deadline computed on the clock libfaketime shows it: shifted by the faked date. libfaketime
 * 0.9.10 (Debian's `faketime`) does not intercept sem_clockwait, so glibc waits until that
 * shifted deadline on the real clock, months away, and the run hangs. This wrapper turns the
 * deadline back into the real clock's: the same time left, counted from the kernel's now.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NS 1000000000LL

static long long nanos(const struct timespec *t) { return (long long)t->tv_sec * NS + t->tv_nsec; }

int sem_clockwait(sem_t *sem, clockid_t clock, const struct timespec *deadline) {
    static int (*real)(sem_t *, clockid_t, const struct timespec *);
    if (!real) real = (int (*)(sem_t *, clockid_t, const struct timespec *))dlsym(RTLD_NEXT, "sem_clockwait");
    struct timespec shown, kernel, until;
    clock_gettime(clock, &shown);                 /* as libfaketime shows it (the caller's view) */
    syscall(SYS_clock_gettime, clock, &kernel);   /* as the kernel keeps it (what glibc waits on) */
    long long left = nanos(deadline) - nanos(&shown);
    long long when = nanos(&kernel) + (left > 0 ? left : 0);
    until.tv_sec = when / NS;
    until.tv_nsec = when % NS;
    return real(sem, clock, &until);
}

// SPDX-License-Identifier: MIT
/*
 * coop_tick: when does COOP_TASKRUN task_work run for a task that makes no system call?
 *
 * A POLL_ADD on a pipe completes through task_work queued by the waker (another thread's
 * write). Without COOP_TASKRUN that work is added with TWA_SIGNAL (an IPI interrupts the
 * spinning task); with it, TWA_SIGNAL_NO_IPI: the spinning task runs it only at its next
 * return to user mode, the next timer tick at the latest. A task in nanosleep is woken at
 * once either way. Prints, per mode, the median and maximum delay from the write to the CQE
 * becoming visible, and whether IORING_SQ_TASKRUN was seen set while waiting.
 *
 * Not part of the replayed conformance traces (the simulator has no second thread); the
 * timings are informational. Build: gcc -O2 -pthread -o coop_tick coop_tick.c
 */
#define _GNU_SOURCE
#include <linux/io_uring.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>

#ifndef IORING_SETUP_COOP_TASKRUN
#define IORING_SETUP_COOP_TASKRUN (1U << 8)
#endif
#ifndef IORING_SETUP_TASKRUN_FLAG
#define IORING_SETUP_TASKRUN_FLAG (1U << 9)
#endif
#ifndef IORING_SQ_TASKRUN
#define IORING_SQ_TASKRUN (1U << 2)
#endif

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

struct ring {
	int fd;
	unsigned *sq_tail, *sq_mask, *sq_array, *sq_flags, *cq_head, *cq_tail;
	struct io_uring_sqe *sqes;
};

static int setup(struct ring *r, unsigned flags)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	p.flags = flags;
	r->fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -1;
	size_t sz = p.sq_off.array + p.sq_entries * 4;
	size_t csz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (csz > sz)
		sz = csz;
	char *b = mmap(0, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	r->sqes = mmap(0, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	r->sq_tail = (unsigned *)(b + p.sq_off.tail);
	r->sq_mask = (unsigned *)(b + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(b + p.sq_off.array);
	r->sq_flags = (unsigned *)(b + p.sq_off.flags);
	r->cq_head = (unsigned *)(b + p.cq_off.head);
	r->cq_tail = (unsigned *)(b + p.cq_off.tail);
	return 0;
}

static int pipefd[2];
static volatile uint64_t written_at;

static void *writer(void *arg)
{
	usleep(2000);
	written_at = now_ns();
	if (write(pipefd[1], "x", 1) != 1)
		abort();
	return arg;
}

/* Spins in user mode until the CQE shows; returns the delay from the write in ns, -1 on error. */
static int64_t one(unsigned flags, int *taskrun_seen)
{
	struct ring r;
	if (pipe(pipefd) || setup(&r, flags))
		return -1;
	unsigned t = *r.sq_tail, i = t & *r.sq_mask;
	memset(&r.sqes[i], 0, sizeof(r.sqes[i]));
	r.sqes[i].opcode = IORING_OP_POLL_ADD;
	r.sqes[i].fd = pipefd[0];
	r.sqes[i].poll32_events = POLLIN;
	r.sq_array[i] = i;
	__atomic_store_n(r.sq_tail, t + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r.fd, 1, 0, 0, NULL, 0) != 1)
		return -1;
	written_at = 0;
	pthread_t th;
	pthread_create(&th, NULL, writer, NULL);
	uint64_t seen = 0;
	*taskrun_seen = 0;
	uint64_t deadline = now_ns() + 50ull * 1000 * 1000;
	while (now_ns() < deadline) {
		if (__atomic_load_n(r.sq_flags, __ATOMIC_ACQUIRE) & IORING_SQ_TASKRUN)
			*taskrun_seen = 1;
		if (__atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE) != *r.cq_head) {
			seen = now_ns();
			break;
		}
	}
	pthread_join(th, NULL);
	close(pipefd[0]);
	close(pipefd[1]);
	close(r.fd);
	return seen ? (int64_t)(seen - written_at) : -1;
}

/* For the sleep case the main thread cannot watch; a watcher thread polls the CQ tail. */
struct watch { struct ring *r; volatile uint64_t at; volatile int stop; };
static void *watcher(void *arg)
{
	struct watch *w = arg;
	while (!w->stop) {
		if (__atomic_load_n(w->r->cq_tail, __ATOMIC_ACQUIRE) != *w->r->cq_head) {
			w->at = now_ns();
			return NULL;
		}
	}
	return NULL;
}

static int64_t one_sleep(unsigned flags)
{
	struct ring r;
	if (pipe(pipefd) || setup(&r, flags))
		return -1;
	unsigned t = *r.sq_tail, i = t & *r.sq_mask;
	memset(&r.sqes[i], 0, sizeof(r.sqes[i]));
	r.sqes[i].opcode = IORING_OP_POLL_ADD;
	r.sqes[i].fd = pipefd[0];
	r.sqes[i].poll32_events = POLLIN;
	r.sq_array[i] = i;
	__atomic_store_n(r.sq_tail, t + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r.fd, 1, 0, 0, NULL, 0) != 1)
		return -1;
	struct watch w = { &r, 0, 0 };
	pthread_t th, wt;
	pthread_create(&wt, NULL, watcher, &w);
	pthread_create(&th, NULL, writer, NULL);
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	pthread_join(th, NULL);
	w.stop = 1;
	pthread_join(wt, NULL);
	close(pipefd[0]);
	close(pipefd[1]);
	close(r.fd);
	return w.at ? (int64_t)(w.at - written_at) : -1;
}

static int cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 30;
	struct { const char *name; unsigned flags; int sleep; } modes[] = {
		{ "spin, TWA_SIGNAL (no COOP)", 0, 0 },
		{ "spin, COOP_TASKRUN|TASKRUN_FLAG", IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG, 0 },
		{ "nanosleep, COOP_TASKRUN|TASKRUN_FLAG", IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG, 1 },
	};
	for (unsigned m = 0; m < 3; m++) {
		int64_t *d = calloc(n, sizeof(*d));
		int ok = 0, flag = 0;
		for (int k = 0; k < n; k++) {
			int seen = 0;
			int64_t v = modes[m].sleep ? one_sleep(modes[m].flags) : one(modes[m].flags, &seen);
			flag += seen;
			if (v >= 0)
				d[ok++] = v;
		}
		qsort(d, ok, sizeof(*d), cmp);
		printf("%-40s runs %d  median %8.1f us  max %8.1f us  SQ_TASKRUN seen %d/%d\n", modes[m].name, ok,
		       ok ? d[ok / 2] / 1e3 : -1.0, ok ? d[ok - 1] / 1e3 : -1.0, flag, n);
		free(d);
	}
	return 0;
}

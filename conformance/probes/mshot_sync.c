// SPDX-License-Identifier: MIT
/*
 * mshot_sync: does a MULTISHOT uring_cmd that its file answers at once get a CQE?
 *
 * io_uring/uring_cmd.c:io_uring_cmd of Linux 6.18 up to the fix (commit 360941242f09,
 * "io_uring/uring_cmd: don't skip completion for a synchronous multishot cmd", 7.3 merge
 * window, queued for the 6.18 stable series after 6.18.44) returns IOU_ISSUE_SKIP_COMPLETE for
 * a MULTISHOT command whose ->uring_cmd() returned a value >= 0: no CQE is ever posted and the
 * request stays in flight. /dev/null's uring_cmd hook answers 0 to every command, so a
 * MULTISHOT (+ IOSQE_BUFFER_SELECT, which prep requires) command on /dev/null shows it.
 *
 * Prints "cqe res=..." on a fixed kernel and "no cqe" on an affected one. On an affected
 * kernel the request leaks: closing the ring leaves its exit work waiting (it warns after
 * five minutes). That is why this is a probe run by hand, once, and not a replayed recording.
 * Build: gcc -O2 -o mshot_sync mshot_sync.c
 *
 * Measured on this machine: Linux 6.18.44 prints "no cqe".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef IORING_OP_URING_CMD
#define IORING_OP_URING_CMD 46
#endif
#define URING_CMD_MULTISHOT (1U << 1)

int main(void)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	int ring = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (ring < 0) {
		perror("io_uring_setup");
		return 3;
	}
	size_t sq_sz = p.sq_off.array + p.sq_entries * sizeof(uint32_t);
	size_t cq_sz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	size_t sz = sq_sz > cq_sz ? sq_sz : cq_sz;
	uint8_t *rings = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
			      IORING_OFF_SQ_RING);
	struct io_uring_sqe *sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
					 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (rings == MAP_FAILED || sqes == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	int fd = open("/dev/null", O_RDWR);
	struct io_uring_sqe *s = &sqes[0];
	memset(s, 0, sizeof(*s));
	s->opcode = IORING_OP_URING_CMD;
	s->fd = fd;
	s->flags = IOSQE_BUFFER_SELECT;
	s->rw_flags = URING_CMD_MULTISHOT; /* the uring_cmd_flags union member */
	s->buf_index = 0;		   /* buf_group 0: never consulted, /dev/null selects no buffer */
	s->user_data = 7;
	((uint32_t *)(rings + p.sq_off.array))[0] = 0;
	__atomic_store_n((uint32_t *)(rings + p.sq_off.tail), 1, __ATOMIC_RELEASE);
	int ret = (int)syscall(__NR_io_uring_enter, ring, 1, 0, 0, NULL, 0);
	printf("submit %d\n", ret);
	usleep(20000);
	uint32_t head = *(uint32_t *)(rings + p.cq_off.head);
	uint32_t tail = __atomic_load_n((uint32_t *)(rings + p.cq_off.tail), __ATOMIC_ACQUIRE);
	if (head != tail) {
		struct io_uring_cqe *c = (struct io_uring_cqe *)(rings + p.cq_off.cqes);
		printf("cqe user_data=%llu res=%d flags=0x%x: fixed kernel\n",
		       (unsigned long long)c[head & (p.cq_entries - 1)].user_data, c[head & (p.cq_entries - 1)].res,
		       c[head & (p.cq_entries - 1)].flags);
	} else {
		printf("no cqe: the synchronous multishot completion was skipped\n");
	}
	close(ring);
	return 0;
}

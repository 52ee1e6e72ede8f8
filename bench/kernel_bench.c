// Measures the real kernel doing the work Ringside's benchmark gives the simulator:
//   nop     — batches of 64 NOPs per io_uring_enter(to_submit 64, min_complete 64, GETEVENTS)
//   devnull — batches of 64 IORING_OP_URING_CMD on /dev/null (its uring_cmd answers 0 at once)
//   siocinq — batches of 64 IORING_OP_URING_CMD SOCKET_URING_OP_SIOCINQ on a bound UDP socket
//             (net/socket.c: io_uring_cmd_sock answers inline from the protocol's ioctl)
// Raw syscalls only. Usage: kernel_bench MODE SECONDS. Prints one JSON object.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#ifndef IORING_OP_URING_CMD
#define IORING_OP_URING_CMD 46
#endif
#define SOCK_SIOCINQ 0 /* SOCKET_URING_OP_SIOCINQ */

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
	const char *mode = argc > 1 ? argv[1] : "nop";
	double secs = argc > 2 ? atof(argv[2]) : 1.0;
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	int fd = (int)syscall(__NR_io_uring_setup, 256, &p);
	if (fd < 0) {
		printf("{\"error\":\"io_uring_setup: %s\"}\n", strerror(errno));
		return 3;
	}
	size_t rsz = p.sq_off.array + p.sq_entries * 4;
	size_t csz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (csz > rsz) rsz = csz;
	uint8_t *ring = mmap(NULL, rsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	struct io_uring_sqe *sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (ring == MAP_FAILED || sqes == MAP_FAILED) {
		printf("{\"error\":\"mmap\"}\n");
		return 1;
	}
	uint32_t *sq_tail = (uint32_t *)(ring + p.sq_off.tail);
	uint32_t *sq_array = (uint32_t *)(ring + p.sq_off.array);
	uint32_t *cq_head = (uint32_t *)(ring + p.cq_off.head);
	uint32_t *cq_tail = (uint32_t *)(ring + p.cq_off.tail);
	struct io_uring_cqe *cqes = (struct io_uring_cqe *)(ring + p.cq_off.cqes);
	uint32_t mask = p.sq_entries - 1, cmask = p.cq_entries - 1;
	for (uint32_t i = 0; i < p.sq_entries; i++) sq_array[i] = i;
	int is_sock = strcmp(mode, "siocinq") == 0;
	int devnull = open("/dev/null", O_RDWR);
	if (is_sock) {
		struct sockaddr_in a;
		memset(&a, 0, sizeof a);
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		devnull = socket(AF_INET, SOCK_DGRAM, 0);
		if (devnull < 0 || bind(devnull, (struct sockaddr *)&a, sizeof a) < 0) {
			printf("{\"error\":\"socket: %s\"}\n", strerror(errno));
			return 3;
		}
	}
	int is_cmd = strcmp(mode, "devnull") == 0 || is_sock;
	uint32_t tail = 0;
	uint64_t ops = 0, bad = 0;
	int first_bad = 0;
	double t0 = now(), t1 = t0;
	while (t1 - t0 < secs) {
		for (int i = 0; i < BATCH; i++) {
			struct io_uring_sqe *s = &sqes[tail & mask];
			memset(s, 0, sizeof *s);
			s->opcode = is_cmd ? IORING_OP_URING_CMD : IORING_OP_NOP;
			s->fd = is_cmd ? devnull : -1;
			s->user_data = ops + i;
			if (is_sock) s->cmd_op = SOCK_SIOCINQ;
			tail++;
		}
		__atomic_store_n(sq_tail, tail, __ATOMIC_RELEASE);
		int r = (int)syscall(__NR_io_uring_enter, fd, BATCH, BATCH, IORING_ENTER_GETEVENTS, NULL, 0);
		if (r != BATCH) {
			printf("{\"error\":\"io_uring_enter returned %d\"}\n", r);
			return 1;
		}
		uint32_t h = *cq_head, t = __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE);
		while (h != t) {
			if (cqes[h & cmask].res != 0) {
				if (bad == 0) first_bad = cqes[h & cmask].res;
				bad++;
			}
			h++;
		}
		__atomic_store_n(cq_head, h, __ATOMIC_RELEASE);
		ops += BATCH;
		if ((ops & 1023) == 0) t1 = now();
	}
	t1 = now();
	printf("{\"mode\":\"%s\",\"ops\":%llu,\"seconds\":%.6f,\"ops_per_sec\":%.0f,\"nonzero_res\":%llu,\"first_nonzero_res\":%d}\n", mode,
	       (unsigned long long)ops, t1 - t0, ops / (t1 - t0), (unsigned long long)bad, first_bad);
	return 0;
}

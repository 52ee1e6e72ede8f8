/*
 * The kernel side of the differential fuzzer: runs a line script of io_uring steps on the
 * running kernel with raw syscalls (the recorder's program model, format section 5.0) and
 * prints one JSON object per step with the kernel's results.
 *
 *   setup ENTRIES FLAGS CQ_ENTRIES
 *   pipe                                                    (before setup: the pipe the
 *                                                            READs and WRITEs use)
 *   sqe OPCODE FLAGS FD OFF ADDR LEN OP_FLAGS USER_DATA [ADDR_KIND [BUF_INDEX]]
 *                                                           (written at the local tail;
 *                                                            ADDR_KIND 1: addr is the data
 *                                                            buffer, 2: a timespec of ADDR ns,
 *                                                            3: two iovecs of ADDR & 0xffff bytes
 *                                                            at data and ADDR >> 16 bytes at
 *                                                            data + 2048, 4: data + ADDR)
 *   regbuf                                                  (IORING_REGISTER_BUFFERS: the
 *                                                            data buffer as index 0)
 *   unregbuf                                                (IORING_UNREGISTER_BUFFERS)
 *   socketpair                                              (an AF_UNIX stream pair)
 *   write FD BYTES                                          (write(2) from the data buffer)
 *   publish
 *   sqarray INDEX VALUE
 *   enter TO_SUBMIT MIN_COMPLETE FLAGS TIMEOUT_MS           (TIMEOUT_MS -1: no EXT_ARG)
 *   reap MAX                                                (MAX -1: all)
 *   sleep MS                                                (lets io-wq finish)
 *   close
 *
 * Output lines: {"ret":R,"state":{...}} / {"cqes":[...],"state":{...}}; the fuzzer turns them
 * into a kernel-trace document. Exit status 3 when io_uring is unavailable.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <linux/time_types.h>

#ifndef IORING_SETUP_NO_SQARRAY
#define IORING_SETUP_NO_SQARRAY (1U << 16)
#endif
#ifndef IORING_SETUP_CQE_MIXED
#define IORING_SETUP_CQE_MIXED (1U << 18)
#endif
#ifndef IORING_CQE_F_32
#define IORING_CQE_F_32 (1U << 15)
#endif

struct getevents_arg {
	uint64_t sigmask;
	uint32_t sigmask_sz;
	uint32_t min_wait_usec;
	uint64_t ts;
};

static int ring_fd = -1;
static unsigned flags, sq_entries, cq_entries, local_tail;
static char *rings;
static unsigned char *sqes;
static size_t rings_len, sqes_len;
static struct io_uring_params p;
/* The data buffer every READ and WRITE uses (its content is not part of the comparison), and
 * the timespecs TIMEOUT SQEs point to (the kernel copies them at prep). */
static unsigned char data[4096];
static struct __kernel_timespec tss[64];
static unsigned ts_next;
/* iovec arrays READV/WRITEV SQEs point to (imported at prep). */
static struct iovec iovs[64][2];
static unsigned iov_next;

static unsigned rd(unsigned off) { return __atomic_load_n((unsigned *)(rings + off), __ATOMIC_ACQUIRE); }
static void wr(unsigned off, unsigned v) { __atomic_store_n((unsigned *)(rings + off), v, __ATOMIC_RELEASE); }

static void state(void)
{
	printf("\"state\":{\"sq_head\":%u,\"sq_tail\":%u,\"sq_flags\":%u,\"sq_dropped\":%u,\"cq_head\":%u,\"cq_tail\":%u,\"cq_overflow\":%u}",
	       rd(p.sq_off.head), rd(p.sq_off.tail), rd(p.sq_off.flags), rd(p.sq_off.dropped),
	       rd(p.cq_off.head), rd(p.cq_off.tail), rd(p.cq_off.overflow));
}

int main(void)
{
	char line[512];
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		char cmd[16];
		if (sscanf(line, "%15s", cmd) != 1)
			continue;
		if (!strcmp(cmd, "pipe")) {
			int fds[2];
			if (pipe(fds) < 0) {
				perror("pipe");
				return 1;
			}
			printf("{\"ret\":0,\"r\":%d,\"w\":%d}\n", fds[0], fds[1]);
		} else if (!strcmp(cmd, "socketpair")) {
			int fds[2];
			if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0) {
				perror("socketpair");
				return 1;
			}
			printf("{\"ret\":0,\"a\":%d,\"b\":%d}\n", fds[0], fds[1]);
		} else if (!strcmp(cmd, "write")) {
			int fd;
			unsigned n;
			sscanf(line + 5, "%d %u", &fd, &n);
			if (n > sizeof(data))
				n = sizeof(data);
			long r = write(fd, data, n);
			printf("{\"ret\":%ld,", r < 0 ? -(long)errno : r);
			state();
			printf("}\n");
		} else if (!strcmp(cmd, "setup")) {
			unsigned entries, cq;
			sscanf(line + 5, "%u %u %u", &entries, &flags, &cq);
			memset(&p, 0, sizeof(p));
			p.flags = flags;
			p.cq_entries = cq;
			int fd = syscall(__NR_io_uring_setup, entries, &p);
			if (fd < 0) {
				if (errno == ENOSYS || errno == EPERM)
					return 3;
				printf("{\"ret\":%d}\n", -errno);
				continue;
			}
			ring_fd = fd;
			sq_entries = p.sq_entries;
			cq_entries = p.cq_entries;
			local_tail = 0;
			size_t cqe = (flags & IORING_SETUP_CQE32) ? 32 : 16;
			rings_len = p.cq_off.cqes + cq_entries * cqe;
			if (!(flags & IORING_SETUP_NO_SQARRAY) && p.sq_off.array + 4 * sq_entries > rings_len)
				rings_len = p.sq_off.array + 4 * sq_entries;
			sqes_len = sq_entries * ((flags & IORING_SETUP_SQE128) ? 128 : 64);
			rings = mmap(NULL, rings_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
			sqes = mmap(NULL, sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
			if (rings == MAP_FAILED || sqes == MAP_FAILED) {
				perror("mmap");
				return 1;
			}
			printf("{\"ret\":0,\"sq_entries\":%u,\"cq_entries\":%u,\"features\":%u,", sq_entries, cq_entries, p.features);
			state();
			printf("}\n");
		} else if (!strcmp(cmd, "sqe")) {
			unsigned op, fl, len, opf, kind = 0, bi = 0;
			int fd;
			unsigned long long off, addr, ud;
			sscanf(line + 3, "%u %u %d %llu %llu %u %u %llu %u %u", &op, &fl, &fd, &off, &addr, &len, &opf, &ud, &kind,
			       &bi);
			if (kind == 3) {
				struct iovec *v = iovs[iov_next++ % 64];
				v[0].iov_base = data;
				v[0].iov_len = addr & 0xffff;
				v[1].iov_base = data + 2048;
				v[1].iov_len = (addr >> 16) & 0xffff;
				addr = (uint64_t)(uintptr_t)v;
			} else if (kind == 4) {
				addr = (uint64_t)(uintptr_t)data + addr;
			} else if (kind == 1) {
				addr = (uint64_t)(uintptr_t)data;
			} else if (kind == 2) {
				struct __kernel_timespec *t = &tss[ts_next++ % 64];
				t->tv_sec = addr / 1000000000ULL;
				t->tv_nsec = addr % 1000000000ULL;
				addr = (uint64_t)(uintptr_t)t;
			}
			unsigned slot = local_tail & (sq_entries - 1);
			size_t sz = (flags & IORING_SETUP_SQE128) ? 128 : 64;
			struct io_uring_sqe *s = (void *)(sqes + slot * sz);
			memset(s, 0, sz);
			s->opcode = op;
			s->flags = fl;
			s->fd = fd;
			s->off = off;
			s->addr = addr;
			s->len = len;
			s->rw_flags = opf;
			s->user_data = ud;
			s->buf_index = (uint16_t)bi;
			if (!(flags & IORING_SETUP_NO_SQARRAY))
				((unsigned *)(rings + p.sq_off.array))[slot] = slot;
			local_tail++;
		} else if (!strcmp(cmd, "regbuf") || !strcmp(cmd, "unregbuf")) {
			struct iovec v = { data, sizeof(data) };
			int reg = !strcmp(cmd, "regbuf");
			int r = syscall(__NR_io_uring_register, ring_fd, reg ? IORING_REGISTER_BUFFERS : IORING_UNREGISTER_BUFFERS,
					reg ? &v : NULL, reg ? 1 : 0);
			printf("{\"ret\":%d,", r < 0 ? -errno : r);
			state();
			printf("}\n");
		} else if (!strcmp(cmd, "publish")) {
			wr(p.sq_off.tail, local_tail);
			printf("{");
			state();
			printf("}\n");
		} else if (!strcmp(cmd, "sqarray")) {
			unsigned idx, val;
			sscanf(line + 7, "%u %u", &idx, &val);
			((unsigned *)(rings + p.sq_off.array))[idx] = val;
			printf("{");
			state();
			printf("}\n");
		} else if (!strcmp(cmd, "enter")) {
			unsigned to_submit, min, fl;
			int ms;
			sscanf(line + 5, "%u %u %u %d", &to_submit, &min, &fl, &ms);
			struct __kernel_timespec ts;
			struct getevents_arg a = {0};
			void *arg = NULL;
			size_t argsz = 0;
			if (ms >= 0) {
				ts.tv_sec = ms / 1000;
				ts.tv_nsec = (long long)(ms % 1000) * 1000000;
				a.ts = (uint64_t)(uintptr_t)&ts;
				arg = &a;
				argsz = sizeof(a);
			}
			int r = syscall(__NR_io_uring_enter, ring_fd, to_submit, min, fl, arg, argsz);
			printf("{\"ret\":%d,", r < 0 ? -errno : r);
			state();
			printf("}\n");
		} else if (!strcmp(cmd, "reap")) {
			int max;
			sscanf(line + 4, "%d", &max);
			unsigned head = rd(p.cq_off.head), tail = rd(p.cq_off.tail);
			int n = 0;
			size_t cqe = (flags & IORING_SETUP_CQE32) ? 32 : 16;
			printf("{\"cqes\":[");
			while (head != tail && (max < 0 || n < max)) {
				struct io_uring_cqe *c = (void *)(rings + p.cq_off.cqes + (head & (cq_entries - 1)) * cqe);
				int big = (flags & IORING_SETUP_CQE32) || ((flags & IORING_SETUP_CQE_MIXED) && (c->flags & IORING_CQE_F_32));
				printf("%s{\"user_data\":\"%llu\",\"res\":%d,\"flags\":%u", n ? "," : "",
				       (unsigned long long)c->user_data, c->res, c->flags);
				if (big)
					printf(",\"big_cqe\":[\"%llu\",\"%llu\"]", (unsigned long long)c->big_cqe[0],
					       (unsigned long long)c->big_cqe[1]);
				printf("}");
				unsigned slots = ((flags & IORING_SETUP_CQE_MIXED) && (c->flags & IORING_CQE_F_32)) ? 2 : 1;
				/* Never past the tail (stale F_32 content in the slot before it). */
				head += (tail - head < slots) ? tail - head : slots;
				n++;
			}
			wr(p.cq_off.head, head);
			printf("],");
			state();
			printf("}\n");
		} else if (!strcmp(cmd, "sleep")) {
			unsigned ms;
			sscanf(line + 5, "%u", &ms);
			usleep(ms * 1000);
			printf("{}\n");
		} else if (!strcmp(cmd, "close")) {
			printf("{");
			state();
			printf("}\n");
			munmap(rings, rings_len);
			munmap(sqes, sqes_len);
			close(ring_fd);
			ring_fd = -1;
		}
	}
	return 0;
}

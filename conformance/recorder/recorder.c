/*
 * Ringside conformance recorder: runs small io_uring scenarios on the
 * running kernel and writes each one as a "kernel-trace" version 1 JSON
 * document (docs/trace-format.md).
 *
 * Usage: recorder OUTDIR [scenario-name ...]
 *
 * Exit status: 0 when every requested scenario was recorded, 3 when
 * io_uring is unavailable (io_uring_setup fails with ENOSYS or EPERM),
 * 1 on any other error.
 *
 * The program model is the one of section 5.0 of the format: one mapping
 * for the SQ and CQ rings (IORING_FEAT_SINGLE_MMAP), one for the SQE
 * array, an identity SQ index array, a private local SQ tail, zero-filled
 * SQEs, a store-release of the SQ tail to publish, and a load-acquire of
 * the CQ tail followed by a store-release of the CQ head to reap. Only raw
 * system calls are used; liburing is not linked.
 *
 * Build: gcc -O2 -Wall -Wextra -o recorder recorder.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "uapi_compat.h"

#define EXIT_UNAVAILABLE 3

/* ------------------------------------------------------------------ */
/* Growable string buffer and a tiny JSON emitter.                     */
/* ------------------------------------------------------------------ */

struct sb {
	char *p;
	size_t len, cap;
};

static void sb_reserve(struct sb *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 1024;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		fprintf(stderr, "recorder: out of memory\n");
		exit(1);
	}
	b->p = p;
	b->cap = cap;
}

static void sb_puts(struct sb *b, const char *s)
{
	size_t n = strlen(s);
	sb_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void sb_free(struct sb *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

#define JW_MAX_DEPTH 16

/*
 * A JSON writer. Containers opened with nl=1 put each element on its own
 * line, indented by two spaces per level; others stay on one line.
 */
struct jw {
	struct sb *b;
	int depth;
	int first[JW_MAX_DEPTH];
	int nl[JW_MAX_DEPTH];
};

static void jw_init(struct jw *w, struct sb *b, int depth)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
	w->depth = depth;
	w->first[depth] = 1;
	w->nl[depth] = 1;
}

static void jw_indent(struct jw *w, int depth)
{
	sb_puts(w->b, "\n");
	for (int i = 0; i < depth; i++)
		sb_puts(w->b, "  ");
}

static void jw_str_raw(struct sb *b, const char *s)
{
	sb_puts(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_printf(b, "\\%c", *p);
		else if (*p == '\n')
			sb_puts(b, "\\n");
		else if (*p == '\t')
			sb_puts(b, "\\t");
		else if (*p < 0x20)
			sb_printf(b, "\\u%04x", *p);
		else
			sb_printf(b, "%c", *p);
	}
	sb_puts(b, "\"");
}

/* Separator, line break and key before a value. */
static void jw_pre(struct jw *w, const char *key)
{
	if (!w->first[w->depth])
		sb_puts(w->b, ",");
	w->first[w->depth] = 0;
	if (w->nl[w->depth])
		jw_indent(w, w->depth);
	if (key) {
		jw_str_raw(w->b, key);
		sb_puts(w->b, ":");
	}
}

static void jw_open(struct jw *w, const char *key, char c, int nl)
{
	jw_pre(w, key);
	sb_printf(w->b, "%c", c);
	if (w->depth + 1 >= JW_MAX_DEPTH) {
		fprintf(stderr, "recorder: JSON nesting too deep\n");
		exit(1);
	}
	w->depth++;
	w->first[w->depth] = 1;
	w->nl[w->depth] = nl;
}

static void jw_close(struct jw *w, char c)
{
	if (w->nl[w->depth] && !w->first[w->depth])
		jw_indent(w, w->depth - 1);
	sb_printf(w->b, "%c", c);
	w->depth--;
}

static void jw_obj(struct jw *w, const char *key) { jw_open(w, key, '{', 0); }
static void jw_obj_nl(struct jw *w, const char *key) { jw_open(w, key, '{', 1); }
static void jw_obj_end(struct jw *w) { jw_close(w, '}'); }
static void jw_arr(struct jw *w, const char *key) { jw_open(w, key, '[', 0); }
static void jw_arr_nl(struct jw *w, const char *key) { jw_open(w, key, '[', 1); }
static void jw_arr_end(struct jw *w) { jw_close(w, ']'); }

static void jw_int(struct jw *w, const char *key, long long v)
{
	jw_pre(w, key);
	sb_printf(w->b, "%lld", v);
}

/* u64 values: a number below 2^53, a decimal string otherwise. */
static void jw_u64(struct jw *w, const char *key, uint64_t v)
{
	jw_pre(w, key);
	if (v < (1ULL << 53))
		sb_printf(w->b, "%" PRIu64, v);
	else
		sb_printf(w->b, "\"%" PRIu64 "\"", v);
}

static void jw_double(struct jw *w, const char *key, double v)
{
	jw_pre(w, key);
	sb_printf(w->b, "%.3f", v);
}

static void jw_str(struct jw *w, const char *key, const char *s)
{
	jw_pre(w, key);
	jw_str_raw(w->b, s);
}

static void jw_bool(struct jw *w, const char *key, int v)
{
	jw_pre(w, key);
	sb_puts(w->b, v ? "true" : "false");
}

static void jw_null(struct jw *w, const char *key)
{
	jw_pre(w, key);
	sb_puts(w->b, "null");
}

/* ------------------------------------------------------------------ */
/* Names of flag bits, opcodes and errno values (informational).      */
/* ------------------------------------------------------------------ */

static const char *const setup_flag_names[] = {
	"IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP", "ATTACH_WQ", "R_DISABLED",
	"SUBMIT_ALL", "COOP_TASKRUN", "TASKRUN_FLAG", "SQE128", "CQE32",
	"SINGLE_ISSUER", "DEFER_TASKRUN", "NO_MMAP", "REGISTERED_FD_ONLY",
	"NO_SQARRAY", "HYBRID_IOPOLL", "CQE_MIXED", "SQE_MIXED", "SQ_REWIND",
};
static const char *const feature_names[] = {
	"SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY",
	"FAST_POLL", "POLL_32BITS", "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS",
	"RSRC_TAGS", "CQE_SKIP", "LINKED_FILE", "REG_REG_RING", "RECVSEND_BUNDLE",
	"MIN_TIMEOUT", "RW_ATTR", "NO_IOWAIT",
};
static const char *const enter_flag_names[] = {
	"GETEVENTS", "SQ_WAKEUP", "SQ_WAIT", "EXT_ARG", "REGISTERED_RING",
	"ABS_TIMER", "EXT_ARG_REG", "NO_IOWAIT",
};
static const char *const sqe_flag_names[] = {
	"FIXED_FILE", "IO_DRAIN", "IO_LINK", "IO_HARDLINK", "ASYNC",
	"BUFFER_SELECT", "CQE_SKIP_SUCCESS",
};
static const char *const sq_flag_names[] = { "NEED_WAKEUP", "CQ_OVERFLOW", "TASKRUN" };
/* IORING_CQE_F_*: bits 0-5, 15 (F_32) and 16 (TSTAMP_HW) have names. */
static const char *const cqe_flag_names[] = {
	"BUFFER", "MORE", "SOCK_NONEMPTY", "NOTIF", "BUF_MORE", "SKIP", NULL, NULL,
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, "32", "TSTAMP_HW",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void jw_names(struct jw *w, const char *key, uint32_t v, const char *const *names, size_t n)
{
	jw_arr(w, key);
	for (unsigned bit = 0; bit < 32; bit++) {
		if (!(v & (1U << bit)))
			continue;
		if (bit < n && names[bit]) {
			jw_str(w, NULL, names[bit]);
		} else {
			char tmp[16];
			snprintf(tmp, sizeof(tmp), "bit%u", bit);
			jw_str(w, NULL, tmp);
		}
	}
	jw_arr_end(w);
}

static const char *const op_names[] = {
	"NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD",
	"POLL_REMOVE", "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT",
	"TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL", "LINK_TIMEOUT", "CONNECT",
	"FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ", "WRITE",
	"FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE",
	"PROVIDE_BUFFERS", "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT",
	"UNLINKAT", "MKDIRAT", "SYMLINKAT", "LINKAT", "MSG_RING", "FSETXATTR",
	"SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET", "URING_CMD", "SEND_ZC",
	"SENDMSG_ZC", "READ_MULTISHOT", "WAITID", "FUTEX_WAIT", "FUTEX_WAKE",
	"FUTEX_WAITV", "FIXED_FD_INSTALL", "FTRUNCATE", "BIND", "LISTEN", "RECV_ZC",
	"EPOLL_WAIT", "READV_FIXED", "WRITEV_FIXED", "PIPE", "NOP128", "URING_CMD128",
};

/* Last valid opcode of the running kernel, from IORING_REGISTER_PROBE. */
static int g_last_op = (int)ARRAY_SIZE(op_names) - 1;

static const char *op_name(unsigned op)
{
	if ((int)op > g_last_op)
		return "INVALID";
	if (op < ARRAY_SIZE(op_names))
		return op_names[op];
	return "UNKNOWN";
}

/* Adds "<key>": v and, for -4095..-1, "<key>_errno": "-EXXX". */
static void jw_res(struct jw *w, const char *key, long long v)
{
	jw_int(w, key, v);
	if (v < 0 && v >= -4095) {
		char k[64], name[64];
		const char *n = strerrorname_np((int)-v);
		if (n)
			snprintf(name, sizeof(name), "-%s", n);
		else
			snprintf(name, sizeof(name), "-E%lld", -v);
		snprintf(k, sizeof(k), "%s_errno", key);
		jw_str(w, k, name);
	}
}

static const char *errname(int e)
{
	static char buf[64];
	const char *n = strerrorname_np(e < 0 ? -e : e);
	snprintf(buf, sizeof(buf), "-%s", n ? n : "E?");
	return buf;
}

/* ------------------------------------------------------------------ */
/* Raw system calls.                                                   */
/* ------------------------------------------------------------------ */

static int sys_io_uring_setup(unsigned entries, struct io_uring_params *p)
{
	return (int)syscall(__NR_io_uring_setup, entries, p);
}

static int sys_io_uring_enter(int fd, unsigned to_submit, unsigned min_complete,
			      unsigned flags, const void *arg, size_t argsz)
{
	return (int)syscall(__NR_io_uring_enter, fd, to_submit, min_complete, flags, arg, argsz);
}

static int sys_io_uring_register(int fd, unsigned opcode, const void *arg, unsigned nr_args)
{
	return (int)syscall(__NR_io_uring_register, fd, opcode, arg, nr_args);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/*
 * Step clock (docs/tracepoints.md). With RINGSIDE_STEP_CLOCK=FILE, the recorder notes the
 * CLOCK_MONOTONIC time at the end of every step, so the io_uring tracepoints that a trace
 * instance recorded with the same clock can be attached to the step that caused them. Taking the
 * time is no system call (vDSO), and the lines are written to FILE only between scenarios, so
 * the scenarios run exactly the system calls they run without it. tracefs prints times in
 * microseconds: a boundary waits until the clock has moved two microseconds on, so no event of
 * the next step can print the microsecond that ends this one.
 */
static struct sb g_clock_sb;
static const char *g_clock_path;

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Notes "<scenario> <what> <boundary_us>"; events printed at or before boundary_us precede it. */
static void clock_mark(const char *scenario, const char *what)
{
	if (!g_clock_path)
		return;
	uint64_t us = mono_ns() / 1000;
	while (mono_ns() / 1000 < us + 2)
		;
	sb_printf(&g_clock_sb, "%s %s %" PRIu64 "\n", scenario, what, us + 1);
}

static void clock_flush(void)
{
	if (!g_clock_path || !g_clock_sb.len)
		return;
	FILE *f = fopen(g_clock_path, "a");
	if (!f || fwrite(g_clock_sb.p, 1, g_clock_sb.len, f) != g_clock_sb.len || fclose(f) != 0) {
		perror("recorder: RINGSIDE_STEP_CLOCK");
		exit(1);
	}
	g_clock_sb.len = 0;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ------------------------------------------------------------------ */
/* Trace state.                                                        */
/* ------------------------------------------------------------------ */

struct ring {
	int fd;
	unsigned flags;
	struct io_uring_params p;
	unsigned char *rmem;
	size_t rsz;
	unsigned char *sqes;
	size_t ssz;
	uint32_t *sq_head, *sq_tail, *sq_mask, *sq_entries, *sq_flags, *sq_dropped, *sq_array;
	uint32_t *cq_head, *cq_tail, *cq_mask, *cq_entries, *cq_overflow, *cq_flags;
	unsigned char *cqes;
	uint32_t local_tail;
	unsigned sqe_size, cqe_size;
};

/* Pointer descriptor (format section 6.2): "int32", "buffer" (size > 0) or "timespec" (is_ts). */
/* One element of an "iovec" descriptor: a named buffer at an offset, or a literal base address. */
struct tiov {
	const char *buf; /* NULL: iov_base is the literal base */
	int size;        /* the named buffer's size */
	int off;
	uint64_t base;
	uint64_t len;
	int has_value; /* store value (an int32) at buf + off first */
	int32_t value;
};

#define MAX_IOV 8

struct ptrd {
	const char *buf; /* NULL: the field is a plain number (or a timespec, with is_ts) */
	int has_value;
	int32_t value;
	int size;      /* > 0: a "buffer" descriptor of this many bytes */
	int offset;    /* "buffer": the address is this many bytes into the buffer */
	int is_ts;     /* a "timespec" descriptor */
	long long sec, nsec;
	int is_iov;    /* an "iovec" descriptor: an array of niov struct iovec */
	int niov;
	struct tiov iov[MAX_IOV];
};

/* One SQE as the program writes it (format section 6.1). */
struct sqe {
	uint8_t opcode, flags;
	uint16_t ioprio;
	int32_t fd;
	const char *fd_ref, *file, *fd_kind, *fd_note;
	uint64_t off;
	uint32_t cmd_op, pad1; /* URING_CMD only, in place of off */
	uint64_t addr;
	struct ptrd addr_ptr;
	uint32_t len, op_flags;
	uint64_t user_data;
	uint16_t buf_index, personality;
	int32_t splice_fd_in;
	uint64_t addr3;
	struct ptrd addr3_ptr;
	uint64_t pad2;
	uint8_t upper[64]; /* bytes 64..127 on SQE128 rings */
};

struct tfile {
	char id[32];
	const char *kind;
	int fd;
	int fd_recorded; /* the descriptor number at creation, for "fd" */
	const char *access, *path, *peer, *listener;
	int backlog;
	const char *what;
};

/* A named user buffer: an int32 at its start, room for the largest "buffer" descriptor. */
#define TBUF_BYTES 70000
struct tbuf {
	char name[32];
	union {
		int32_t v;
		unsigned char bytes[TBUF_BYTES];
	};
};

struct rule {
	char path[96];
	int has_ud;
	uint64_t ud;
	int unordered;
	const char *why;
};

#define MAX_FILES 12
#define MAX_BUFS 12
#define MAX_PENDING 64
#define MAX_RULES 16
#define MAX_TIMING 8

struct trace {
	const char *name;
	const char *desc;
	const char *outdir;
	struct sb files_sb, steps_sb, cqes_sb;
	struct jw js, jc;
	int nsteps;
	struct tfile files[MAX_FILES];
	int nfiles;
	struct tbuf bufs[MAX_BUFS];
	int nbufs;
	struct rule rules[MAX_RULES];
	int nrules;
	const char *timing[MAX_TIMING];
	int ntiming;
	struct ring r;
	int ring_open;
	struct sqe pending[MAX_PENDING];
	uint32_t pending_idx[MAX_PENDING];
	int npending;
	int skipped;
	int unavailable;
	int failed;
	/* CQEs of the last reap, for scenarios that look at them. */
	int last_reap_n;
	uint64_t last_ud[64];
	int32_t last_res[64];
};

static void tr_fail(struct trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tr_fail(struct trace *t, const char *fmt, ...)
{
	va_list ap;
	int e = errno;
	fprintf(stderr, "recorder: %s: ", t->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (errno %d: %s)\n", e, strerror(e));
	t->failed = 1;
}

static void tr_ignore(struct trace *t, const char *path, const char *why)
{
	if (t->nrules >= MAX_RULES) {
		t->failed = 1;
		return;
	}
	struct rule *r = &t->rules[t->nrules++];
	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->why = why;
}

/* A rule for the current (just emitted) step: path "/steps/<n-1><suffix>". */
static struct rule *tr_ignore_last(struct trace *t, const char *suffix, const char *why)
{
	char p[96];
	snprintf(p, sizeof(p), "/steps/%d%s", t->nsteps - 1, suffix);
	tr_ignore(t, p, why);
	return t->failed ? NULL : &t->rules[t->nrules - 1];
}

static void tr_timing(struct trace *t, const char *text)
{
	if (t->ntiming < MAX_TIMING)
		t->timing[t->ntiming++] = text;
}

static struct tfile *tr_file(struct trace *t, const char *id)
{
	for (int i = 0; i < t->nfiles; i++)
		if (!strcmp(t->files[i].id, id))
			return &t->files[i];
	fprintf(stderr, "recorder: %s: no file %s\n", t->name, id);
	t->failed = 1;
	return NULL;
}

static int32_t *tr_buf(struct trace *t, const char *name)
{
	for (int i = 0; i < t->nbufs; i++)
		if (!strcmp(t->bufs[i].name, name))
			return &t->bufs[i].v;
	if (t->nbufs >= MAX_BUFS) {
		t->failed = 1;
		return NULL;
	}
	struct tbuf *b = &t->bufs[t->nbufs++];
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->v = 0;
	return &b->v;
}

/* ------------------------------------------------------------------ */
/* Files (format section 3). All are created before step 0.           */
/* ------------------------------------------------------------------ */

static struct tfile *file_add(struct trace *t, const char *id, const char *kind, int fd, const char *what)
{
	if (t->nsteps) {
		fprintf(stderr, "recorder: %s: file %s created after step 0\n", t->name, id);
		t->failed = 1;
	}
	if (t->nfiles >= MAX_FILES) {
		t->failed = 1;
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct tfile *f = &t->files[t->nfiles++];
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", id);
	f->kind = kind;
	f->fd = fd;
	f->fd_recorded = fd;
	f->what = what;
	return f;
}

static int file_regular(struct trace *t, const char *id)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/.ringside-recorder-XXXXXX", t->outdir);
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		tr_fail(t, "mkostemp in %s", t->outdir);
		return -1;
	}
	if (unlink(path) < 0) {
		tr_fail(t, "unlink %s", path);
		close(fd);
		return -1;
	}
	/* mkostemp opens O_RDWR; the file is new, empty and now nameless. */
	struct tfile *f = file_add(t, id, "regular_file", fd,
				   "mkostemp() in the output directory (a disk file system), O_RDWR, then unlink()");
	if (f)
		f->access = "rdwr";
	return fd;
}

static int file_dev(struct trace *t, const char *id, const char *kind, const char *path, int access)
{
	int fd = open(path, access | O_CLOEXEC);
	if (fd < 0) {
		tr_fail(t, "open %s", path);
		return -1;
	}
	struct tfile *f = file_add(t, id, kind, fd, "open()");
	if (f)
		f->access = access == O_RDONLY ? "rdonly" : access == O_WRONLY ? "wronly" : "rdwr";
	return fd;
}

static int file_pipe(struct trace *t, const char *rid, const char *wid)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		tr_fail(t, "pipe2");
		return -1;
	}
	struct tfile *r = file_add(t, rid, "pipe_read_end", p[0], "pipe2(O_CLOEXEC)");
	struct tfile *w = file_add(t, wid, "pipe_write_end", p[1], "pipe2(O_CLOEXEC)");
	if (r && w) {
		r->peer = w->id;
		w->peer = r->id;
	}
	return 0;
}

static int file_eventfd(struct trace *t, const char *id)
{
	int fd = eventfd(0, 0);
	if (fd < 0) {
		tr_fail(t, "eventfd");
		return -1;
	}
	file_add(t, id, "eventfd", fd, "eventfd(0, 0)");
	return fd;
}

static int file_unix_pair(struct trace *t, int type, const char *a, const char *b)
{
	int sv[2];
	const char *kind = type == SOCK_STREAM ? "unix_stream" : type == SOCK_DGRAM ? "unix_dgram" : "unix_seqpacket";
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) < 0) {
		tr_fail(t, "socketpair");
		return -1;
	}
	struct tfile *fa = file_add(t, a, kind, sv[0], "socketpair(AF_UNIX)");
	struct tfile *fb = file_add(t, b, kind, sv[1], "socketpair(AF_UNIX)");
	if (fa && fb) {
		fa->peer = fb->id;
		fb->peer = fa->id;
	}
	return 0;
}

static int loopback_bind(struct trace *t, int fd, struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa->sin_port = 0;
	if (bind(fd, (struct sockaddr *)sa, sizeof(*sa)) < 0) {
		tr_fail(t, "bind 127.0.0.1:0");
		return -1;
	}
	if (getsockname(fd, (struct sockaddr *)sa, &len) < 0) {
		tr_fail(t, "getsockname");
		return -1;
	}
	return 0;
}

/* A listener, a client connected through it and the accepted server end. */
static int file_tcp(struct trace *t, const char *lid, const char *cid, const char *sid, int backlog)
{
	struct sockaddr_in sa;
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0) {
		tr_fail(t, "socket tcp");
		return -1;
	}
	struct tfile *fl = file_add(t, lid, "tcp_listener", l, "socket(AF_INET, SOCK_STREAM), bind 127.0.0.1:0, listen()");
	if (!fl || loopback_bind(t, l, &sa) < 0)
		return -1;
	fl->backlog = backlog;
	if (listen(l, backlog) < 0) {
		tr_fail(t, "listen");
		return -1;
	}
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0) {
		tr_fail(t, "socket tcp client");
		return -1;
	}
	struct tfile *fc = file_add(t, cid, "tcp_client", c, "socket(AF_INET, SOCK_STREAM), blocking connect() to the listener");
	if (!fc)
		return -1;
	if (connect(c, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		tr_fail(t, "connect");
		return -1;
	}
	int s = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0) {
		tr_fail(t, "accept4");
		return -1;
	}
	struct tfile *fs = file_add(t, sid, "tcp_server", s, "accept4() on the listener");
	if (!fs)
		return -1;
	fc->peer = fs->id;
	fc->listener = fl->id;
	fs->peer = fc->id;
	fs->listener = fl->id;
	return 0;
}

static int file_udp(struct trace *t, const char *rxid, const char *txid)
{
	struct sockaddr_in sa;
	int rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (rx < 0) {
		tr_fail(t, "socket udp");
		return -1;
	}
	struct tfile *frx = file_add(t, rxid, "udp_rx", rx, "socket(AF_INET, SOCK_DGRAM), bind 127.0.0.1:0");
	if (!frx || loopback_bind(t, rx, &sa) < 0)
		return -1;
	int tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (tx < 0) {
		tr_fail(t, "socket udp tx");
		return -1;
	}
	struct tfile *ftx = file_add(t, txid, "udp_tx", tx, "socket(AF_INET, SOCK_DGRAM), connect() to the udp_rx");
	if (!ftx)
		return -1;
	if (connect(tx, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		tr_fail(t, "connect udp");
		return -1;
	}
	ftx->peer = frx->id;
	return 0;
}

/* A listener with no connection yet (ACCEPT scenarios connect to it with `connect` steps). */
static int file_tcp_listener(struct trace *t, const char *id, int backlog)
{
	struct sockaddr_in sa;
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0) {
		tr_fail(t, "socket tcp");
		return -1;
	}
	struct tfile *fl = file_add(t, id, "tcp_listener", l, "socket(AF_INET, SOCK_STREAM), bind 127.0.0.1:0, listen()");
	if (!fl || loopback_bind(t, l, &sa) < 0)
		return -1;
	fl->backlog = backlog;
	if (listen(l, backlog) < 0) {
		tr_fail(t, "listen");
		return -1;
	}
	return l;
}

/* A TCP socket that is neither bound nor connected. */
static int file_tcp_unconnected(struct trace *t, const char *id)
{
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0) {
		tr_fail(t, "socket tcp");
		return -1;
	}
	file_add(t, id, "tcp_unconnected", c, "socket(AF_INET, SOCK_STREAM)");
	return c;
}

static void emit_files(struct trace *t)
{
	struct jw w;
	jw_init(&w, &t->files_sb, 2);
	for (int i = 0; i < t->nfiles; i++) {
		struct tfile *f = &t->files[i];
		jw_obj(&w, NULL);
		jw_str(&w, "id", f->id);
		jw_str(&w, "fd_kind", f->kind);
		jw_int(&w, "fd", f->fd_recorded);
		if (f->access)
			jw_str(&w, "access", f->access);
		if (f->path)
			jw_str(&w, "path", f->path);
		if (f->peer)
			jw_str(&w, "peer", f->peer);
		if (f->listener)
			jw_str(&w, "listener", f->listener);
		if (!strcmp(f->kind, "tcp_listener"))
			jw_int(&w, "backlog", f->backlog);
		if (f->what)
			jw_str(&w, "what", f->what);
		jw_obj_end(&w);
	}
}

static void close_files(struct trace *t)
{
	for (int i = 0; i < t->nfiles; i++) {
		if (t->files[i].fd >= 0 && close(t->files[i].fd) < 0)
			tr_fail(t, "close %s", t->files[i].id);
		t->files[i].fd = -1;
	}
}

/* ------------------------------------------------------------------ */
/* Ring mapping and state.                                             */
/* ------------------------------------------------------------------ */

static uint32_t ld_acq(const uint32_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static void st_rel(uint32_t *p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

static int ring_map(struct trace *t, int fd, unsigned flags, const struct io_uring_params *p)
{
	struct ring *r = &t->r;
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->flags = flags;
	r->p = *p;
	r->sqe_size = (flags & IORING_SETUP_SQE128) ? 128 : 64;
	r->cqe_size = (flags & IORING_SETUP_CQE32) ? 32 : 16;
	if (!(p->features & IORING_FEAT_SINGLE_MMAP)) {
		errno = ENOTSUP;
		tr_fail(t, "kernel lacks IORING_FEAT_SINGLE_MMAP");
		return -1;
	}
	size_t sq_sz = (flags & IORING_SETUP_NO_SQARRAY) ? 0 : p->sq_off.array + p->sq_entries * sizeof(uint32_t);
	size_t cq_sz = p->cq_off.cqes + (size_t)p->cq_entries * r->cqe_size;
	r->rsz = sq_sz > cq_sz ? sq_sz : cq_sz;
	void *m = mmap(NULL, r->rsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	if (m == MAP_FAILED) {
		tr_fail(t, "mmap rings");
		return -1;
	}
	r->rmem = m;
	r->ssz = (size_t)p->sq_entries * r->sqe_size;
	m = mmap(NULL, r->ssz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (m == MAP_FAILED) {
		tr_fail(t, "mmap sqes");
		munmap(r->rmem, r->rsz);
		return -1;
	}
	r->sqes = m;
	unsigned char *b = r->rmem;
	r->sq_head = (uint32_t *)(b + p->sq_off.head);
	r->sq_tail = (uint32_t *)(b + p->sq_off.tail);
	r->sq_mask = (uint32_t *)(b + p->sq_off.ring_mask);
	r->sq_entries = (uint32_t *)(b + p->sq_off.ring_entries);
	r->sq_flags = (uint32_t *)(b + p->sq_off.flags);
	r->sq_dropped = (uint32_t *)(b + p->sq_off.dropped);
	r->sq_array = (flags & IORING_SETUP_NO_SQARRAY) ? NULL : (uint32_t *)(b + p->sq_off.array);
	r->cq_head = (uint32_t *)(b + p->cq_off.head);
	r->cq_tail = (uint32_t *)(b + p->cq_off.tail);
	r->cq_mask = (uint32_t *)(b + p->cq_off.ring_mask);
	r->cq_entries = (uint32_t *)(b + p->cq_off.ring_entries);
	r->cq_overflow = (uint32_t *)(b + p->cq_off.overflow);
	r->cq_flags = (uint32_t *)(b + p->cq_off.flags);
	r->cqes = b + p->cq_off.cqes;
	r->local_tail = *r->sq_tail;
	t->ring_open = 1;
	return 0;
}

static void ring_unmap(struct trace *t)
{
	struct ring *r = &t->r;
	if (!t->ring_open)
		return;
	if (munmap(r->sqes, r->ssz) < 0)
		tr_fail(t, "munmap sqes");
	if (munmap(r->rmem, r->rsz) < 0)
		tr_fail(t, "munmap rings");
	if (close(r->fd) < 0)
		tr_fail(t, "close ring");
	t->ring_open = 0;
	t->npending = 0;
}

static void emit_state(struct trace *t, struct jw *w)
{
	struct ring *r = &t->r;
	uint32_t sqh = ld_acq(r->sq_head), sqt = ld_acq(r->sq_tail);
	uint32_t sqf = ld_acq(r->sq_flags), sqd = ld_acq(r->sq_dropped);
	uint32_t cqh = ld_acq(r->cq_head), cqt = ld_acq(r->cq_tail);
	uint32_t cqo = ld_acq(r->cq_overflow), cqf = ld_acq(r->cq_flags);
	jw_obj(w, "state");
	jw_int(w, "sq_head", sqh);
	jw_int(w, "sq_tail", sqt);
	jw_int(w, "sq_pending", (uint32_t)(sqt - sqh));
	jw_int(w, "sq_flags", sqf);
	jw_names(w, "sq_flags_names", sqf, sq_flag_names, ARRAY_SIZE(sq_flag_names));
	jw_int(w, "sq_dropped", sqd);
	jw_int(w, "cq_head", cqh);
	jw_int(w, "cq_tail", cqt);
	jw_int(w, "cq_ready", (uint32_t)(cqt - cqh));
	jw_int(w, "cq_overflow", cqo);
	jw_int(w, "cq_flags", cqf);
	jw_obj_end(w);
}

/* ------------------------------------------------------------------ */
/* Steps (format section 5).                                           */
/* ------------------------------------------------------------------ */

static struct jw *step_begin(struct trace *t, const char *kind)
{
	struct jw *w = &t->js;
	char what[32];
	snprintf(what, sizeof(what), "step%d", t->nsteps);
	clock_mark(t->name, what);
	jw_obj(w, NULL);
	jw_int(w, "step", t->nsteps++);
	jw_str(w, "kind", kind);
	return w;
}

/* Closes a step; adds "state" when a ring is open and the kind has one. */
static void step_end(struct trace *t, int with_state)
{
	struct jw *w = &t->js;
	if (with_state && t->ring_open)
		emit_state(t, w);
	jw_obj_end(w);
}

static void st_note(struct trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void st_note(struct trace *t, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	struct jw *w = step_begin(t, "note");
	jw_str(w, "text", text);
	step_end(t, 0);
}

/* sq_thread_idle / sq_thread_cpu for the next st_setup or st_setup_probe (then reset to 0). */
static unsigned g_sq_idle, g_sq_cpu;

static void emit_setup_inputs(struct jw *w, unsigned entries, unsigned flags, unsigned cq_req)
{
	jw_int(w, "entries", entries);
	jw_int(w, "flags", flags);
	jw_names(w, "flags_names", flags, setup_flag_names, ARRAY_SIZE(setup_flag_names));
	if (flags & IORING_SETUP_CQSIZE)
		jw_int(w, "cq_entries_requested", cq_req);
	if ((flags & (IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF)) || g_sq_idle || g_sq_cpu) {
		jw_int(w, "sq_thread_idle", g_sq_idle);
		jw_int(w, "sq_thread_cpu", g_sq_cpu);
	}
}

static int check_available(struct trace *t, int ret)
{
	if (ret == -ENOSYS || ret == -EPERM) {
		t->unavailable = 1;
		t->failed = 1;
		return 0;
	}
	return 1;
}

/* The offsets io_uring_setup writes back (format section 5.1). */
static void emit_offsets(struct jw *w, const struct io_uring_params *p)
{
	jw_obj(w, "sq_off");
	jw_int(w, "head", p->sq_off.head);
	jw_int(w, "tail", p->sq_off.tail);
	jw_int(w, "ring_mask", p->sq_off.ring_mask);
	jw_int(w, "ring_entries", p->sq_off.ring_entries);
	jw_int(w, "flags", p->sq_off.flags);
	jw_int(w, "dropped", p->sq_off.dropped);
	jw_int(w, "array", p->sq_off.array);
	jw_obj_end(w);
	jw_obj(w, "cq_off");
	jw_int(w, "head", p->cq_off.head);
	jw_int(w, "tail", p->cq_off.tail);
	jw_int(w, "ring_mask", p->cq_off.ring_mask);
	jw_int(w, "ring_entries", p->cq_off.ring_entries);
	jw_int(w, "overflow", p->cq_off.overflow);
	jw_int(w, "cqes", p->cq_off.cqes);
	jw_int(w, "flags", p->cq_off.flags);
	jw_obj_end(w);
}

/* io_uring_setup + mmap; the new ring becomes the current ring. */
static int st_setup(struct trace *t, unsigned entries, unsigned flags, unsigned cq_req)
{
	if (t->failed)
		return -EIO;
	if (t->ring_open) {
		fprintf(stderr, "recorder: %s: setup while a ring is open\n", t->name);
		t->failed = 1;
		return -EIO;
	}
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	p.flags = flags;
	if (flags & IORING_SETUP_CQSIZE)
		p.cq_entries = cq_req;
	p.sq_thread_idle = g_sq_idle;
	p.sq_thread_cpu = g_sq_cpu;
	int fd = sys_io_uring_setup(entries, &p);
	int ret = fd < 0 ? -errno : 0;
	if (!check_available(t, ret))
		return ret;
	if (fd >= 0 && ring_map(t, fd, flags, &p) < 0) {
		close(fd);
		return -EIO;
	}
	struct jw *w = step_begin(t, "setup");
	emit_setup_inputs(w, entries, flags, cq_req);
	jw_res(w, "ret", ret);
	if (ret == 0) {
		jw_int(w, "sq_entries", p.sq_entries);
		jw_int(w, "cq_entries", p.cq_entries);
		jw_int(w, "features", p.features);
		jw_names(w, "features_names", p.features, feature_names, ARRAY_SIZE(feature_names));
		jw_int(w, "sqe_size", t->r.sqe_size);
		jw_int(w, "cqe_size", t->r.cqe_size);
		emit_offsets(w, &p);
	}
	step_end(t, 1);
	if (ret < 0)
		st_note(t, "io_uring_setup() failed with %s; no ring is open", errname(ret));
	return ret;
}

/*
 * io_uring_setup whose descriptor is closed at once (not mapped). wq: the
 * wq_fd for IORING_SETUP_ATTACH_WQ: -2 the current ring, else a literal.
 */
static int st_setup_probe_wq(struct trace *t, unsigned entries, unsigned flags, unsigned cq_req, int wq,
			     const char *why)
{
	if (t->failed)
		return -EIO;
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	p.flags = flags;
	if (flags & IORING_SETUP_CQSIZE)
		p.cq_entries = cq_req;
	p.sq_thread_idle = g_sq_idle;
	p.sq_thread_cpu = g_sq_cpu;
	if (flags & IORING_SETUP_ATTACH_WQ)
		p.wq_fd = wq == -2 ? (unsigned)t->r.fd : (unsigned)wq;
	int fd = sys_io_uring_setup(entries, &p);
	int ret = fd < 0 ? -errno : 0;
	if (!check_available(t, ret))
		return ret;
	if (fd >= 0 && close(fd) < 0)
		tr_fail(t, "close probe ring");
	struct jw *w = step_begin(t, "setup_probe");
	emit_setup_inputs(w, entries, flags, cq_req);
	if (flags & IORING_SETUP_ATTACH_WQ) {
		jw_str(w, "wq_fd_ref", wq == -2 ? "ring" : "literal");
		jw_int(w, "wq_fd", wq == -2 ? t->r.fd : wq);
	}
	jw_res(w, "ret", ret);
	if (ret == 0) {
		jw_int(w, "sq_entries", p.sq_entries);
		jw_int(w, "cq_entries", p.cq_entries);
		jw_int(w, "features", p.features);
		jw_int(w, "sq_off_array", p.sq_off.array);
		emit_offsets(w, &p);
	}
	if (why)
		jw_str(w, "why", why);
	step_end(t, 1);
	return ret;
}

static int st_setup_probe(struct trace *t, unsigned entries, unsigned flags, unsigned cq_req, const char *why)
{
	return st_setup_probe_wq(t, entries, flags, cq_req, -1, why);
}

static void emit_iov_elems(struct jw *w, const struct tiov *iov, int n)
{
	for (int i = 0; i < n; i++) {
		jw_obj(w, NULL);
		if (iov[i].buf) {
			jw_str(w, "buf", iov[i].buf);
			jw_int(w, "size", iov[i].size);
			jw_int(w, "offset", iov[i].off);
			if (iov[i].has_value)
				jw_int(w, "value", iov[i].value);
		} else {
			jw_u64(w, "base", iov[i].base);
		}
		jw_u64(w, "len", iov[i].len);
		jw_obj_end(w);
	}
}

static void emit_ptr(struct jw *w, const char *key, const char *ptrkey, uint64_t v, const struct ptrd *d)
{
	if (d->is_iov) {
		jw_str(w, key, "<ptr>");
		jw_obj(w, ptrkey);
		jw_str(w, "type", "iovec");
		jw_arr(w, "iov");
		emit_iov_elems(w, d->iov, d->niov);
		jw_arr_end(w);
		jw_obj_end(w);
		return;
	}
	if (d->is_ts) {
		jw_str(w, key, "<ptr>");
		jw_obj(w, ptrkey);
		jw_str(w, "type", "timespec");
		jw_int(w, "tv_sec", d->sec);
		jw_int(w, "tv_nsec", d->nsec);
		jw_obj_end(w);
		return;
	}
	if (!d->buf) {
		jw_u64(w, key, v);
		return;
	}
	jw_str(w, key, "<ptr>");
	jw_obj(w, ptrkey);
	if (d->size > 0) {
		jw_str(w, "type", "buffer");
		jw_str(w, "buf", d->buf);
		jw_int(w, "size", d->size);
		if (d->offset)
			jw_int(w, "offset", d->offset);
	} else {
		jw_str(w, "type", "int32");
		jw_str(w, "buf", d->buf);
		if (d->has_value)
			jw_int(w, "value", d->value);
	}
	jw_obj_end(w);
}

static void emit_sqe(struct trace *t, struct jw *w, const struct sqe *s, uint32_t idx)
{
	struct ring *r = &t->r;
	jw_obj(w, NULL);
	jw_int(w, "sq_index", idx);
	jw_int(w, "slot", idx & *r->sq_mask);
	jw_int(w, "opcode", s->opcode);
	jw_str(w, "op", op_name(s->opcode));
	jw_int(w, "flags", s->flags);
	jw_names(w, "flags_names", s->flags, sqe_flag_names, ARRAY_SIZE(sqe_flag_names));
	jw_int(w, "ioprio", s->ioprio);
	jw_int(w, "fd", s->fd);
	jw_str(w, "fd_ref", s->fd_ref);
	if (s->file)
		jw_str(w, "file", s->file);
	jw_str(w, "fd_kind", s->fd_kind);
	if (s->fd_note)
		jw_str(w, "fd_note", s->fd_note);
	if (s->opcode == RS_OP_URING_CMD) {
		jw_int(w, "cmd_op", s->cmd_op);
		jw_int(w, "__pad1", s->pad1);
	} else {
		jw_u64(w, "off", s->off);
	}
	emit_ptr(w, "addr", "addr_ptr", s->addr, &s->addr_ptr);
	jw_int(w, "len", s->len);
	jw_int(w, "op_flags", s->op_flags);
	jw_u64(w, "user_data", s->user_data);
	jw_int(w, "buf_index", s->buf_index);
	jw_int(w, "personality", s->personality);
	jw_int(w, "splice_fd_in", s->splice_fd_in);
	emit_ptr(w, "addr3", "addr3_ptr", s->addr3, &s->addr3_ptr);
	jw_u64(w, "__pad2", s->pad2);
	if (r->sqe_size == 128) {
		char hex[129];
		for (int i = 0; i < 64; i++)
			snprintf(hex + 2 * i, 3, "%02x", s->upper[i]);
		jw_str(w, "sqe128_upper_hex", hex);
		/* Bytes 48..127 of the SQE as written. */
		unsigned char *mem = r->sqes + (size_t)(idx & *r->sq_mask) * r->sqe_size;
		int nz = 0;
		for (int i = 48; i < 128; i++)
			nz += mem[i] != 0;
		jw_int(w, "sqe128_nonzero_cmd_bytes", nz);
	}
	jw_obj_end(w);
}

static void st_publish(struct trace *t)
{
	if (t->failed || !t->ring_open)
		return;
	struct jw *w = step_begin(t, "publish");
	jw_arr_nl(w, "sqes");
	for (int i = 0; i < t->npending; i++)
		emit_sqe(t, w, &t->pending[i], t->pending_idx[i]);
	jw_arr_end(w);
	t->npending = 0;
	/* Publish: the SQE stores above happen-before the tail store. */
	st_rel(t->r.sq_tail, t->r.local_tail);
	step_end(t, 1);
}

static void publish_pending(struct trace *t)
{
	if (t->npending)
		st_publish(t);
}

static void put8(unsigned char *m, int off, uint8_t v) { m[off] = v; }
static void put16(unsigned char *m, int off, uint16_t v) { memcpy(m + off, &v, 2); }
static void put32(unsigned char *m, int off, uint32_t v) { memcpy(m + off, &v, 4); }
static void put64(unsigned char *m, int off, uint64_t v) { memcpy(m + off, &v, 8); }

/* Timespecs an SQE points to; the kernel copies them at prep, so a small ring of them is enough. */
static struct __kernel_timespec g_ts[64];
static unsigned g_ts_next;

/* iovec arrays SQEs and register calls point to; kept until the end, like every user buffer. */
static struct iovec g_iov[256][MAX_IOV];
static unsigned g_iov_next;

static struct iovec *iov_array(struct trace *t, const struct tiov *e, int n)
{
	struct iovec *a = g_iov[g_iov_next++ % 256];
	for (int i = 0; i < n; i++) {
		if (e[i].buf) {
			int32_t *b = tr_buf(t, e[i].buf);
			a[i].iov_base = b ? (char *)b + e[i].off : NULL;
			if (b && e[i].has_value)
				memcpy((char *)b + e[i].off, &e[i].value, 4);
		} else {
			a[i].iov_base = (void *)(uintptr_t)e[i].base;
		}
		a[i].iov_len = (size_t)e[i].len;
	}
	return a;
}

static uint64_t ptr_value(struct trace *t, uint64_t v, const struct ptrd *d)
{
	if (d->is_iov)
		return (uint64_t)(uintptr_t)iov_array(t, d->iov, d->niov);
	if (d->is_ts) {
		struct __kernel_timespec *ts = &g_ts[g_ts_next++ % 64];
		ts->tv_sec = d->sec;
		ts->tv_nsec = d->nsec;
		return (uint64_t)(uintptr_t)ts;
	}
	if (!d->buf)
		return v;
	int32_t *b = tr_buf(t, d->buf);
	if (!b)
		return 0;
	if (d->has_value)
		*b = d->value;
	return (uint64_t)(uintptr_t)b + (uint64_t)d->offset;
}

/*
 * Writes an SQE at the local tail, as liburing's get_sqe + prep do.
 * Returns 0, or -1 when the SQ is full (a get_sqe step is recorded).
 */
static int queue_sqe(struct trace *t, const struct sqe *s)
{
	struct ring *r = &t->r;
	if (t->failed || !t->ring_open)
		return -1;
	uint32_t head = ld_acq(r->sq_head);
	if (r->local_tail - head >= *r->sq_entries) {
		publish_pending(t);
		struct jw *w = step_begin(t, "get_sqe");
		jw_obj(w, "attempted");
		jw_int(w, "opcode", s->opcode);
		jw_u64(w, "user_data", s->user_data);
		jw_obj_end(w);
		jw_null(w, "result");
		jw_str(w, "why", "SQ full: local tail - sq_head >= sq_entries; nothing written, kernel not called");
		step_end(t, 1);
		return -1;
	}
	if (t->npending >= MAX_PENDING) {
		t->failed = 1;
		return -1;
	}
	uint32_t slot = r->local_tail & *r->sq_mask;
	unsigned char *m = r->sqes + (size_t)slot * r->sqe_size;
	memset(m, 0, r->sqe_size);
	put8(m, 0, s->opcode);
	put8(m, 1, s->flags);
	put16(m, 2, s->ioprio);
	put32(m, 4, (uint32_t)s->fd);
	if (s->opcode == RS_OP_URING_CMD) {
		put32(m, 8, s->cmd_op);
		put32(m, 12, s->pad1);
	} else {
		put64(m, 8, s->off);
	}
	put64(m, 16, ptr_value(t, s->addr, &s->addr_ptr));
	put32(m, 24, s->len);
	put32(m, 28, s->op_flags);
	put64(m, 32, s->user_data);
	put16(m, 40, s->buf_index);
	put16(m, 42, s->personality);
	put32(m, 44, (uint32_t)s->splice_fd_in);
	put64(m, 48, ptr_value(t, s->addr3, &s->addr3_ptr));
	put64(m, 56, s->pad2);
	if (r->sqe_size == 128)
		memcpy(m + 64, s->upper, 64);
	if (r->sq_array)
		r->sq_array[slot] = slot;
	t->pending[t->npending] = *s;
	t->pending_idx[t->npending] = r->local_tail;
	t->npending++;
	r->local_tail++;
	return 0;
}

static void emit_enter_flags(struct jw *w, unsigned flags)
{
	jw_int(w, "flags", flags);
	jw_names(w, "flags_names", flags, enter_flag_names, ARRAY_SIZE(enter_flag_names));
}

/* io_uring_enter on the current ring; timeout_ms < 0: no EXT_ARG. */
static int st_enter(struct trace *t, unsigned to_submit, unsigned min_complete, unsigned flags, int timeout_ms)
{
	if (t->failed || !t->ring_open)
		return -EIO;
	publish_pending(t);
	struct __kernel_timespec ts;
	struct rs_getevents_arg arg;
	const void *argp = NULL;
	size_t argsz = 0;
	if (timeout_ms >= 0) {
		flags |= IORING_ENTER_EXT_ARG;
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long long)(timeout_ms % 1000) * 1000000LL;
		memset(&arg, 0, sizeof(arg));
		arg.ts = (uint64_t)(uintptr_t)&ts;
		argp = &arg;
		argsz = sizeof(arg);
	}
	double t0 = now_ms();
	int ret = sys_io_uring_enter(t->r.fd, to_submit, min_complete, flags, argp, argsz);
	if (ret < 0)
		ret = -errno;
	double el = now_ms() - t0;
	struct jw *w = step_begin(t, "enter");
	jw_int(w, "to_submit", to_submit);
	jw_int(w, "min_complete", min_complete);
	emit_enter_flags(w, flags);
	if (timeout_ms >= 0)
		jw_int(w, "ext_arg_timeout_ms", timeout_ms);
	jw_res(w, "ret", ret);
	if (((flags & IORING_ENTER_GETEVENTS) && min_complete > 0) || timeout_ms >= 0)
		jw_double(w, "elapsed_ms_informational", el);
	step_end(t, 1);
	return ret;
}

/* File descriptor reference for enter_raw (format section 4). */
struct fdref {
	const char *fd_ref; /* "file", "ring" or "literal" */
	const char *file;
	const char *fd_kind;
	int fd;
};

struct rawarg {
	uint64_t sigmask;
	uint32_t sigmask_sz, min_wait_usec;
};

static int st_enter_raw(struct trace *t, struct fdref fr, unsigned to_submit, unsigned min_complete,
			unsigned flags, const struct rawarg *ra, size_t argsz, const char *what)
{
	if (t->failed)
		return -EIO;
	publish_pending(t);
	int fd = fr.fd;
	if (!strcmp(fr.fd_ref, "file")) {
		struct tfile *f = tr_file(t, fr.file);
		if (!f)
			return -EIO;
		fd = f->fd;
		fr.fd_kind = f->kind;
	} else if (!strcmp(fr.fd_ref, "ring")) {
		fd = t->ring_open ? t->r.fd : -1;
		fr.fd_kind = "io_uring";
	}
	struct rs_getevents_arg arg;
	memset(&arg, 0, sizeof(arg));
	if (ra) {
		arg.sigmask = ra->sigmask;
		arg.sigmask_sz = ra->sigmask_sz;
		arg.min_wait_usec = ra->min_wait_usec;
	}
	int ret = sys_io_uring_enter(fd, to_submit, min_complete, flags, ra ? &arg : NULL, argsz);
	if (ret < 0)
		ret = -errno;
	struct jw *w = step_begin(t, "enter_raw");
	jw_int(w, "fd", fd);
	jw_str(w, "fd_ref", fr.fd_ref);
	if (fr.file)
		jw_str(w, "file", fr.file);
	jw_str(w, "fd_kind", fr.fd_kind);
	jw_int(w, "to_submit", to_submit);
	jw_int(w, "min_complete", min_complete);
	emit_enter_flags(w, flags);
	if (ra) {
		jw_obj(w, "arg");
		jw_str(w, "type", "io_uring_getevents_arg");
		jw_u64(w, "sigmask", ra->sigmask);
		jw_int(w, "sigmask_sz", ra->sigmask_sz);
		jw_int(w, "min_wait_usec", ra->min_wait_usec);
		jw_null(w, "ts");
		jw_obj_end(w);
	} else {
		jw_null(w, "arg");
	}
	jw_int(w, "argsz", (long long)argsz);
	jw_res(w, "ret", ret);
	if (what)
		jw_str(w, "what", what);
	step_end(t, 1);
	return ret;
}

struct cqe_view {
	uint64_t user_data;
	int32_t res;
	uint32_t flags;
	int big;
	uint64_t big0, big1;
};

static void emit_cqe(struct jw *w, const struct cqe_view *c, int with_index, uint32_t idx, int with_names)
{
	jw_obj(w, NULL);
	if (with_index)
		jw_int(w, "cq_index", idx);
	jw_u64(w, "user_data", c->user_data);
	jw_res(w, "res", c->res);
	jw_int(w, "flags", c->flags);
	if (with_names)
		jw_names(w, "flags_names", c->flags, cqe_flag_names, ARRAY_SIZE(cqe_flag_names));
	if (c->big) {
		jw_arr(w, "big_cqe");
		jw_u64(w, NULL, c->big0);
		jw_u64(w, NULL, c->big1);
		jw_arr_end(w);
	}
	jw_obj_end(w);
}

/* Reads CQEs from head up to the tail (at most max if max >= 0). */
static int st_reap(struct trace *t, int max)
{
	struct ring *r = &t->r;
	if (t->failed || !t->ring_open)
		return -1;
	uint32_t head = *r->cq_head;
	uint32_t tail = ld_acq(r->cq_tail);
	int n = 0;
	int shift = (r->flags & IORING_SETUP_CQE32) ? 1 : 0;
	struct jw *w = step_begin(t, "reap");
	if (max >= 0)
		jw_int(w, "max", max);
	jw_arr_nl(w, "cqes");
	while (head != tail && (max < 0 || n < max)) {
		unsigned char *m = r->cqes + ((size_t)(head & *r->cq_mask) << shift) * 16;
		struct cqe_view c;
		memset(&c, 0, sizeof(c));
		memcpy(&c.user_data, m, 8);
		memcpy(&c.res, m + 8, 4);
		memcpy(&c.flags, m + 12, 4);
		int slots = 1;
		if (r->flags & IORING_SETUP_CQE32) {
			c.big = 1;
		} else if ((r->flags & IORING_SETUP_CQE_MIXED) && (c.flags & IORING_CQE_F_32)) {
			c.big = 1;
			slots = 2;
		}
		if (c.big) {
			memcpy(&c.big0, m + 16, 8);
			memcpy(&c.big1, m + 24, 8);
		}
		emit_cqe(w, &c, 1, head, 1);
		emit_cqe(&t->jc, &c, 0, 0, 0);
		if (n < 64) {
			t->last_ud[n] = c.user_data;
			t->last_res[n] = c.res;
		}
		/* A 32-byte CQE claimed by the slot before the tail (stale content exposed by the
		 * kernel's CQE cache on CQE_MIXED rings) must not carry head past the tail, or this
		 * loop would not end. */
		head += (tail - head < (uint32_t)slots) ? tail - head : (uint32_t)slots;
		n++;
	}
	jw_arr_end(w);
	jw_int(w, "count", n);
	/* The CQE loads above happen-before the head store. */
	st_rel(r->cq_head, head);
	t->last_reap_n = n;
	step_end(t, 1);
	return n;
}

static void st_state(struct trace *t, const char *why)
{
	if (t->failed || !t->ring_open)
		return;
	struct jw *w = step_begin(t, "state");
	if (why)
		jw_str(w, "why", why);
	step_end(t, 1);
}

static void st_ring_close(struct trace *t, const char *why)
{
	if (t->failed || !t->ring_open)
		return;
	struct jw *w = step_begin(t, "ring_close");
	jw_str(w, "why", why ? why : "end of scenario");
	step_end(t, 1); /* state before closing */
	ring_unmap(t);
}

static void st_sq_array_write(struct trace *t, uint32_t index, uint32_t value, const char *why)
{
	if (t->failed || !t->ring_open || !t->r.sq_array)
		return;
	publish_pending(t);
	t->r.sq_array[index] = value;
	struct jw *w = step_begin(t, "sq_array_write");
	jw_int(w, "index", index);
	jw_int(w, "value", value);
	if (why)
		jw_str(w, "why", why);
	step_end(t, 1);
}

static void st_sleep(struct trace *t, unsigned ms, const char *why)
{
	if (t->failed)
		return;
	sleep_ms(ms);
	struct jw *w = step_begin(t, "sleep");
	jw_int(w, "ms", ms);
	if (why)
		jw_str(w, "why", why);
	step_end(t, 0);
}

/* Reads back the int32 at byte off of a named buffer. */
static int32_t st_peek_at(struct trace *t, const char *buf, int off, const char *what)
{
	if (t->failed)
		return 0;
	int32_t *b = tr_buf(t, buf);
	if (!b)
		return 0;
	int32_t v;
	memcpy(&v, (char *)b + off, 4);
	struct jw *w = step_begin(t, "peek");
	jw_str(w, "buf", buf);
	jw_str(w, "type", "int32");
	if (off)
		jw_int(w, "offset", off);
	jw_int(w, "value", v);
	if (what)
		jw_str(w, "what", what);
	step_end(t, 0);
	return v;
}

static int32_t st_peek(struct trace *t, const char *buf, const char *what)
{
	return st_peek_at(t, buf, 0, what);
}

static void st_fdinfo(struct trace *t, const char *why)
{
	if (t->failed || !t->ring_open)
		return;
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", t->r.fd);
	FILE *f = fopen(path, "r");
	if (!f) {
		tr_fail(t, "open %s", path);
		return;
	}
	struct jw *w = step_begin(t, "fdinfo");
	jw_arr_nl(w, "lines");
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);
		if (n && line[n - 1] == '\n')
			line[n - 1] = 0;
		if (!strncmp(line, "pos:", 4) || !strncmp(line, "flags:", 6) ||
		    !strncmp(line, "mnt_id:", 7) || !strncmp(line, "ino:", 4))
			continue;
		jw_str(w, NULL, line);
	}
	fclose(f);
	jw_arr_end(w);
	if (why)
		jw_str(w, "why", why);
	step_end(t, 0);
}

static void emit_file_ref(struct jw *w, const struct tfile *f)
{
	jw_str(w, "fd_ref", "file");
	jw_str(w, "file", f->id);
	jw_str(w, "fd_kind", f->kind);
	jw_int(w, "fd", f->fd);
}

static char g_data[65536];

/* A syscall step: write, read, send, recv, ioctl, getsockopt, close. */
struct sysargs {
	const char *call;
	long bytes;
	int flags;
	const char *request;
	unsigned long request_num;
	int level, optname, optlen;
	const char *to; /* connect: the listener's file id */
};

static long st_syscall(struct trace *t, const char *id, struct sysargs a, const char *what)
{
	if (t->failed)
		return -EIO;
	publish_pending(t);
	struct tfile *f = tr_file(t, id);
	if (!f)
		return -EIO;
	long ret;
	int v = 0;
	socklen_t len = (socklen_t)a.optlen;
	if (!strcmp(a.call, "write"))
		ret = write(f->fd, g_data, (size_t)a.bytes);
	else if (!strcmp(a.call, "read"))
		ret = read(f->fd, g_data, (size_t)a.bytes);
	else if (!strcmp(a.call, "send"))
		ret = send(f->fd, g_data, (size_t)a.bytes, a.flags);
	else if (!strcmp(a.call, "recv"))
		ret = recv(f->fd, g_data, (size_t)a.bytes, a.flags);
	else if (!strcmp(a.call, "ioctl")) {
		ret = ioctl(f->fd, a.request_num, &v);
		if (ret == 0)
			ret = v;
		else if (ret < 0)
			ret = -errno;
	} else if (!strcmp(a.call, "getsockopt"))
		ret = getsockopt(f->fd, a.level, a.optname, &v, &len);
	else if (!strcmp(a.call, "close")) {
		ret = close(f->fd);
		f->fd = -1;
	} else if (!strcmp(a.call, "connect")) {
		struct tfile *l = tr_file(t, a.to);
		struct sockaddr_in sa;
		socklen_t sl = sizeof(sa);
		if (!l || getsockname(l->fd, (struct sockaddr *)&sa, &sl) < 0) {
			t->failed = 1;
			return -EIO;
		}
		ret = connect(f->fd, (struct sockaddr *)&sa, sizeof(sa));
	} else {
		fprintf(stderr, "recorder: unknown syscall %s\n", a.call);
		t->failed = 1;
		return -EIO;
	}
	if (ret < 0 && strcmp(a.call, "ioctl"))
		ret = -errno;

	struct jw *w = step_begin(t, "syscall");
	jw_str(w, "call", a.call);
	emit_file_ref(w, f);
	if (!strcmp(a.call, "write") || !strcmp(a.call, "read") || !strcmp(a.call, "send") || !strcmp(a.call, "recv"))
		jw_int(w, "bytes", a.bytes);
	if (!strcmp(a.call, "send") || !strcmp(a.call, "recv"))
		jw_int(w, "flags", a.flags);
	if (!strcmp(a.call, "ioctl")) {
		jw_str(w, "request", a.request);
		jw_int(w, "request_num", (long long)a.request_num);
	}
	if (!strcmp(a.call, "connect"))
		jw_str(w, "to", a.to);
	if (!strcmp(a.call, "getsockopt")) {
		jw_int(w, "level", a.level);
		jw_int(w, "optname", a.optname);
		jw_int(w, "optlen", a.optlen);
	}
	jw_res(w, "ret", ret);
	if (!strcmp(a.call, "getsockopt"))
		jw_int(w, "value", v);
	if (what)
		jw_str(w, "what", what);
	step_end(t, 1);
	return ret;
}

static long sys_send_bytes(struct trace *t, const char *id, long bytes, const char *what)
{
	struct sysargs a = { .call = "send", .bytes = bytes };
	return st_syscall(t, id, a, what);
}

static long sys_write_bytes(struct trace *t, const char *id, long bytes, const char *what)
{
	struct sysargs a = { .call = "write", .bytes = bytes };
	return st_syscall(t, id, a, what);
}

static long sys_read_bytes(struct trace *t, const char *id, long bytes, const char *what)
{
	struct sysargs a = { .call = "read", .bytes = bytes };
	return st_syscall(t, id, a, what);
}

static long sys_ioctl_q(struct trace *t, const char *id, int outq, const char *what)
{
	struct sysargs a = { .call = "ioctl", .request = outq ? "SIOCOUTQ" : "SIOCINQ",
			     .request_num = outq ? SIOCOUTQ : SIOCINQ };
	return st_syscall(t, id, a, what);
}

static long sys_getsockopt_int(struct trace *t, const char *id, int level, int optname, const char *what)
{
	struct sysargs a = { .call = "getsockopt", .level = level, .optname = optname, .optlen = 4 };
	return st_syscall(t, id, a, what);
}

/* Polls ioctl(file, SIOCINQ/SIOCOUTQ) until it returns want or timeout_ms passes. */
static int st_settle(struct trace *t, const char *id, int outq, int want, unsigned timeout_ms, const char *what)
{
	if (t->failed)
		return -EIO;
	publish_pending(t);
	struct tfile *f = tr_file(t, id);
	if (!f)
		return -EIO;
	unsigned long req = outq ? SIOCOUTQ : SIOCINQ;
	double end = now_ms() + timeout_ms;
	int ret;
	for (;;) {
		int v = 0;
		ret = ioctl(f->fd, req, &v) < 0 ? -errno : v;
		if (ret == want || now_ms() >= end)
			break;
		sleep_ms(1);
	}
	struct jw *w = step_begin(t, "settle");
	emit_file_ref(w, f);
	jw_str(w, "request", outq ? "SIOCOUTQ" : "SIOCINQ");
	jw_int(w, "request_num", (long long)req);
	jw_int(w, "want", want);
	jw_int(w, "timeout_ms", timeout_ms);
	jw_res(w, "ret", ret);
	if (what)
		jw_str(w, "what", what);
	step_end(t, 1);
	if (ret != want)
		fprintf(stderr, "recorder: %s: settle on %s did not reach %d (got %d)\n", t->name, id, want, ret);
	return ret;
}

static int st_register_probe(struct trace *t, unsigned nr, const char *what)
{
	if (t->failed || !t->ring_open)
		return -EIO;
	size_t sz = sizeof(struct io_uring_probe) + nr * sizeof(struct io_uring_probe_op);
	struct io_uring_probe *p = calloc(1, sz);
	if (!p) {
		tr_fail(t, "calloc");
		return -EIO;
	}
	int ret = sys_io_uring_register(t->r.fd, IORING_REGISTER_PROBE, p, nr);
	if (ret < 0)
		ret = -errno;
	struct jw *w = step_begin(t, "register");
	jw_str(w, "opcode", "IORING_REGISTER_PROBE");
	jw_int(w, "opcode_num", IORING_REGISTER_PROBE);
	jw_int(w, "nr_args", nr);
	jw_res(w, "ret", ret);
	if (ret == 0) {
		jw_int(w, "last_op", p->last_op);
		jw_int(w, "ops_len", p->ops_len);
		jw_arr_nl(w, "ops");
		for (unsigned i = 0; i < p->ops_len && i < nr; i++) {
			jw_obj(w, NULL);
			jw_int(w, "op", p->ops[i].op);
			jw_str(w, "name", op_name(p->ops[i].op));
			jw_bool(w, "supported", !!(p->ops[i].flags & IO_URING_OP_SUPPORTED));
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	if (what)
		jw_str(w, "what", what);
	step_end(t, 1);
	free(p);
	return ret;
}

static int st_register_files(struct trace *t, const char *const *ids, unsigned n, const char *what)
{
	if (t->failed || !t->ring_open || n > 8)
		return -EIO;
	int fds[8];
	for (unsigned i = 0; i < n; i++) {
		struct tfile *f = tr_file(t, ids[i]);
		if (!f)
			return -EIO;
		fds[i] = f->fd;
	}
	int ret = sys_io_uring_register(t->r.fd, IORING_REGISTER_FILES, fds, n);
	if (ret < 0)
		ret = -errno;
	struct jw *w = step_begin(t, "register");
	jw_str(w, "opcode", "IORING_REGISTER_FILES");
	jw_int(w, "opcode_num", IORING_REGISTER_FILES);
	jw_int(w, "nr_args", n);
	jw_arr(w, "files");
	for (unsigned i = 0; i < n; i++)
		jw_str(w, NULL, ids[i]);
	jw_arr_end(w);
	jw_res(w, "ret", ret);
	if (what)
		jw_str(w, "what", what);
	step_end(t, 1);
	return ret;
}

/* IORING_REGISTER_BUFFERS with an iovec array (n elements, nr_args of them passed). */
static int st_register_buffers(struct trace *t, const struct tiov *iov, int n, unsigned nr_args, const char *what)
{
	if (t->failed || !t->ring_open || n > MAX_IOV)
		return -EIO;
	publish_pending(t);
	struct iovec *a = iov_array(t, iov, n);
	int ret = sys_io_uring_register(t->r.fd, IORING_REGISTER_BUFFERS, a, nr_args);
	if (ret < 0)
		ret = -errno;
	struct jw *w = step_begin(t, "register");
	jw_str(w, "opcode", "IORING_REGISTER_BUFFERS");
	jw_int(w, "opcode_num", IORING_REGISTER_BUFFERS);
	jw_int(w, "nr_args", nr_args);
	jw_arr(w, "iovecs");
	emit_iov_elems(w, iov, n);
	jw_arr_end(w);
	jw_res(w, "ret", ret);
	if (what)
		jw_str(w, "what", what);
	step_end(t, 1);
	return ret;
}

/* io_uring_register with a literal argument (unregister, enable, misuse). */
static int st_register_raw(struct trace *t, const char *name, unsigned opcode, uint64_t arg, unsigned nr_args,
			   const char *what)
{
	if (t->failed || !t->ring_open)
		return -EIO;
	publish_pending(t);
	int ret = sys_io_uring_register(t->r.fd, opcode, (void *)(uintptr_t)arg, nr_args);
	if (ret < 0)
		ret = -errno;
	struct jw *w = step_begin(t, "register");
	jw_str(w, "opcode", name);
	jw_int(w, "opcode_num", opcode);
	jw_int(w, "nr_args", nr_args);
	jw_u64(w, "arg", arg);
	jw_res(w, "ret", ret);
	if (what)
		jw_str(w, "what", what);
	step_end(t, 1);
	return ret;
}

/* ------------------------------------------------------------------ */
/* SQE builders.                                                       */
/* ------------------------------------------------------------------ */

static struct sqe sqe_nop(uint64_t ud)
{
	struct sqe s;
	memset(&s, 0, sizeof(s));
	s.opcode = RS_OP_NOP;
	s.fd = -1;
	s.fd_ref = "literal";
	s.fd_kind = "none";
	s.user_data = ud;
	return s;
}

static void sqe_file(struct trace *t, struct sqe *s, const char *id)
{
	struct tfile *f = tr_file(t, id);
	if (!f)
		return;
	s->fd = f->fd;
	s->fd_ref = "file";
	s->file = f->id;
	s->fd_kind = f->kind;
}

static void sqe_fd_literal(struct sqe *s, int fd, const char *kind, const char *note)
{
	s->fd = fd;
	s->fd_ref = "literal";
	s->file = NULL;
	s->fd_kind = kind;
	s->fd_note = note;
}

/* IORING_OP_URING_CMD on a file of the table. */
static struct sqe sqe_cmd(struct trace *t, const char *id, uint32_t cmd_op, uint64_t ud)
{
	struct sqe s = sqe_nop(ud);
	s.opcode = RS_OP_URING_CMD;
	s.cmd_op = cmd_op;
	sqe_file(t, &s, id);
	return s;
}

/* Socket get/setsockopt command: addr = level | optname << 32, optlen, optval. */
static struct sqe sqe_sockopt(struct trace *t, const char *id, uint32_t op, uint32_t level, uint32_t optname,
			      const char *buf, int has_value, int32_t value, uint64_t ud)
{
	struct sqe s = sqe_cmd(t, id, op, ud);
	s.addr = (uint64_t)level | ((uint64_t)optname << 32);
	s.splice_fd_in = 4;
	s.addr3_ptr.buf = buf;
	s.addr3_ptr.has_value = has_value;
	s.addr3_ptr.value = value;
	return s;
}

/* Queues n plain NOPs with user_data first, first+1, ... */
static void queue_nops(struct trace *t, int n, uint64_t first)
{
	for (int i = 0; i < n; i++) {
		struct sqe s = sqe_nop(first + (uint64_t)i);
		queue_sqe(t, &s);
	}
}

static void q(struct trace *t, struct sqe s) { queue_sqe(t, &s); }

#define GETEV IORING_ENTER_GETEVENTS

/* ------------------------------------------------------------------ */
/* Scenarios.                                                          */
/* ------------------------------------------------------------------ */

/* Sets up a ring; on failure marks the scenario skipped. */
static int need_ring(struct trace *t, unsigned entries, unsigned flags, unsigned cq_req)
{
	int ret = st_setup(t, entries, flags, cq_req);
	if (ret < 0 && !t->failed)
		t->skipped = 1;
	return ret == 0 && !t->failed;
}

/* Submits everything queued and waits for `wait` CQEs, then reaps. */
static void submit_reap(struct trace *t, unsigned n, unsigned wait)
{
	st_enter(t, n, wait, wait ? GETEV : 0, -1);
	st_reap(t, -1);
}

static struct sqe nop_flags(uint64_t ud, uint8_t sqe_flags)
{
	struct sqe s = sqe_nop(ud);
	s.flags = sqe_flags;
	return s;
}

static struct sqe nop_inject(uint64_t ud, int32_t res, uint8_t sqe_flags)
{
	struct sqe s = sqe_nop(ud);
	s.op_flags = IORING_NOP_INJECT_RESULT;
	s.len = (uint32_t)res;
	s.flags = sqe_flags;
	return s;
}

static struct sqe nop_opflags(uint64_t ud, uint32_t nop_flags, uint8_t sqe_flags)
{
	struct sqe s = sqe_nop(ud);
	s.op_flags = nop_flags;
	s.flags = sqe_flags;
	return s;
}

static struct sqe sqe_opcode(uint64_t ud, uint8_t opcode, uint8_t sqe_flags)
{
	struct sqe s = sqe_nop(ud);
	s.opcode = opcode;
	s.flags = sqe_flags;
	return s;
}

/* ---- setup ---- */

static void sc_setup_basic(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	st_ring_close(t, NULL);
}

static void sc_setup_entries_round(struct trace *t)
{
	if (!need_ring(t, 5, 0, 0))
		return;
	st_ring_close(t, NULL);
	st_setup_probe(t, 1, 0, 0, "smallest ring");
	st_setup_probe(t, 3, 0, 0, "rounds up to 4");
	st_setup_probe(t, 4097, 0, 0, "rounds up to 8192");
	st_setup_probe(t, 32768, 0, 0, "the largest SQ size without CLAMP");
}

static void sc_setup_entries_zero(struct trace *t)
{
	st_setup_probe(t, 0, 0, 0, "entries == 0");
	st_setup_probe(t, 0, IORING_SETUP_CLAMP, 0, "entries == 0 is rejected even with CLAMP");
}

static void sc_setup_entries_clamp(struct trace *t)
{
	st_setup_probe(t, 40000, 0, 0, "entries > 32768 without CLAMP");
	st_setup_probe(t, 40000, IORING_SETUP_CLAMP, 0, "CLAMP caps entries at 32768");
	st_setup_probe(t, 32769, 0, 0, "one above the limit");
}

static void sc_setup_cqsize(struct trace *t)
{
	if (!need_ring(t, 4, IORING_SETUP_CQSIZE, 100))
		return;
	st_ring_close(t, NULL);
	st_setup_probe(t, 4, IORING_SETUP_CQSIZE, 4, "cq_entries equal to sq_entries");
	st_setup_probe(t, 4, IORING_SETUP_CQSIZE, 5, "cq_entries rounds up to a power of two");
}

static void sc_setup_cqsize_invalid(struct trace *t)
{
	st_setup_probe(t, 8, IORING_SETUP_CQSIZE, 4, "cq_entries < sq_entries");
	st_setup_probe(t, 4, IORING_SETUP_CQSIZE, 0, "cq_entries == 0");
	st_setup_probe(t, 4, IORING_SETUP_CQSIZE, 100000, "cq_entries > 65536 without CLAMP");
	st_setup_probe(t, 4, IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, 100000, "CLAMP caps cq_entries at 65536");
	st_setup_probe(t, 8, IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, 4, "cq < sq is rejected even with CLAMP");
}

static void sc_setup_invalid_flags(struct trace *t)
{
	st_setup_probe(t, 4, IORING_SETUP_TASKRUN_FLAG, 0, "TASKRUN_FLAG without COOP_TASKRUN or DEFER_TASKRUN");
	st_setup_probe(t, 4, IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_COOP_TASKRUN, 0, "valid: TASKRUN_FLAG with COOP_TASKRUN");
	st_setup_probe(t, 4, IORING_SETUP_DEFER_TASKRUN, 0, "DEFER_TASKRUN without SINGLE_ISSUER");
	st_setup_probe(t, 4, IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER, 0, "valid: DEFER_TASKRUN with SINGLE_ISSUER");
	st_setup_probe(t, 4, IORING_SETUP_CQE32 | IORING_SETUP_CQE_MIXED, 0, "CQE32 with CQE_MIXED");
	st_setup_probe(t, 4, IORING_SETUP_SQE128 | IORING_SETUP_SQE_MIXED, 0, "SQE128 with SQE_MIXED");
	st_setup_probe(t, 4, IORING_SETUP_HYBRID_IOPOLL, 0, "HYBRID_IOPOLL without IOPOLL");
	st_setup_probe(t, 4, IORING_SETUP_REGISTERED_FD_ONLY, 0, "REGISTERED_FD_ONLY without NO_MMAP");
	st_setup_probe(t, 4, IORING_SETUP_SQPOLL | IORING_SETUP_COOP_TASKRUN, 0, "SQPOLL with COOP_TASKRUN");
}

static void sc_setup_unknown_flag(struct trace *t)
{
	st_setup_probe(t, 4, 1U << 31, 0, "bit 31 is not a setup flag");
	st_setup_probe(t, 4, 1U << 25, 0, "bit 25 is not a setup flag");
}

static void sc_setup_sqe128(struct trace *t)
{
	if (!need_ring(t, 4, IORING_SETUP_SQE128, 0))
		return;
	struct sqe s = sqe_nop(1);
	q(t, s);
	s = sqe_nop(2);
	for (int i = 0; i < 64; i++)
		s.upper[i] = (uint8_t)(0xa0 + (i & 15));
	q(t, s);
	submit_reap(t, 2, 2);
	st_ring_close(t, NULL);
}

static void sc_setup_cqe32(struct trace *t)
{
	if (!need_ring(t, 4, IORING_SETUP_CQE32, 0))
		return;
	st_ring_close(t, NULL);
}

static void sc_setup_no_sqarray(struct trace *t)
{
	if (!need_ring(t, 4, IORING_SETUP_NO_SQARRAY, 0))
		return;
	st_note(t, "NO_SQARRAY: there is no SQ index array; SQE slot = SQ index & sq_mask directly");
	queue_nops(t, 3, 1);
	submit_reap(t, 3, 3);
	queue_nops(t, 3, 4);
	submit_reap(t, 3, 3);
	st_ring_close(t, NULL);
}

static void sc_cqe_mixed_wrap(struct trace *t)
{
	if (!need_ring(t, 4, IORING_SETUP_CQE_MIXED, 0))
		return;
	queue_nops(t, 3, 1);
	submit_reap(t, 3, 3);
	q(t, nop_opflags(4, IORING_NOP_CQE32, 0));
	submit_reap(t, 1, 1);
	queue_nops(t, 2, 5);
	submit_reap(t, 2, 2);
	st_note(t, "CQ tail is now 7 of 8: one slot is left before the wrap");
	q(t, nop_opflags(7, IORING_NOP_CQE32, 0));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

/* ---- NOP batches ---- */

static void sc_nop_two(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	queue_nops(t, 2, 16);
	st_publish(t);
	st_enter(t, 2, 2, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_nop_user_data_u64(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, sqe_nop(0));
	q(t, sqe_nop((1ULL << 53) - 1));
	q(t, sqe_nop(1ULL << 53));
	q(t, sqe_nop(UINT64_MAX));
	submit_reap(t, 4, 4);
	st_ring_close(t, NULL);
}

static void sc_nop_wrap_4(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	const int rounds[] = { 3, 3, 2 };
	uint64_t ud = 1;
	for (unsigned i = 0; i < ARRAY_SIZE(rounds); i++) {
		queue_nops(t, rounds[i], ud);
		ud += (uint64_t)rounds[i];
		st_publish(t);
		st_enter(t, (unsigned)rounds[i], (unsigned)rounds[i], GETEV, -1);
		st_reap(t, -1);
	}
	st_ring_close(t, NULL);
}

static void sc_nop_wrap_many(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	for (int i = 0; i < 10; i++) {
		queue_nops(t, 3, 100 + 3 * (uint64_t)i);
		submit_reap(t, 3, 3);
	}
	st_ring_close(t, NULL);
}

static void sc_nop_sq_full(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	queue_nops(t, 4, 1);
	queue_nops(t, 1, 5); /* refused: get_sqe step */
	st_enter(t, 4, 4, GETEV, -1);
	st_reap(t, -1);
	queue_nops(t, 1, 5);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_nop_to_submit_excess(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	st_enter(t, 4, 0, 0, -1);
	queue_nops(t, 2, 1);
	st_enter(t, 8, 2, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_nop_getevents_pending(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	queue_nops(t, 3, 1);
	st_enter(t, 3, 0, 0, -1);
	st_enter(t, 0, 2, GETEV, -1);
	st_enter(t, 0, 3, GETEV, -1);
	st_enter(t, 0, 5, GETEV, 20);
	st_reap(t, 2);
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_enter(t, 0, 1, GETEV, 10);
	st_ring_close(t, NULL);
}

static void sc_nop_inject_result(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_inject(1, -5, 0));
	q(t, nop_inject(2, 1234, 0));
	q(t, nop_inject(3, 0, 0));
	q(t, nop_inject(4, INT32_MIN, 0));
	submit_reap(t, 4, 4);
	st_ring_close(t, NULL);
}

static void sc_nop_bad_flag(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_opflags(1, 1U << 31, 0));
	q(t, sqe_nop(2));
	st_enter(t, 2, 1, GETEV, -1);
	st_reap(t, -1);
	st_enter(t, 1, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, nop_opflags(3, 1U << 6, 0));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_nop_file_bad_fd(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	struct sqe s = nop_opflags(1, IORING_NOP_FILE, 0);
	sqe_fd_literal(&s, 9999, "unopened", NULL);
	q(t, s);
	submit_reap(t, 1, 1);
	s = nop_opflags(2, IORING_NOP_FILE | IORING_NOP_INJECT_RESULT, 0);
	s.len = 77;
	sqe_fd_literal(&s, 9999, "unopened", NULL);
	q(t, s);
	submit_reap(t, 1, 1);
	s = nop_opflags(3, IORING_NOP_FILE, 0);
	q(t, s); /* fd -1 */
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_nop_file_valid_fd(struct trace *t)
{
	if (file_dev(t, "null", "dev_null", "/dev/null", O_RDWR) < 0 || file_pipe(t, "pipe_r", "pipe_w") < 0)
		return;
	if (!need_ring(t, 4, 0, 0))
		return;
	struct sqe s = nop_opflags(1, IORING_NOP_FILE, 0);
	sqe_file(t, &s, "null");
	q(t, s);
	s = nop_opflags(2, IORING_NOP_FILE, 0);
	sqe_file(t, &s, "pipe_r");
	q(t, s);
	s = nop_opflags(3, IORING_NOP_FILE | IORING_NOP_INJECT_RESULT, 0);
	s.len = 77;
	sqe_file(t, &s, "null");
	q(t, s);
	s = sqe_nop(4);
	sqe_file(t, &s, "null");
	s.fd_note = "fd set but NOP_FILE not given: the fd is not looked at";
	q(t, s);
	submit_reap(t, 4, 4);
	st_ring_close(t, NULL);
}

static void sc_nop_fixed_file(struct trace *t)
{
	if (file_dev(t, "null", "dev_null", "/dev/null", O_RDWR) < 0)
		return;
	if (!need_ring(t, 4, 0, 0))
		return;
	const char *ids[] = { "null" };
	st_register_files(t, ids, 1, "table index 0 = /dev/null");
	struct sqe s = nop_opflags(1, IORING_NOP_FILE | IORING_NOP_FIXED_FILE, 0);
	sqe_fd_literal(&s, 0, "fixed_index", "index 0 of the registered files: /dev/null");
	q(t, s);
	s = nop_opflags(2, IORING_NOP_FILE | IORING_NOP_FIXED_FILE, 0);
	sqe_fd_literal(&s, 3, "fixed_index", "index 3: outside the 1-entry table");
	q(t, s);
	submit_reap(t, 1, 1);
	submit_reap(t, 1, 1);
	s = nop_opflags(3, IORING_NOP_FILE, IOSQE_FIXED_FILE);
	sqe_fd_literal(&s, 0, "fixed_index", "IOSQE_FIXED_FILE with NOP_FILE, index 0");
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_nop_flag_bits(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_opflags(1, IORING_NOP_TW, 0));
	submit_reap(t, 1, 1);
	q(t, nop_opflags(2, IORING_NOP_CQE32, 0));
	submit_reap(t, 1, 1);
	q(t, nop_opflags(3, IORING_NOP_FIXED_BUFFER, 0));
	submit_reap(t, 1, 1);
	q(t, nop_opflags(4, IORING_NOP_FIXED_FILE, 0));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

/*
 * A real task_work source on a COOP_TASKRUN|TASKRUN_FLAG ring: a NOP with IORING_NOP_TW is
 * completed through io_req_task_work_add in the submitting task, queued with
 * TWA_SIGNAL_NO_IPI. No IPI is needed (the task is current); TIF_NOTIFY_SIGNAL makes the
 * task run it on its way out of io_uring_enter, so the CQE is visible as soon as enter
 * returns without GETEVENTS, and IORING_SQ_TASKRUN, set when the work was queued, is clear
 * again (ctx_flush_and_put).
 */
static void sc_coop_taskrun_nop_tw(struct trace *t)
{
	if (!need_ring(t, 4, IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG, 0))
		return;
	q(t, nop_opflags(1, IORING_NOP_TW, 0));
	st_enter(t, 1, 0, 0, -1);
	st_state(t, "enter returned (no GETEVENTS): the task_work ran on the way out");
	st_reap(t, -1);
	q(t, nop_opflags(2, IORING_NOP_TW, 0));
	q(t, nop_opflags(3, IORING_NOP_TW, 0));
	st_enter(t, 2, 0, 0, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_nop_cqe32(struct trace *t)
{
	if (!need_ring(t, 4, IORING_SETUP_CQE32, 0))
		return;
	q(t, sqe_nop(1));
	q(t, nop_inject(2, 42, 0));
	submit_reap(t, 2, 2);
	q(t, nop_opflags(3, IORING_NOP_CQE32, 0));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

/* ---- errors ---- */

static void sc_err_invalid_opcode(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, sqe_opcode(1, 255, 0));
	q(t, sqe_nop(2));
	st_enter(t, 2, 0, 0, -1);
	st_reap(t, -1);
	st_enter(t, 1, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_err_invalid_sqe_flag(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_flags(1, 1U << 7));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_err_batch_stop(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, sqe_nop(1));
	q(t, sqe_opcode(2, 255, 0));
	q(t, sqe_nop(3));
	q(t, sqe_nop(4));
	st_enter(t, 4, 0, 0, -1);
	st_reap(t, -1);
	st_enter(t, 2, 2, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_err_batch_submit_all(struct trace *t)
{
	if (!need_ring(t, 4, IORING_SETUP_SUBMIT_ALL, 0))
		return;
	q(t, sqe_nop(1));
	q(t, sqe_opcode(2, 255, 0));
	q(t, sqe_nop(3));
	q(t, nop_flags(4, 1U << 7));
	st_enter(t, 4, 0, 0, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_err_bad_sq_index(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	queue_nops(t, 2, 1);
	st_sq_array_write(t, 1, 99, "SQ index array entry of slot 1 points outside the SQE array");
	st_enter(t, 2, 0, 0, -1);
	st_reap(t, -1);
	queue_nops(t, 2, 3);
	st_sq_array_write(t, 2, 1000, "the first SQE of this batch has a bad index");
	st_enter(t, 2, 0, 0, -1);
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_err_enter_bad_flag(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	st_enter(t, 0, 0, 1U << 31, -1);
	st_enter(t, 0, 0, 1U << 8, -1);
	q(t, sqe_nop(1));
	st_enter(t, 1, 0, 1U << 31, -1);
	st_enter(t, 1, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_err_enter_not_ring(struct trace *t)
{
	if (file_regular(t, "file") < 0 || file_pipe(t, "pipe_r", "pipe_w") < 0)
		return;
	if (!need_ring(t, 4, 0, 0))
		return;
	struct fdref f = { "file", "file", NULL, -1 };
	st_enter_raw(t, f, 0, 0, GETEV, NULL, 0, "io_uring_enter on a regular file");
	f.file = "pipe_r";
	st_enter_raw(t, f, 0, 0, 0, NULL, 0, "io_uring_enter on a pipe");
	struct fdref u = { "literal", NULL, "unopened", 9999 };
	st_enter_raw(t, u, 0, 0, 0, NULL, 0, "io_uring_enter on a descriptor that is not open");
	struct fdref n = { "literal", NULL, "none", -1 };
	st_enter_raw(t, n, 0, 0, 0, NULL, 0, "io_uring_enter on -1");
	struct fdref r = { "ring", NULL, NULL, -1 };
	st_enter_raw(t, r, 0, 0, 0, NULL, 0, "the ring itself, for contrast");
	st_ring_close(t, NULL);
}

static void sc_enter_ext_arg(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	struct fdref r = { "ring", NULL, NULL, -1 };
	struct rawarg a = { 0, 0, 0 };
	st_enter_raw(t, r, 0, 0, GETEV | IORING_ENTER_EXT_ARG, &a, 24, "GETEVENTS, EXT_ARG with ts NULL and min_complete 0");
	st_enter_raw(t, r, 0, 0, GETEV | IORING_ENTER_EXT_ARG, &a, 16, "EXT_ARG with argsz 16");
	st_enter_raw(t, r, 0, 0, IORING_ENTER_EXT_ARG, &a, 16, "EXT_ARG with argsz 16, no GETEVENTS");
	st_enter_raw(t, r, 0, 0, GETEV | IORING_ENTER_EXT_ARG, NULL, 24, "EXT_ARG with a NULL arg");
	st_enter_raw(t, r, 0, 0, GETEV, NULL, 24, "argsz 24 with a NULL arg but no EXT_ARG");
	q(t, sqe_nop(1));
	st_enter(t, 1, 1, GETEV, 1000);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

/* ---- CQ overflow ---- */

static void overflow_fill(struct trace *t)
{
	for (int i = 0; i < 3; i++) {
		queue_nops(t, 4, 4 * (uint64_t)i);
		st_enter(t, 4, 0, 0, -1);
	}
}

static void sc_cq_overflow_nodrop(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	overflow_fill(t);
	st_fdinfo(t, "the overflow list shows in fdinfo");
	st_reap(t, -1);
	st_state(t, "CQ ring empty, overflow list still holds 4 CQEs");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_cq_overflow_order(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	overflow_fill(t);
	st_reap(t, -1);
	queue_nops(t, 2, 12);
	st_enter(t, 2, 0, 0, -1);
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_cq_overflow_partial_reap(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	overflow_fill(t);
	st_reap(t, 2);
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

/* ---- links ---- */

static void sc_link_chain_ok(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_flags(1, IOSQE_IO_LINK));
	q(t, nop_flags(2, IOSQE_IO_LINK));
	q(t, sqe_nop(3));
	submit_reap(t, 3, 3);
	st_ring_close(t, NULL);
}

static void sc_link_head_prep_fail(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_opflags(1, 1U << 31, IOSQE_IO_LINK));
	q(t, nop_flags(2, IOSQE_IO_LINK));
	q(t, sqe_nop(3));
	submit_reap(t, 3, 3);
	st_ring_close(t, NULL);
}

static void sc_link_head_invalid_opcode(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, sqe_opcode(1, 255, IOSQE_IO_LINK));
	q(t, nop_flags(2, IOSQE_IO_LINK));
	q(t, sqe_nop(3));
	submit_reap(t, 3, 3);
	st_ring_close(t, NULL);
}

static void sc_link_mid_prep_fail(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_flags(1, IOSQE_IO_LINK));
	q(t, nop_opflags(2, 1U << 31, IOSQE_IO_LINK));
	q(t, sqe_nop(3));
	q(t, sqe_nop(4));
	submit_reap(t, 4, 4);
	st_ring_close(t, NULL);
}

static void sc_link_inject_fail(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_flags(1, IOSQE_IO_LINK));
	q(t, nop_inject(2, -5, IOSQE_IO_LINK));
	q(t, nop_flags(3, IOSQE_IO_LINK));
	q(t, sqe_nop(4));
	submit_reap(t, 4, 4);
	st_ring_close(t, NULL);
}

static void sc_link_hardlink_inject_fail(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_flags(1, IOSQE_IO_HARDLINK));
	q(t, nop_inject(2, -5, IOSQE_IO_HARDLINK));
	q(t, nop_flags(3, IOSQE_IO_HARDLINK));
	q(t, sqe_nop(4));
	submit_reap(t, 4, 4);
	st_ring_close(t, NULL);
}

static void sc_link_hardlink_prep_fail(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_flags(1, IOSQE_IO_HARDLINK));
	q(t, nop_opflags(2, 1U << 31, IOSQE_IO_HARDLINK));
	q(t, sqe_nop(3));
	submit_reap(t, 3, 3);
	st_ring_close(t, NULL);
}

static void sc_link_across_enter(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_inject(1, -5, IOSQE_IO_LINK));
	st_enter(t, 1, 1, GETEV, -1);
	q(t, sqe_nop(2));
	st_enter(t, 1, 2, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

/* ---- drain, skip-success, async ---- */

static void sc_drain_nops(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, sqe_nop(1));
	q(t, sqe_nop(2));
	q(t, nop_flags(3, IOSQE_IO_DRAIN));
	q(t, sqe_nop(4));
	submit_reap(t, 4, 4);
	st_ring_close(t, NULL);
}

static void sc_skip_success(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_flags(1, IOSQE_CQE_SKIP_SUCCESS));
	q(t, nop_inject(2, -5, IOSQE_CQE_SKIP_SUCCESS));
	q(t, nop_inject(3, 7, IOSQE_CQE_SKIP_SUCCESS));
	q(t, sqe_nop(4));
	st_enter(t, 4, 2, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_skip_success_link(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_flags(1, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK));
	q(t, nop_inject(2, -5, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK));
	q(t, nop_flags(3, IOSQE_CQE_SKIP_SUCCESS));
	st_enter(t, 3, 1, GETEV, 1000);
	st_reap(t, -1);
	st_sleep(t, 20, "give a late CQE the chance to appear");
	st_reap(t, -1);
	q(t, nop_inject(4, -5, IOSQE_IO_LINK));
	q(t, nop_flags(5, IOSQE_CQE_SKIP_SUCCESS));
	st_enter(t, 2, 2, GETEV, 1000);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_drain_after_skip(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_flags(1, IOSQE_CQE_SKIP_SUCCESS));
	st_enter(t, 1, 0, 0, -1);
	q(t, nop_flags(2, IOSQE_IO_DRAIN));
	q(t, sqe_nop(3));
	st_enter(t, 2, 2, GETEV, 1000);
	st_reap(t, -1);
	q(t, nop_flags(4, IOSQE_IO_DRAIN));
	st_enter(t, 2, 2, GETEV, 1000);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_nop_async(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, nop_flags(1, IOSQE_ASYNC));
	q(t, nop_flags(2, IOSQE_ASYNC));
	q(t, nop_flags(3, IOSQE_ASYNC));
	st_enter(t, 3, 3, GETEV, -1);
	st_reap(t, -1);
	tr_ignore_last(t, "/cqes", "IOSQE_ASYNC NOPs run on io-wq workers; their completion order varies")->unordered = 1;
	tr_timing(t, "the order of the three io-wq completions");
	st_ring_close(t, NULL);
}

/* ---- task_work timing: an io-wq completion under default, COOP_TASKRUN and DEFER_TASKRUN ---- */

/*
 * One IOSQE_ASYNC NOP submitted without waiting; the task then sleeps (a system call of its
 * own), looks at the ring, and only then waits for the CQE. Where the CQE is posted, and when
 * the task runs the task_work the completion queued, is what the ring flavour changes
 * (docs/tracepoints.md): the tracepoints show it.
 */
static void tw_async(struct trace *t, unsigned flags)
{
	if (!need_ring(t, 4, flags, 0))
		return;
	q(t, nop_flags(1, IOSQE_ASYNC));
	st_enter(t, 1, 0, 0, -1);
	tr_ignore_last(t, "/state/cq_tail", "the io-wq worker races the task's return from io_uring_enter: the CQE may already be posted");
	tr_ignore_last(t, "/state/sq_flags", "IORING_SQ_TASKRUN may be set while the completion's task_work is pending");
	tr_timing(t, "whether the io-wq NOP has completed when the submitting enter returns");
	st_sleep(t, 20, "let the io-wq worker run the NOP");
	st_state(t, "has the CQE been posted before the task asked for it?");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_tw_async_default(struct trace *t) { tw_async(t, 0); }
static void sc_tw_async_coop(struct trace *t) { tw_async(t, IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG); }
static void sc_tw_async_defer(struct trace *t) { tw_async(t, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN); }

/* ---- uring_cmd on files without a ->uring_cmd hook ---- */

static void cmd_one(struct trace *t, const char *id)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	q(t, sqe_cmd(t, id, 0, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_cmd(t, id, 0x1234, 2));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_uring_cmd_regular_file(struct trace *t)
{
	if (file_regular(t, "file") < 0)
		return;
	cmd_one(t, "file");
}

static void sc_uring_cmd_pipe(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0)
		return;
	cmd_one(t, "pipe_r");
}

static void sc_uring_cmd_dev_null(struct trace *t)
{
	if (file_dev(t, "null", "dev_null", "/dev/null", O_RDWR) < 0)
		return;
	cmd_one(t, "null");
}

static void sc_uring_cmd_eventfd(struct trace *t)
{
	if (file_eventfd(t, "efd") < 0)
		return;
	cmd_one(t, "efd");
}

static void sc_uring_cmd_ioprio(struct trace *t)
{
	if (file_dev(t, "null", "dev_null", "/dev/null", O_RDWR) < 0 || !need_ring(t, 4, 0, 0))
		return;
	struct sqe s = sqe_cmd(t, "null", 0, 1);
	s.ioprio = 1;
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_uring_cmd_pad1(struct trace *t)
{
	if (file_dev(t, "null", "dev_null", "/dev/null", O_RDWR) < 0 || !need_ring(t, 4, 0, 0))
		return;
	struct sqe s = sqe_cmd(t, "null", 0, 1);
	s.pad1 = 1;
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_uring_cmd_bad_flags(struct trace *t)
{
	if (file_dev(t, "null", "dev_null", "/dev/null", O_RDWR) < 0 || !need_ring(t, 4, 0, 0))
		return;
	struct sqe s = sqe_cmd(t, "null", 0, 1);
	s.op_flags = 1U << 7;
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_cmd(t, "null", 0, 2);
	s.op_flags = IORING_URING_CMD_MULTISHOT;
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_cmd(t, "null", 0, 3);
	s.op_flags = IORING_URING_CMD_FIXED;
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_uring_cmd_bad_fd(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	struct sqe s = sqe_nop(1);
	s.opcode = RS_OP_URING_CMD;
	sqe_fd_literal(&s, 9999, "unopened", NULL);
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

/* IOPOLL ring (io_uring/uring_cmd.c:io_uring_cmd, io_uring/io_uring.c:io_iopoll_check): files with
 * ->uring_cmd but no ->uring_cmd_iopoll are refused at issue; NOP completes inline; GETEVENTS with
 * nothing on the iopoll list returns at once instead of sleeping. */
static void sc_iopoll_uring_cmd(struct trace *t)
{
	if (file_dev(t, "null", "dev_null", "/dev/null", O_RDWR) < 0 ||
	    file_tcp(t, "tcp_listener", "tcp_client", "tcp_server", 4) < 0 || !need_ring(t, 4, IORING_SETUP_IOPOLL, 0))
		return;
	q(t, sqe_cmd(t, "null", 0, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_cmd(t, "tcp_server", RS_SOCKET_URING_OP_SIOCINQ, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_nop(3));
	submit_reap(t, 1, 1);
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

/* ---- sockets ---- */

static void cmd_q(struct trace *t, const char *id, uint32_t op, uint64_t ud)
{
	q(t, sqe_cmd(t, id, op, ud));
	submit_reap(t, 1, 1);
}

static void sc_sock_siocinq_unix(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 4, 0, 0))
		return;
	cmd_q(t, "unix_b", RS_SOCKET_URING_OP_SIOCINQ, 1);
	sys_write_bytes(t, "unix_a", 100, "100 bytes towards unix_b");
	sys_ioctl_q(t, "unix_b", 0, "the same question as a plain ioctl");
	cmd_q(t, "unix_b", RS_SOCKET_URING_OP_SIOCINQ, 2);
	st_ring_close(t, NULL);
}

static void sc_sock_siocoutq_unix(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 4, 0, 0))
		return;
	cmd_q(t, "unix_a", RS_SOCKET_URING_OP_SIOCOUTQ, 1);
	sys_write_bytes(t, "unix_a", 100, "100 bytes towards unix_b");
	cmd_q(t, "unix_a", RS_SOCKET_URING_OP_SIOCOUTQ, 2);
	sys_read_bytes(t, "unix_b", 100, "drain");
	sys_ioctl_q(t, "unix_a", 1, "plain ioctl after the peer read everything");
	st_ring_close(t, NULL);
}

static void sc_sock_siocinq_tcp(struct trace *t)
{
	if (file_tcp(t, "tcp_listener", "tcp_client", "tcp_server", 4) < 0 || !need_ring(t, 4, 0, 0))
		return;
	cmd_q(t, "tcp_server", RS_SOCKET_URING_OP_SIOCINQ, 1);
	sys_send_bytes(t, "tcp_client", 100, "100 bytes towards tcp_server");
	st_settle(t, "tcp_server", 0, 100, 2000, "loopback delivery is asynchronous");
	cmd_q(t, "tcp_server", RS_SOCKET_URING_OP_SIOCINQ, 2);
	sys_read_bytes(t, "tcp_server", 40, "read 40 of the 100 bytes");
	cmd_q(t, "tcp_server", RS_SOCKET_URING_OP_SIOCINQ, 3);
	st_ring_close(t, NULL);
}

static void sc_sock_siocoutq_tcp(struct trace *t)
{
	if (file_tcp(t, "tcp_listener", "tcp_client", "tcp_server", 4) < 0 || !need_ring(t, 4, 0, 0))
		return;
	cmd_q(t, "tcp_client", RS_SOCKET_URING_OP_SIOCOUTQ, 1);
	sys_send_bytes(t, "tcp_client", 100, "100 bytes towards tcp_server");
	st_settle(t, "tcp_client", 1, 0, 2000, "wait until the loopback peer has acknowledged the bytes");
	cmd_q(t, "tcp_client", RS_SOCKET_URING_OP_SIOCOUTQ, 2);
	cmd_q(t, "tcp_server", RS_SOCKET_URING_OP_SIOCOUTQ, 3);
	st_ring_close(t, NULL);
}

static void sc_sock_tcp_listener(struct trace *t)
{
	if (file_tcp(t, "tcp_listener", "tcp_client", "tcp_server", 4) < 0 || !need_ring(t, 4, 0, 0))
		return;
	cmd_q(t, "tcp_listener", RS_SOCKET_URING_OP_SIOCINQ, 1);
	cmd_q(t, "tcp_listener", RS_SOCKET_URING_OP_SIOCOUTQ, 2);
	q(t, sqe_sockopt(t, "tcp_listener", RS_SOCKET_URING_OP_GETSOCKOPT, SOL_SOCKET, SO_ACCEPTCONN, "acceptconn", 1, -1, 3));
	submit_reap(t, 1, 1);
	st_peek(t, "acceptconn", "SO_ACCEPTCONN as written by the kernel");
	st_ring_close(t, NULL);
}

static void sc_sock_siocinq_udp(struct trace *t)
{
	if (file_udp(t, "udp_rx", "udp_tx") < 0 || !need_ring(t, 4, 0, 0))
		return;
	cmd_q(t, "udp_rx", RS_SOCKET_URING_OP_SIOCINQ, 1);
	sys_send_bytes(t, "udp_tx", 50, "one 50-byte datagram");
	st_settle(t, "udp_rx", 0, 50, 2000, "loopback delivery is asynchronous");
	cmd_q(t, "udp_rx", RS_SOCKET_URING_OP_SIOCINQ, 2);
	sys_send_bytes(t, "udp_tx", 30, "a second, 30-byte datagram");
	st_sleep(t, 20, "let the second datagram arrive (SIOCINQ reports only the first one)");
	cmd_q(t, "udp_rx", RS_SOCKET_URING_OP_SIOCINQ, 3);
	st_settle(t, "udp_tx", 1, 0, 2000, "sent skbs are released once delivered");
	cmd_q(t, "udp_tx", RS_SOCKET_URING_OP_SIOCOUTQ, 4);
	st_ring_close(t, NULL);
}

static void sc_sock_getsockopt_so_type(struct trace *t)
{
	if (file_tcp(t, "tcp_listener", "tcp_client", "tcp_server", 4) < 0 || file_udp(t, "udp_rx", "udp_tx") < 0 ||
	    file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 4, 0, 0))
		return;
	q(t, sqe_sockopt(t, "tcp_client", RS_SOCKET_URING_OP_GETSOCKOPT, SOL_SOCKET, SO_TYPE, "type_tcp", 1, -1, 1));
	submit_reap(t, 1, 1);
	st_peek(t, "type_tcp", "SO_TYPE of the TCP socket (SOCK_STREAM = 1)");
	sys_getsockopt_int(t, "tcp_client", SOL_SOCKET, SO_TYPE, "the same as a plain getsockopt");
	q(t, sqe_sockopt(t, "udp_rx", RS_SOCKET_URING_OP_GETSOCKOPT, SOL_SOCKET, SO_TYPE, "type_udp", 1, -1, 2));
	submit_reap(t, 1, 1);
	st_peek(t, "type_udp", "SO_TYPE of the UDP socket (SOCK_DGRAM = 2)");
	q(t, sqe_sockopt(t, "unix_a", RS_SOCKET_URING_OP_GETSOCKOPT, SOL_SOCKET, SO_TYPE, "type_unix", 1, -1, 3));
	submit_reap(t, 1, 1);
	st_peek(t, "type_unix", "SO_TYPE of the unix socket, if written");
	sys_getsockopt_int(t, "unix_a", SOL_SOCKET, SO_TYPE, "plain getsockopt on the unix socket");
	st_ring_close(t, NULL);
}

static void sc_sock_getsockopt_bad_level(struct trace *t)
{
	if (file_tcp(t, "tcp_listener", "tcp_client", "tcp_server", 4) < 0 || !need_ring(t, 4, 0, 0))
		return;
	q(t, sqe_sockopt(t, "tcp_client", RS_SOCKET_URING_OP_GETSOCKOPT, IPPROTO_TCP, 1 /* TCP_NODELAY */, "optval", 1, -1, 1));
	submit_reap(t, 1, 1);
	st_peek(t, "optval", "left untouched");
	st_ring_close(t, NULL);
}

static void sc_sock_unknown_cmd_op(struct trace *t)
{
	if (file_tcp(t, "tcp_listener", "tcp_client", "tcp_server", 4) < 0 || file_udp(t, "udp_rx", "udp_tx") < 0 ||
	    !need_ring(t, 4, 0, 0))
		return;
	cmd_q(t, "tcp_client", 99, 1);
	cmd_q(t, "udp_rx", 99, 2);
	st_ring_close(t, NULL);
}

static void sc_sock_setsockopt(struct trace *t)
{
	if (file_tcp(t, "tcp_listener", "tcp_client", "tcp_server", 4) < 0 || !need_ring(t, 4, 0, 0))
		return;
	sys_getsockopt_int(t, "tcp_client", SOL_SOCKET, SO_KEEPALIVE, "before");
	q(t, sqe_sockopt(t, "tcp_client", RS_SOCKET_URING_OP_SETSOCKOPT, SOL_SOCKET, SO_KEEPALIVE, "one", 1, 1, 1));
	submit_reap(t, 1, 1);
	sys_getsockopt_int(t, "tcp_client", SOL_SOCKET, SO_KEEPALIVE, "after");
	q(t, sqe_sockopt(t, "tcp_client", RS_SOCKET_URING_OP_SETSOCKOPT, IPPROTO_TCP, 1 /* TCP_NODELAY */, "one", 0, 0, 2));
	submit_reap(t, 1, 1);
	sys_getsockopt_int(t, "tcp_client", IPPROTO_TCP, 1, "TCP_NODELAY after");
	st_ring_close(t, NULL);
}

/* ---- read / write ---- */

static int file_memfd(struct trace *t, const char *id)
{
	int fd = memfd_create("ringside", MFD_CLOEXEC);
	if (fd < 0) {
		tr_fail(t, "memfd_create");
		return -1;
	}
	file_add(t, id, "memfd", fd, "memfd_create(name, MFD_CLOEXEC)");
	return fd;
}

static int file_dir(struct trace *t, const char *id, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		tr_fail(t, "open %s", path);
		return -1;
	}
	struct tfile *f = file_add(t, id, "directory", fd, "open(path, O_RDONLY | O_DIRECTORY)");
	if (f)
		f->path = path;
	return fd;
}

/* READ/WRITE of len bytes at off through a named buffer of size bytes. */
static struct sqe sqe_rw(struct trace *t, uint8_t op, const char *id, const char *buf, int size, uint32_t len,
			 uint64_t off, uint64_t ud)
{
	struct sqe s = sqe_nop(ud);
	s.opcode = op;
	if (id)
		sqe_file(t, &s, id);
	s.addr_ptr.buf = buf;
	s.addr_ptr.size = size;
	s.len = len;
	s.off = off;
	return s;
}

/* READ/WRITE of 4 bytes through a named int32 (stored first when has_value). */
static struct sqe sqe_rw32(struct trace *t, uint8_t op, const char *id, const char *buf, int has_value, int32_t value,
			   uint64_t off, uint64_t ud)
{
	struct sqe s = sqe_rw(t, op, id, NULL, 0, 4, off, ud);
	s.addr_ptr.buf = buf;
	s.addr_ptr.has_value = has_value;
	s.addr_ptr.value = value;
	return s;
}

/* READ/WRITE with a plain number as the buffer address. */
static struct sqe sqe_rw_addr(struct trace *t, uint8_t op, const char *id, uint64_t addr, uint32_t len, uint64_t ud)
{
	struct sqe s = sqe_rw(t, op, id, NULL, 0, len, 0, ud);
	s.addr = addr;
	return s;
}

static void sys_close_file(struct trace *t, const char *id, const char *what)
{
	struct sysargs a = { .call = "close" };
	st_syscall(t, id, a, what);
}

static void sc_rw_regular_file(struct trace *t)
{
	if (file_regular(t, "reg") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_rw32(t, RS_OP_WRITE, "reg", "src", 1, 0x12345678, 0, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_rw32(t, RS_OP_READ, "reg", "dst", 1, 0, 0, 2));
	submit_reap(t, 1, 1);
	st_peek(t, "dst", "the bytes the WRITE put in the file");
	q(t, sqe_rw(t, RS_OP_READ, "reg", "big", 64, 64, 2, 3));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_READ, "reg", "big", 64, 64, 100, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_READ, "reg", "big", 64, 64, (uint64_t)-1, 5));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_READ, "reg", "big", 64, 64, (uint64_t)-1, 6));
	submit_reap(t, 1, 1);
	q(t, sqe_rw32(t, RS_OP_WRITE, "reg", "src", 0, 0, (uint64_t)-1, 7));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_READ, "reg", "big", 64, 64, 0, 8));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_READ, "reg", "big", 64, 64, (uint64_t)-2, 9));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_WRITE, "reg", "big", 64, 0, 0, 10));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_rw_pipe(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_rw(t, RS_OP_WRITE, "pipe_w", "big", 100, 100, 0, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "in", 64, 64, 12345, 2));
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "in", 64, 64, 0, 3));
	submit_reap(t, 2, 2);
	q(t, sqe_rw(t, RS_OP_READ, "pipe_w", "in", 64, 64, 0, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_WRITE, "pipe_r", "big", 100, 100, 0, 5));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_WRITE, "pipe_w", "huge", 70000, 70000, 0, 6));
	submit_reap(t, 1, 1);
	sys_read_bytes(t, "pipe_r", 65536, "drain the pipe");
	q(t, sqe_rw32(t, RS_OP_WRITE, "pipe_w", "x", 1, 0x0badcafe, 0, 7));
	submit_reap(t, 1, 1);
	q(t, sqe_rw32(t, RS_OP_READ, "pipe_r", "y", 1, 0, (uint64_t)-1, 8));
	submit_reap(t, 1, 1);
	st_peek(t, "y", "the four bytes written through the pipe");
	st_ring_close(t, NULL);
}

static void sc_rw_pipe_wait(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "in", 64, 64, 0, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_write_bytes(t, "pipe_w", 10, "wakes the READ waiting on the empty pipe");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "in", 64, 64, 0, 2));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_close_file(t, "pipe_w", "the last writer goes away: the waiting READ sees end of file");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_rw_devices(struct trace *t)
{
	if (file_dev(t, "null", "dev_null", "/dev/null", O_RDWR) < 0 ||
	    file_dev(t, "zero", "dev_zero", "/dev/zero", O_RDWR) < 0 ||
	    file_dev(t, "null_ro", "dev_null", "/dev/null", O_RDONLY) < 0 || file_eventfd(t, "efd") < 0 ||
	    file_memfd(t, "mem") < 0 || file_dir(t, "dir", "/tmp") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_rw(t, RS_OP_READ, "null", "b", 64, 64, 0, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_WRITE, "null", "b", 64, 64, 0, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_rw32(t, RS_OP_READ, "zero", "z", 1, 7, 0, 3));
	submit_reap(t, 1, 1);
	st_peek(t, "z", "/dev/zero filled it with zeros");
	q(t, sqe_rw(t, RS_OP_WRITE, "zero", "b", 64, 64, 0, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_WRITE, "null_ro", "b", 64, 64, 0, 5));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_READ, "efd", "b", 64, 4, 0, 6));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_WRITE, "efd", "b", 64, 4, 0, 7));
	submit_reap(t, 1, 1);
	q(t, sqe_rw32(t, RS_OP_WRITE, "mem", "m", 1, 4242, 0, 8));
	submit_reap(t, 1, 1);
	q(t, sqe_rw32(t, RS_OP_READ, "mem", "m2", 1, 0, 0, 9));
	submit_reap(t, 1, 1);
	st_peek(t, "m2", "read back from the memfd");
	q(t, sqe_rw(t, RS_OP_READ, "dir", "b", 64, 64, 0, 10));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_READ, "null", "b", 64, 64, (uint64_t)-2, 11));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_rw_errors(struct trace *t)
{
	if (file_regular(t, "reg") < 0 || file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_rw32(t, RS_OP_WRITE, "reg", "src", 1, 42, 0, 1));
	submit_reap(t, 1, 1);
	struct sqe s = sqe_rw(t, RS_OP_READ, NULL, "b", 64, 64, 0, 2);
	sqe_fd_literal(&s, 9999, "unopened", NULL);
	q(t, s);
	submit_reap(t, 1, 1);
	q(t, sqe_rw_addr(t, RS_OP_READ, "reg", 8, 4, 3));
	submit_reap(t, 1, 1);
	q(t, sqe_rw_addr(t, RS_OP_READ, "reg", 0xffffffffffff0000ULL, 4, 4));
	submit_reap(t, 1, 1);
	s = sqe_rw(t, RS_OP_READ, "reg", "b", 64, 4, 0, 5);
	s.op_flags = 0x80000000u;
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 6);
	s.op_flags = RS_RWF_NOWAIT;
	q(t, s);
	submit_reap(t, 1, 1);
	q(t, sqe_rw_addr(t, RS_OP_WRITE, "reg", 8, 4, 7));
	submit_reap(t, 1, 1);
	sys_write_bytes(t, "pipe_w", 10, "data for a READ into a bad address");
	q(t, sqe_rw_addr(t, RS_OP_READ, "pipe_r", 8, 10, 8));
	submit_reap(t, 1, 1);
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 9));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_rw_async(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || file_regular(t, "reg") < 0 || !need_ring(t, 8, 0, 0))
		return;
	sys_write_bytes(t, "pipe_w", 10, NULL);
	struct sqe s = sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 1);
	s.flags = IOSQE_ASYNC;
	q(t, s);
	submit_reap(t, 1, 1);
	s.user_data = 2;
	q(t, s);
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	st_sleep(t, 20, "time for the io-wq worker to try the READ and arm its poll");
	sys_write_bytes(t, "pipe_w", 20, "wakes the READ that io-wq armed on the empty pipe");
	tr_ignore_last(t, "/state/cq_tail",
		       "the woken IOSQE_ASYNC READ is retried on io-wq (io_req_task_submit), which races the return of write()");
	tr_timing(t, "whether the io-wq retry of the woken READ posted its CQE before write() returned");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	s = sqe_rw32(t, RS_OP_WRITE, "reg", "v", 1, 77, 0, 3);
	s.flags = IOSQE_ASYNC;
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_rw32(t, RS_OP_READ, "reg", "w", 1, 0, 0, 4);
	s.flags = IOSQE_ASYNC;
	q(t, s);
	submit_reap(t, 1, 1);
	st_peek(t, "w", "read back through io-wq");
	st_ring_close(t, NULL);
}

static void sc_rw_link(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || file_regular(t, "reg") < 0 || !need_ring(t, 8, 0, 0))
		return;
	struct sqe s = sqe_rw32(t, RS_OP_WRITE, "pipe_w", "a", 1, 99, 0, 1);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	q(t, sqe_rw32(t, RS_OP_READ, "pipe_r", "b", 1, 0, 0, 2));
	submit_reap(t, 2, 2);
	st_peek(t, "b", "the linked READ got what the WRITE put in the pipe");
	s = sqe_rw32(t, RS_OP_WRITE, "reg", "a", 0, 0, 0, 3);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	q(t, sqe_rw32(t, RS_OP_READ, "reg", "c", 1, 0, 0, 4));
	submit_reap(t, 2, 2);
	st_peek(t, "c", "the linked READ got what the WRITE put in the file");
	s = sqe_rw(t, RS_OP_READ, "pipe_r", "d", 64, 4, 0, 5);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	q(t, sqe_nop(6));
	st_enter(t, 2, 0, 0, -1);
	st_reap(t, -1);
	sys_write_bytes(t, "pipe_w", 4, "the head READ wakes; the NOP after it runs next");
	st_enter(t, 0, 2, GETEV, -1);
	st_reap(t, -1);
	s = sqe_rw_addr(t, RS_OP_READ, "reg", 8, 4, 7);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	q(t, sqe_nop(8));
	submit_reap(t, 2, 2);
	st_ring_close(t, NULL);
}

/* ---- timeouts and cancel ---- */

static struct sqe sqe_timeout(uint64_t ud, long long sec, long long nsec, uint64_t count, uint32_t flags)
{
	struct sqe s = sqe_nop(ud);
	s.opcode = RS_OP_TIMEOUT;
	s.addr_ptr.is_ts = 1;
	s.addr_ptr.sec = sec;
	s.addr_ptr.nsec = nsec;
	s.len = 1;
	s.off = count;
	s.op_flags = flags;
	return s;
}

static struct sqe sqe_target(uint8_t op, uint64_t ud, uint64_t target)
{
	struct sqe s = sqe_nop(ud);
	s.opcode = op;
	s.addr = target;
	return s;
}

static void sc_timeout_basic(struct trace *t)
{
	if (!need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_timeout(1, 0, 10000000, 0, 0));
	submit_reap(t, 1, 1);
	q(t, sqe_timeout(2, 5, 0, 2, 0));
	q(t, sqe_nop(3));
	submit_reap(t, 2, 1);
	q(t, sqe_nop(4));
	submit_reap(t, 1, 2);
	q(t, sqe_timeout(5, 0, 0, 0, RS_TIMEOUT_ABS));
	submit_reap(t, 1, 1);
	struct sqe s = sqe_timeout(6, 0, 0, 0, 0);
	s.len = 2;
	q(t, s);
	submit_reap(t, 1, 1);
	q(t, sqe_timeout(7, 0, 0, 0, 0x80));
	submit_reap(t, 1, 1);
	q(t, sqe_timeout(8, 0, 1000000000LL, 0, 0));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_timeout_remove(struct trace *t)
{
	if (!need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_timeout(1, 10, 0, 0, 0));
	st_enter(t, 1, 0, 0, -1);
	q(t, sqe_target(RS_OP_TIMEOUT_REMOVE, 2, 1));
	submit_reap(t, 1, 2);
	q(t, sqe_target(RS_OP_TIMEOUT_REMOVE, 3, 99));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_link_timeout(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	struct sqe s = sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 1);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	s = sqe_timeout(2, 0, 10000000, 0, 0);
	s.opcode = RS_OP_LINK_TIMEOUT;
	s.off = 0;
	q(t, s);
	submit_reap(t, 2, 2);
	s = sqe_nop(3);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	s = sqe_timeout(4, 1, 0, 0, 0);
	s.opcode = RS_OP_LINK_TIMEOUT;
	q(t, s);
	submit_reap(t, 2, 2);
	s = sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 5);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	s = sqe_timeout(6, 5, 0, 0, 0);
	s.opcode = RS_OP_LINK_TIMEOUT;
	q(t, s);
	st_enter(t, 2, 0, 0, -1);
	sys_write_bytes(t, "pipe_w", 3, "the READ completes before its linked timeout");
	st_enter(t, 0, 2, GETEV, -1);
	st_reap(t, -1);
	s = sqe_timeout(7, 1, 0, 0, 0);
	s.opcode = RS_OP_LINK_TIMEOUT;
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_async_cancel(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 1));
	st_enter(t, 1, 0, 0, -1);
	q(t, sqe_target(RS_OP_ASYNC_CANCEL, 2, 1));
	submit_reap(t, 1, 2);
	q(t, sqe_target(RS_OP_ASYNC_CANCEL, 3, 99));
	submit_reap(t, 1, 1);
	q(t, sqe_timeout(4, 10, 0, 0, 0));
	st_enter(t, 1, 0, 0, -1);
	q(t, sqe_target(RS_OP_ASYNC_CANCEL, 5, 4));
	submit_reap(t, 1, 2);
	struct sqe s = sqe_target(RS_OP_ASYNC_CANCEL, 6, 4);
	s.op_flags = 0x80000000u;
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

/* ---- POLL_ADD / POLL_REMOVE ---- */

#define RS_POLLIN 0x1
#define RS_POLLOUT 0x4
#define RS_POLL_ADD_MULTI 1u

/* POLL_ADD on a file for `events` (sqe->poll32_events) with `flags` in sqe->len. */
static struct sqe sqe_poll(struct trace *t, const char *id, uint32_t events, uint32_t flags, uint64_t ud)
{
	struct sqe s = sqe_nop(ud);
	s.opcode = RS_OP_POLL_ADD;
	if (id)
		sqe_file(t, &s, id);
	s.op_flags = events;
	s.len = flags;
	return s;
}

static void sc_poll_add_oneshot(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_poll(t, "pipe_r", RS_POLLIN, 0, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_write_bytes(t, "pipe_w", 10, "wakes the POLL_ADD waiting for POLLIN");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_poll(t, "pipe_r", RS_POLLIN, 0, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "pipe_w", RS_POLLOUT, 0, 3));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "pipe_r", RS_POLLOUT, 0, 4));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	struct sqe s = sqe_poll(t, "pipe_r", RS_POLLIN, 0, 5);
	s.addr = 1;
	q(t, s);
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "pipe_r", RS_POLLIN, 8 /* IORING_POLL_ADD_LEVEL */, 6));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, NULL, RS_POLLIN, 0, 7));
	submit_reap(t, 1, 1);
	s = sqe_poll(t, "pipe_r", RS_POLLIN, RS_POLL_ADD_MULTI, 8);
	s.flags = IOSQE_CQE_SKIP_SUCCESS;
	q(t, s);
	submit_reap(t, 1, 1);
	sys_read_bytes(t, "pipe_r", 10, "drain the pipe");
	q(t, sqe_poll(t, "pipe_r", RS_POLLIN, 0, 9));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_close_file(t, "pipe_w", "the last writer goes away: both POLL_ADDs on the read end wake");
	st_enter(t, 0, 2, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_poll_add_multishot(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_poll(t, "pipe_r", RS_POLLIN, RS_POLL_ADD_MULTI, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_write_bytes(t, "pipe_w", 4, "first wake-up: a CQE with IORING_CQE_F_MORE");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	sys_write_bytes(t, "pipe_w", 4, "the pipe was not empty: a polled pipe wakes its readers anyway");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_target(RS_OP_POLL_REMOVE, 2, 1));
	submit_reap(t, 1, 2);
	q(t, sqe_target(RS_OP_POLL_REMOVE, 3, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "pipe_r", RS_POLLIN, RS_POLL_ADD_MULTI, 4));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	q(t, sqe_target(RS_OP_ASYNC_CANCEL, 5, 4));
	submit_reap(t, 1, 2);
	q(t, sqe_target(RS_OP_POLL_REMOVE, 6, 99));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_poll_add_files(struct trace *t)
{
	if (file_regular(t, "reg") < 0 || file_dev(t, "null", "dev_null", "/dev/null", O_RDWR) < 0 ||
	    file_eventfd(t, "efd") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_poll(t, "reg", RS_POLLIN, 0, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "null", RS_POLLOUT, 0, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "reg", 0, 0, 3));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "reg", RS_POLLIN, RS_POLL_ADD_MULTI, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "efd", RS_POLLOUT, 0, 5));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "efd", RS_POLLIN, 0, 6));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_write_bytes(t, "efd", 8, "adds 0 to the counter: the wake-up key (EPOLLIN) completes the poll, though the counter is still 0");
	st_enter(t, 0, 0, 0, -1);
	st_reap(t, -1);
	q(t, sqe_poll(t, "efd", RS_POLLIN, 0, 7));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	q(t, sqe_target(RS_OP_ASYNC_CANCEL, 8, 7));
	submit_reap(t, 1, 2);
	st_ring_close(t, NULL);
}

static void sc_poll_multishot_cq_full(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 1, 0, 0))
		return;
	q(t, sqe_poll(t, "pipe_r", RS_POLLIN, RS_POLL_ADD_MULTI, 1));
	st_enter(t, 1, 0, 0, -1);
	sys_write_bytes(t, "pipe_w", 1, "CQE 1 with F_MORE");
	sys_write_bytes(t, "pipe_w", 1, "CQE 2 with F_MORE: the 2-entry CQ ring is full");
	sys_write_bytes(t, "pipe_w", 1, "no room for a third F_MORE CQE: the poll ends, its last CQE overflows");
	st_reap(t, -1);
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	sys_write_bytes(t, "pipe_w", 1, "the poll is gone: nothing more");
	st_enter(t, 0, 0, 0, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_register_probe(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	st_register_probe(t, 256, "which opcodes the kernel knows (informational)");
	st_ring_close(t, NULL);
}

/* ------------------------------------------------------------------ */
/* READV/WRITEV, READ_FIXED/WRITE_FIXED, registered buffers, probe and  */
/* setup flags.                                                         */
/* ------------------------------------------------------------------ */

/* An iovec element: len bytes at byte off of a named buffer of size bytes. */
static struct tiov iv(const char *buf, int size, int off, uint64_t len)
{
	struct tiov e;
	memset(&e, 0, sizeof(e));
	e.buf = buf;
	e.size = size;
	e.off = off;
	e.len = len;
	return e;
}

/* The same, with an int32 stored at buf + off before the SQE is written. */
static struct tiov ivv(const char *buf, int size, int off, uint64_t len, int32_t value)
{
	struct tiov e = iv(buf, size, off, len);
	e.has_value = 1;
	e.value = value;
	return e;
}

/* An iovec element with a literal base address. */
static struct tiov ivl(uint64_t base, uint64_t len)
{
	struct tiov e;
	memset(&e, 0, sizeof(e));
	e.base = base;
	e.len = len;
	return e;
}

/* READV/WRITEV of n iovecs (len = nr_segs, which may differ from n). */
static struct sqe sqe_rwv(struct trace *t, uint8_t op, const char *id, const struct tiov *iov, int n, uint32_t nr,
			  uint64_t off, uint64_t ud)
{
	struct sqe s = sqe_rw(t, op, id, NULL, 0, nr, off, ud);
	s.addr_ptr.is_iov = 1;
	s.addr_ptr.niov = n;
	for (int i = 0; i < n && i < MAX_IOV; i++)
		s.addr_ptr.iov[i] = iov[i];
	return s;
}

/* READ_FIXED/WRITE_FIXED at byte boff of the named buffer buf (size bytes), registered index idx. */
static struct sqe sqe_fixed(struct trace *t, uint8_t op, const char *id, const char *buf, int size, int boff,
			    uint32_t len, uint64_t off, uint16_t idx, uint64_t ud)
{
	struct sqe s = sqe_rw(t, op, id, buf, size, len, off, ud);
	s.addr_ptr.offset = boff;
	s.buf_index = idx;
	return s;
}

/* An int32 stored at byte boff of the named buffer before a fixed WRITE (through a one-element WRITEV of 0 bytes). */

#define FB 8192 /* size of the registered buffers */

static void reg_two(struct trace *t)
{
	struct tiov r[2] = { iv("fb0", FB, 0, FB), iv("fb1", FB, 0, 4096) };
	st_register_buffers(t, r, 2, 2, "two buffers: fb0 (8192 bytes) at index 0, the first 4096 bytes of fb1 at 1");
}

static void sc_readv_regular_file(struct trace *t)
{
	if (file_regular(t, "reg") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_rw32(t, RS_OP_WRITE, "reg", "src", 1, 0x11223344, 0, 1));
	q(t, sqe_rw32(t, RS_OP_WRITE, "reg", "src2", 1, 0x55667788, 4, 2));
	submit_reap(t, 2, 2);
	struct tiov sc[3] = { iv("a", 4, 0, 2), iv("b", 4, 0, 4), iv("c", 4, 0, 2) };
	q(t, sqe_rwv(t, RS_OP_READV, "reg", sc, 3, 3, 0, 3));
	submit_reap(t, 1, 1);
	st_peek(t, "a", "bytes 0-1 of the file");
	st_peek(t, "b", "bytes 2-5");
	st_peek(t, "c", "bytes 6-7");
	struct tiov one[1] = { iv("d", 64, 0, 64) };
	q(t, sqe_rwv(t, RS_OP_READV, "reg", one, 1, 1, 6, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_rwv(t, RS_OP_READV, "reg", one, 1, 1, 100, 5));
	submit_reap(t, 1, 1);
	q(t, sqe_rwv(t, RS_OP_READV, "reg", one, 1, 0, 0, 6));
	submit_reap(t, 1, 1);
	struct tiov zl[2] = { iv("d", 64, 0, 0), iv("e", 4, 0, 4) };
	q(t, sqe_rwv(t, RS_OP_READV, "reg", zl, 2, 2, 4, 7));
	submit_reap(t, 1, 1);
	st_peek(t, "e", "bytes 4-7, after a zero-length element");
	st_ring_close(t, NULL);
}

static void sc_readv_file_pos(struct trace *t)
{
	if (file_regular(t, "reg") < 0 || !need_ring(t, 8, 0, 0))
		return;
	struct tiov w3[3] = { ivv("x", 4, 0, 4, 0x01020304), ivv("y", 4, 0, 4, 0x05060708),
			      ivv("z", 4, 0, 4, 0x090a0b0c) };
	q(t, sqe_rwv(t, RS_OP_WRITEV, "reg", w3, 3, 3, (uint64_t)-1, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_rwv(t, RS_OP_WRITEV, "reg", w3, 2, 2, (uint64_t)-1, 2));
	submit_reap(t, 1, 1);
	struct tiov r2[2] = { iv("p", 4, 0, 4), iv("q", 4, 0, 4) };
	q(t, sqe_rwv(t, RS_OP_READV, "reg", r2, 2, 2, 8, 3));
	submit_reap(t, 1, 1);
	st_peek(t, "p", "bytes 8-11: the third element of the first WRITEV");
	st_peek(t, "q", "bytes 12-15: the second WRITEV went on at the file position");
	q(t, sqe_rwv(t, RS_OP_READV, "reg", r2, 2, 2, (uint64_t)-1, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_rwv(t, RS_OP_READV, "reg", r2, 2, 2, (uint64_t)-2, 5));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_readv_pipe(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	struct tiov w3[3] = { ivv("x", 4, 0, 4, 0x41424344), ivv("y", 4, 0, 2, 0x45464748), ivv("z", 4, 0, 4, 0x494a4b4c) };
	q(t, sqe_rwv(t, RS_OP_WRITEV, "pipe_w", w3, 3, 3, 0, 1));
	submit_reap(t, 1, 1);
	struct tiov r2[2] = { iv("p", 4, 0, 3), iv("q", 64, 0, 64) };
	q(t, sqe_rwv(t, RS_OP_READV, "pipe_r", r2, 2, 2, 777, 2));
	submit_reap(t, 1, 1);
	st_peek(t, "p", "the first 3 bytes gathered from x");
	st_peek(t, "q", "the rest: x[3], y[0..1], z");
	q(t, sqe_rwv(t, RS_OP_READV, "pipe_w", r2, 2, 2, 0, 3));
	q(t, sqe_rwv(t, RS_OP_WRITEV, "pipe_r", w3, 1, 1, 0, 4));
	submit_reap(t, 2, 2);
	struct tiov big[2] = { iv("big", 70000, 0, 40000), iv("big", 70000, 0, 30000) };
	q(t, sqe_rwv(t, RS_OP_WRITEV, "pipe_w", big, 2, 2, 0, 5));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_readv_pipe_wait(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	struct tiov r2[2] = { iv("p", 4, 0, 4), iv("q", 4, 0, 4) };
	q(t, sqe_rwv(t, RS_OP_READV, "pipe_r", r2, 2, 2, 0, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	struct tiov w1[1] = { ivv("x", 4, 0, 4, 0x31323334) };
	q(t, sqe_rwv(t, RS_OP_WRITEV, "pipe_w", w1, 1, 1, 0, 2));
	st_enter(t, 1, 2, GETEV, -1);
	st_reap(t, -1);
	st_peek(t, "p", "the WRITEV's bytes, scattered into the waiting READV");
	q(t, sqe_rwv(t, RS_OP_READV, "pipe_r", r2, 2, 2, 0, 3));
	st_enter(t, 1, 0, 0, -1);
	sys_close_file(t, "pipe_w", "the last writer goes away: the waiting READV sees end of file");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_readv_errors(struct trace *t)
{
	if (file_regular(t, "reg") < 0 || file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_rw32(t, RS_OP_WRITE, "reg", "src", 1, 42, 0, 1));
	submit_reap(t, 1, 1);
	struct tiov one[1] = { iv("d", 64, 0, 64) };
	struct sqe s = sqe_rwv(t, RS_OP_READV, "reg", one, 1, 1, 0, 2);
	s.addr_ptr.is_iov = 0;
	s.addr = 8;
	q(t, s); /* the iovec array itself at an unmapped address */
	submit_reap(t, 1, 1);
	q(t, sqe_rwv(t, RS_OP_READV, "reg", one, 1, 1025, 0, 3)); /* more than UIO_MAXIOV */
	submit_reap(t, 1, 1);
	struct tiov neg[2] = { iv("d", 64, 0, 4), ivl(0, 0) };
	neg[1] = iv("d", 64, 4, 0x8000000000000000ULL);
	q(t, sqe_rwv(t, RS_OP_READV, "reg", neg, 2, 2, 0, 4)); /* a negative length */
	submit_reap(t, 1, 1);
	struct tiov kern[2] = { iv("d", 64, 0, 4), ivl(0xffffffffffff0000ULL, 4) };
	q(t, sqe_rwv(t, RS_OP_READV, "reg", kern, 2, 2, 0, 5)); /* a kernel address */
	submit_reap(t, 1, 1);
	struct tiov unm[1] = { ivl(8, 4) };
	q(t, sqe_rwv(t, RS_OP_READV, "reg", unm, 1, 1, 0, 6)); /* an unmapped user address */
	submit_reap(t, 1, 1);
	q(t, sqe_rwv(t, RS_OP_WRITEV, "pipe_w", unm, 1, 1, 0, 7));
	st_enter(t, 1, 1, GETEV, -1);
	tr_ignore_last(t, "/tracepoints",
		       "a faulting pipe write is followed by one task_work run whose source is not identified (not modelled)");
	st_reap(t, -1);
	struct tiov part[2] = { iv("d", 64, 0, 4), ivl(8, 4) };
	q(t, sqe_rwv(t, RS_OP_READV, "reg", part, 2, 2, 0, 8)); /* the second element faults */
	submit_reap(t, 1, 1);
	struct tiov wpart[2] = { ivv("w", 4, 0, 4, 0x0f0f0f0f), ivl(8, 4) };
	q(t, sqe_rwv(t, RS_OP_WRITEV, "reg", wpart, 2, 2, 0, 12)); /* writes 4, then the second element faults */
	submit_reap(t, 1, 1);
	s = sqe_rwv(t, RS_OP_READV, "reg", one, 1, 1, 0, 9);
	s.op_flags = 1U << 31;
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_rwv(t, RS_OP_READV, "pipe_r", one, 1, 1, 0, 10);
	s.op_flags = RS_RWF_NOWAIT;
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_rwv(t, RS_OP_READV, NULL, one, 1, 1, 0, 11);
	sqe_fd_literal(&s, 9999, "unopened", "not an open descriptor");
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_readv_devices(struct trace *t)
{
	if (file_dev(t, "null", "dev_null", "/dev/null", O_RDWR) < 0 ||
	    file_dev(t, "zero", "dev_zero", "/dev/zero", O_RDWR) < 0 || file_eventfd(t, "efd") < 0 ||
	    file_memfd(t, "mem") < 0 || file_dir(t, "dir", "/tmp") < 0 || !need_ring(t, 8, 0, 0))
		return;
	struct tiov two[2] = { ivv("a", 4, 0, 4, 7), ivv("b", 4, 0, 4, 9) };
	q(t, sqe_rwv(t, RS_OP_READV, "null", two, 2, 2, 0, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_rwv(t, RS_OP_WRITEV, "null", two, 2, 2, 0, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_rwv(t, RS_OP_READV, "zero", two, 2, 2, 0, 3));
	submit_reap(t, 1, 1);
	st_peek(t, "b", "/dev/zero filled the second element with zeros");
	struct tiov cnt[2] = { ivv("lo", 8, 0, 4, 5), ivv("lo", 8, 4, 4, 0) };
	q(t, sqe_rwv(t, RS_OP_WRITEV, "efd", cnt, 2, 2, 0, 4));
	submit_reap(t, 1, 1); /* two 4-byte elements: eventfd has ->write, looped per element */
	struct tiov cnt8[1] = { iv("lo", 8, 0, 8) };
	q(t, sqe_rwv(t, RS_OP_WRITEV, "efd", cnt8, 1, 1, 0, 40));
	submit_reap(t, 1, 1);
	struct tiov rc[2] = { iv("r1", 4, 0, 4), iv("r2", 4, 0, 4) };
	q(t, sqe_rwv(t, RS_OP_READV, "efd", rc, 2, 2, 0, 5));
	submit_reap(t, 1, 1);
	st_peek(t, "r1", "the eventfd counter, read through two 4-byte elements");
	q(t, sqe_rwv(t, RS_OP_READV, "efd", rc, 1, 1, 0, 6));
	submit_reap(t, 1, 1);
	struct tiov m[2] = { ivv("m1", 4, 0, 4, 0x0a0b0c0d), ivv("m2", 4, 0, 4, 0x0e0f1011) };
	q(t, sqe_rwv(t, RS_OP_WRITEV, "mem", m, 2, 2, 0, 7));
	submit_reap(t, 1, 1);
	struct tiov mr[1] = { iv("m3", 8, 0, 8) };
	q(t, sqe_rwv(t, RS_OP_READV, "mem", mr, 1, 1, 0, 8));
	submit_reap(t, 1, 1);
	st_peek_at(t, "m3", 4, "bytes 4-7 read back from the memfd");
	q(t, sqe_rwv(t, RS_OP_READV, "dir", mr, 1, 1, 0, 9));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_readv_async_link(struct trace *t)
{
	if (file_regular(t, "reg") < 0 || file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	struct tiov w2[2] = { ivv("x", 4, 0, 4, 0x12345678), ivv("y", 4, 0, 4, 0x09abcdef) };
	struct sqe s = sqe_rwv(t, RS_OP_WRITEV, "pipe_w", w2, 2, 2, 0, 1);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	struct tiov r2[2] = { iv("p", 4, 0, 4), iv("q", 4, 0, 4) };
	q(t, sqe_rwv(t, RS_OP_READV, "pipe_r", r2, 2, 2, 0, 2));
	submit_reap(t, 2, 2);
	st_peek(t, "q", "the linked READV ran after the WRITEV");
	s = sqe_rwv(t, RS_OP_WRITEV, "reg", w2, 2, 2, 0, 3);
	s.flags = IOSQE_ASYNC;
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_rwv(t, RS_OP_READV, "reg", r2, 2, 2, 0, 4);
	s.flags = IOSQE_ASYNC;
	q(t, s);
	submit_reap(t, 1, 1);
	st_peek(t, "p", "read back on io-wq");
	struct tiov unm[1] = { ivl(8, 4) };
	s = sqe_rwv(t, RS_OP_READV, "reg", unm, 1, 1, 0, 5);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	q(t, sqe_nop(6));
	submit_reap(t, 2, 2);
	st_ring_close(t, NULL);
}

static void sc_fixed_register(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	reg_two(t);
	reg_two(t);
	st_register_raw(t, "IORING_UNREGISTER_BUFFERS", RS_UNREGISTER_BUFFERS, 0, 0, "unregister");
	st_register_raw(t, "IORING_UNREGISTER_BUFFERS", RS_UNREGISTER_BUFFERS, 0, 0, "nothing registered any more");
	reg_two(t);
	st_register_raw(t, "IORING_UNREGISTER_BUFFERS", RS_UNREGISTER_BUFFERS, 0, 1, "nr_args 1");
	st_register_raw(t, "IORING_UNREGISTER_BUFFERS", RS_UNREGISTER_BUFFERS, 0, 0, "unregister");
	struct tiov sp[3] = { iv("fb0", FB, 0, 4096), ivl(0, 0), iv("fb1", FB, 0, 4096) };
	st_register_buffers(t, sp, 3, 3, "a NULL base with length 0 in the middle: a sparse entry");
	st_register_raw(t, "IORING_UNREGISTER_BUFFERS", RS_UNREGISTER_BUFFERS, 0, 0, "unregister");
	struct tiov unaligned[1] = { iv("fb0", FB, 100, 200) };
	st_register_buffers(t, unaligned, 1, 1, "a buffer that starts and ends inside a page");
	st_register_raw(t, "IORING_UNREGISTER_BUFFERS", RS_UNREGISTER_BUFFERS, 0, 0, "unregister");
	st_ring_close(t, NULL);
}

static void sc_fixed_register_errors(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	struct tiov one[1] = { iv("fb0", FB, 0, 4096) };
	st_register_buffers(t, one, 1, 0, "nr_args 0");
	st_register_raw(t, "IORING_REGISTER_BUFFERS", RS_REGISTER_BUFFERS, 0, 1, "arg NULL");
	st_register_raw(t, "IORING_REGISTER_BUFFERS", RS_REGISTER_BUFFERS, 8, 1, "the iovec array at an unmapped address");
	st_register_buffers(t, one, 1, 16385, "more than IORING_MAX_REG_BUFFERS (16384)");
	struct tiov nullbase[1] = { ivl(0, 4096) };
	st_register_buffers(t, nullbase, 1, 1, "a NULL base with a length");
	struct tiov zero[1] = { iv("fb0", FB, 0, 0) };
	st_register_buffers(t, zero, 1, 1, "a base with length 0");
	struct tiov huge[1] = { iv("fb0", FB, 0, (1ULL << 30) + 1) };
	st_register_buffers(t, huge, 1, 1, "longer than 1 GiB");
	struct tiov unm[1] = { ivl(4096, 4096) };
	st_register_buffers(t, unm, 1, 1, "an unmapped user range");
	struct tiov kern[1] = { ivl(0xffffffffffff0000ULL, 4096) };
	st_register_buffers(t, kern, 1, 1, "a kernel address");
	struct tiov second[2] = { iv("fb0", FB, 0, 4096), ivl(4096, 4096) };
	st_register_buffers(t, second, 2, 2, "the second element fails: nothing stays registered");
	st_register_raw(t, "IORING_UNREGISTER_BUFFERS", RS_UNREGISTER_BUFFERS, 0, 0, "so unregister finds nothing");
	st_ring_close(t, NULL);
}

static void sc_fixed_rw_regular_file(struct trace *t)
{
	if (file_regular(t, "reg") < 0 || !need_ring(t, 8, 0, 0))
		return;
	reg_two(t);
	struct tiov seed[1] = { ivv("fb0", FB, 16, 0, 0x13572468) };
	q(t, sqe_rwv(t, RS_OP_READV, "reg", seed, 1, 1, 0, 1)); /* stores the value; reads 0 bytes */
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_WRITE_FIXED, "reg", "fb0", FB, 16, 4, 0, 0, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb1", FB, 100, 4, 0, 1, 3));
	submit_reap(t, 1, 1);
	st_peek_at(t, "fb1", 100, "the bytes the WRITE_FIXED put in the file, read into buffer 1");
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb0", FB, 0, 64, 2, 0, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb0", FB, 0, 64, (uint64_t)-1, 0, 5));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_WRITE_FIXED, "reg", "fb0", FB, 16, 4, (uint64_t)-1, 0, 6));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb0", FB, 0, 64, 0, 0, 7));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb0", FB, 0, 0, 0, 0, 8));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb0", FB, 0, 64, (uint64_t)-2, 0, 9));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_fixed_rw_bounds(struct trace *t)
{
	if (file_regular(t, "reg") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb0", FB, 0, 4, 0, 0, 1));
	submit_reap(t, 1, 1); /* nothing registered */
	reg_two(t);
	q(t, sqe_rw32(t, RS_OP_WRITE, "reg", "src", 1, 77, 0, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb0", FB, 0, 4, 0, 2, 3));
	submit_reap(t, 1, 1); /* buf_index 2 of 2 */
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb0", FB, 0, 4, 0, 0xffff, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb0", FB, FB - 4, 4, 0, 0, 5));
	submit_reap(t, 1, 1); /* the last 4 bytes */
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb0", FB, FB - 2, 4, 0, 0, 6));
	submit_reap(t, 1, 1); /* runs 2 bytes past the end */
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb1", FB, 4096, 4, 0, 1, 7));
	submit_reap(t, 1, 1); /* fb1 + 4096: outside the registered 4096 bytes */
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb1", FB, 0, 4, 0, 0, 8));
	submit_reap(t, 1, 1); /* fb1's address with index 0 (fb0) */
	struct sqe s = sqe_fixed(t, RS_OP_READ_FIXED, "reg", NULL, 0, 0, 4, 0, 0, 9);
	s.addr = 8;
	q(t, s);
	submit_reap(t, 1, 1); /* a literal address outside every buffer */
	q(t, sqe_fixed(t, RS_OP_WRITE_FIXED, "reg", "fb0", FB, 0, FB + 1, 0, 0, 10));
	submit_reap(t, 1, 1);
	s = sqe_fixed(t, RS_OP_READ_FIXED, NULL, "fb0", FB, 0, 4, 0, 2, 11);
	sqe_fd_literal(&s, 9999, "unopened", "a bad descriptor and a bad index");
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_fixed_rw_pipe(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	reg_two(t);
	struct tiov seed[1] = { ivv("fb0", FB, 0, 0, 0x2468ace0) };
	q(t, sqe_rwv(t, RS_OP_READV, "pipe_r", seed, 1, 1, 0, 1)); /* stores the value; reads 0 bytes */
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_WRITE_FIXED, "pipe_w", "fb0", FB, 0, 100, 5, 0, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "pipe_r", "fb1", FB, 8, 64, 99, 1, 3));
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "pipe_r", "fb1", FB, 200, 64, 0, 1, 4));
	submit_reap(t, 2, 2);
	st_peek_at(t, "fb1", 8, "the first 4 bytes written from buffer 0");
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "pipe_w", "fb1", FB, 0, 4, 0, 1, 5));
	q(t, sqe_fixed(t, RS_OP_WRITE_FIXED, "pipe_r", "fb0", FB, 0, 4, 0, 0, 6));
	submit_reap(t, 2, 2);
	q(t, sqe_fixed(t, RS_OP_WRITE_FIXED, "pipe_w", "fb0", FB, 0, FB, 0, 0, 7));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_fixed_pipe_wait(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	reg_two(t);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "pipe_r", "fb1", FB, 0, 64, 0, 1, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	struct tiov seed[1] = { ivv("fb0", FB, 0, 0, 0x0badf00d) };
	q(t, sqe_rwv(t, RS_OP_READV, "pipe_w", seed, 1, 1, 0, 2)); /* stores the value; -EBADF */
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_WRITE_FIXED, "pipe_w", "fb0", FB, 0, 4, 0, 0, 3));
	st_enter(t, 1, 2, GETEV, -1);
	st_reap(t, -1);
	st_peek(t, "fb1", "the waiting READ_FIXED got the bytes");
	st_ring_close(t, NULL);
}

static void sc_fixed_unregister_in_use(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	reg_two(t);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "pipe_r", "fb1", FB, 0, 64, 0, 1, 1));
	st_enter(t, 1, 0, 0, -1);
	st_register_raw(t, "IORING_UNREGISTER_BUFFERS", RS_UNREGISTER_BUFFERS, 0, 0,
			"while a READ_FIXED waits on buffer 1");
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "pipe_r", "fb1", FB, 0, 64, 0, 1, 2));
	submit_reap(t, 1, 1); /* the table is gone for new requests */
	struct tiov w1[1] = { ivv("x", 4, 0, 4, 0x600dcafe) };
	q(t, sqe_rwv(t, RS_OP_WRITEV, "pipe_w", w1, 1, 1, 0, 3));
	st_enter(t, 1, 2, GETEV, -1);
	st_reap(t, -1);
	st_peek(t, "fb1", "the waiting READ_FIXED still wrote into the unregistered buffer");
	reg_two(t);
	st_ring_close(t, NULL);
}

static void sc_fixed_rw_devices(struct trace *t)
{
	if (file_dev(t, "null", "dev_null", "/dev/null", O_RDWR) < 0 ||
	    file_dev(t, "zero", "dev_zero", "/dev/zero", O_RDWR) < 0 || file_eventfd(t, "efd") < 0 ||
	    file_memfd(t, "mem") < 0 || !need_ring(t, 8, 0, 0))
		return;
	reg_two(t);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "null", "fb0", FB, 0, 64, 0, 0, 1));
	q(t, sqe_fixed(t, RS_OP_WRITE_FIXED, "null", "fb0", FB, 0, 64, 0, 0, 2));
	submit_reap(t, 2, 2);
	struct tiov seed[1] = { ivv("fb1", FB, 40, 0, 99) };
	q(t, sqe_rwv(t, RS_OP_READV, "null", seed, 1, 1, 0, 3));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "zero", "fb1", FB, 32, 16, 0, 1, 4));
	submit_reap(t, 1, 1);
	st_peek_at(t, "fb1", 40, "/dev/zero cleared it");
	struct tiov cnt[1] = { ivv("fb0", FB, 8, 0, 3) };
	q(t, sqe_rwv(t, RS_OP_READV, "null", cnt, 1, 1, 0, 5));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_WRITE_FIXED, "efd", "fb0", FB, 8, 8, 0, 0, 6));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "efd", "fb1", FB, 0, 8, 0, 1, 7));
	submit_reap(t, 1, 1);
	st_peek(t, "fb1", "the eventfd counter");
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "efd", "fb1", FB, 0, 4, 0, 1, 8));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_WRITE_FIXED, "mem", "fb0", FB, 8, 4, 0, 0, 9));
	submit_reap(t, 1, 1);
	q(t, sqe_fixed(t, RS_OP_READ_FIXED, "mem", "fb1", FB, 60, 8, 0, 1, 10));
	submit_reap(t, 1, 1);
	st_peek_at(t, "fb1", 60, "read back from the memfd");
	st_ring_close(t, NULL);
}

static void sc_fixed_link_async(struct trace *t)
{
	if (file_regular(t, "reg") < 0 || file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 8, 0, 0))
		return;
	reg_two(t);
	struct tiov seed[1] = { ivv("fb0", FB, 0, 0, 0x7a7b7c7d) };
	q(t, sqe_rwv(t, RS_OP_READV, "reg", seed, 1, 1, 0, 1));
	submit_reap(t, 1, 1);
	struct sqe s = sqe_fixed(t, RS_OP_WRITE_FIXED, "reg", "fb0", FB, 0, 4, 0, 0, 2);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	s = sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb1", FB, 12, 4, 0, 1, 3);
	s.flags = IOSQE_ASYNC;
	q(t, s);
	submit_reap(t, 2, 2);
	st_peek_at(t, "fb1", 12, "linked behind the WRITE_FIXED, read on io-wq");
	s = sqe_fixed(t, RS_OP_READ_FIXED, "reg", "fb0", FB, 0, 4, 0, 5, 4);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	q(t, sqe_nop(5));
	submit_reap(t, 2, 2);
	s = sqe_fixed(t, RS_OP_WRITE_FIXED, "pipe_w", "fb0", FB, 0, 4, 0, 0, 6);
	s.flags = IOSQE_ASYNC;
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_probe_ops(struct trace *t)
{
	if (!need_ring(t, 4, 0, 0))
		return;
	st_register_probe(t, 256, "room for 256 ops");
	st_register_probe(t, 4, "room for 4 ops");
	st_register_probe(t, 0, "room for none");
	st_register_probe(t, 63, "exactly IORING_OP_LAST");
	st_register_raw(t, "IORING_REGISTER_PROBE", 8, 0, 4, "arg NULL");
	st_register_raw(t, "IORING_REGISTER_PROBE", 8, 8, 4, "arg unmapped");
	st_ring_close(t, NULL);
}

static void sc_setup_flags_each(struct trace *t)
{
	static const struct {
		unsigned flags;
		const char *why;
	} f[] = {
		{ IORING_SETUP_IOPOLL, "IOPOLL" },
		{ IORING_SETUP_SQ_AFF, "SQ_AFF without SQPOLL" },
		{ IORING_SETUP_CLAMP, "CLAMP" },
		{ IORING_SETUP_R_DISABLED, "R_DISABLED" },
		{ IORING_SETUP_SUBMIT_ALL, "SUBMIT_ALL" },
		{ IORING_SETUP_COOP_TASKRUN, "COOP_TASKRUN" },
		{ IORING_SETUP_TASKRUN_FLAG, "TASKRUN_FLAG alone" },
		{ IORING_SETUP_SQE128, "SQE128" },
		{ IORING_SETUP_CQE32, "CQE32" },
		{ IORING_SETUP_SINGLE_ISSUER, "SINGLE_ISSUER" },
		{ IORING_SETUP_DEFER_TASKRUN, "DEFER_TASKRUN alone" },
		{ IORING_SETUP_NO_MMAP, "NO_MMAP with no user memory given" },
		{ IORING_SETUP_REGISTERED_FD_ONLY, "REGISTERED_FD_ONLY alone" },
		{ IORING_SETUP_NO_SQARRAY, "NO_SQARRAY" },
		{ IORING_SETUP_HYBRID_IOPOLL, "HYBRID_IOPOLL alone" },
		{ IORING_SETUP_CQE_MIXED, "CQE_MIXED" },
		{ IORING_SETUP_SQE_MIXED, "SQE_MIXED" },
		{ IORING_SETUP_SQ_REWIND, "SQ_REWIND alone" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		st_setup_probe(t, 8, f[i].flags, 0, f[i].why);
	st_setup_probe(t, 8, IORING_SETUP_CQSIZE, 64, "CQSIZE 64");
}

static void sc_setup_flags_combos(struct trace *t)
{
	static const struct {
		unsigned entries, flags;
		const char *why;
	} f[] = {
		{ 8, IORING_SETUP_IOPOLL | IORING_SETUP_HYBRID_IOPOLL, "IOPOLL|HYBRID_IOPOLL" },
		{ 8, IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG, "COOP_TASKRUN|TASKRUN_FLAG" },
		{ 8, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, "SINGLE_ISSUER|DEFER_TASKRUN" },
		{ 8, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
		  "DEFER_TASKRUN with TASKRUN_FLAG" },
		{ 8, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_COOP_TASKRUN,
		  "DEFER_TASKRUN with COOP_TASKRUN" },
		{ 8, IORING_SETUP_SQE128 | IORING_SETUP_CQE32, "SQE128|CQE32" },
		{ 8, IORING_SETUP_SQE128 | IORING_SETUP_CQE_MIXED, "SQE128|CQE_MIXED" },
		{ 8, IORING_SETUP_CQE32 | IORING_SETUP_SQE_MIXED, "CQE32|SQE_MIXED" },
		{ 8, IORING_SETUP_CQE_MIXED | IORING_SETUP_SQE_MIXED, "CQE_MIXED|SQE_MIXED" },
		{ 1, IORING_SETUP_SQE_MIXED, "SQE_MIXED with one SQ entry" },
		{ 1, IORING_SETUP_CQE_MIXED, "CQE_MIXED with one SQ entry (cq 2)" },
		{ 8, IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY, "NO_MMAP|REGISTERED_FD_ONLY, no memory" },
		{ 8, IORING_SETUP_NO_SQARRAY | IORING_SETUP_SQ_REWIND, "NO_SQARRAY|SQ_REWIND" },
		{ 8, IORING_SETUP_IOPOLL | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
		  "IOPOLL with DEFER_TASKRUN" },
		{ 8, IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SINGLE_ISSUER,
		  "SUBMIT_ALL|COOP_TASKRUN|SINGLE_ISSUER" },
		{ 8, IORING_SETUP_R_DISABLED | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
		  "R_DISABLED with DEFER_TASKRUN" },
		{ 8, IORING_SETUP_NO_SQARRAY | IORING_SETUP_SQE128 | IORING_SETUP_CQE32, "NO_SQARRAY|SQE128|CQE32" },
		{ 8, IORING_SETUP_CLAMP | IORING_SETUP_IOPOLL | IORING_SETUP_SUBMIT_ALL, "CLAMP|IOPOLL|SUBMIT_ALL" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		st_setup_probe(t, f[i].entries, f[i].flags, 0, f[i].why);
	st_setup_probe(t, 8, IORING_SETUP_CQSIZE | IORING_SETUP_CQE_MIXED, 2, "CQSIZE 2 with CQE_MIXED");
	st_setup_probe(t, 2, IORING_SETUP_CQSIZE | IORING_SETUP_NO_SQARRAY | IORING_SETUP_CQE32, 300,
		       "CQSIZE 300 with NO_SQARRAY|CQE32");
}

static void sc_setup_attach_wq(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 4, 0, 0))
		return;
	st_setup_probe_wq(t, 4, IORING_SETUP_ATTACH_WQ, 0, -2, "ATTACH_WQ to the open ring");
	st_setup_probe_wq(t, 4, IORING_SETUP_ATTACH_WQ, 0, tr_file(t, "pipe_r")->fd, "ATTACH_WQ to a pipe");
	st_setup_probe_wq(t, 4, IORING_SETUP_ATTACH_WQ, 0, 9999, "ATTACH_WQ to an unopened descriptor");
	st_setup_probe_wq(t, 4, IORING_SETUP_ATTACH_WQ, 0, -1, "ATTACH_WQ to -1");
	st_setup_probe_wq(t, 4, IORING_SETUP_ATTACH_WQ | IORING_SETUP_IOPOLL, 0, -2, "ATTACH_WQ|IOPOLL to the ring");
	st_ring_close(t, NULL);
}

static void sc_setup_r_disabled(struct trace *t)
{
	if (!need_ring(t, 4, IORING_SETUP_R_DISABLED, 0))
		return;
	q(t, sqe_nop(1));
	st_enter(t, 1, 1, GETEV, -1);
	st_register_probe(t, 4, "a disabled ring still answers register");
	st_register_raw(t, "IORING_REGISTER_ENABLE_RINGS", RS_REGISTER_ENABLE_RINGS, 0, 1, "nr_args 1");
	st_register_raw(t, "IORING_REGISTER_ENABLE_RINGS", RS_REGISTER_ENABLE_RINGS, 8, 0, "arg non-NULL");
	st_register_raw(t, "IORING_REGISTER_ENABLE_RINGS", RS_REGISTER_ENABLE_RINGS, 0, 0, "enable");
	st_enter(t, 1, 1, GETEV, -1);
	st_reap(t, -1);
	st_register_raw(t, "IORING_REGISTER_ENABLE_RINGS", RS_REGISTER_ENABLE_RINGS, 0, 0, "enable again");
	st_ring_close(t, NULL);
	if (!need_ring(t, 4, 0, 0))
		return;
	st_register_raw(t, "IORING_REGISTER_ENABLE_RINGS", RS_REGISTER_ENABLE_RINGS, 0, 0, "a ring set up enabled");
	st_ring_close(t, NULL);
}

static void sc_setup_hybrid_iopoll(struct trace *t)
{
	if (file_regular(t, "reg") < 0 || !need_ring(t, 4, IORING_SETUP_IOPOLL | IORING_SETUP_HYBRID_IOPOLL, 0))
		return;
	q(t, sqe_nop(1));
	q(t, sqe_nop(2));
	submit_reap(t, 2, 2);
	q(t, sqe_rw(t, RS_OP_READ, "reg", "b", 64, 64, 0, 3));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_setup_offsets(struct trace *t)
{
	if (!need_ring(t, 4, IORING_SETUP_NO_SQARRAY | IORING_SETUP_CQE32, 0))
		return;
	q(t, sqe_nop(1));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
	if (!need_ring(t, 16, IORING_SETUP_SQE128 | IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL, 64))
		return;
	q(t, sqe_nop(2));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
	if (!need_ring(t, 2, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG, 0))
		return;
	q(t, sqe_nop(3));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

/* ------------------------------------------------------------------ */
/* Scenario table and driver.                                          */
/* ------------------------------------------------------------------ */

struct scenario {
	const char *name;
	void (*fn)(struct trace *t);
	const char *desc;
};

/* ---- Networking and provided buffers ---- */

#define RS_OP_ACCEPT 13
#define RS_OP_SEND 26
#define RS_OP_RECV 27
#define RS_OP_PROVIDE_BUFFERS 31
#define RS_OP_REMOVE_BUFFERS 32
#define RS_RECVSEND_POLL_FIRST 1u
#define RS_RECV_MULTISHOT 2u
#define RS_ACCEPT_MULTISHOT 1u
#define RS_ACCEPT_DONTWAIT 2u
#define RS_BUFFER_SELECT (1u << 5)

static void sys_connect(struct trace *t, const char *id, const char *to, const char *what)
{
	struct sysargs a = { .call = "connect", .to = to };
	st_syscall(t, id, a, what);
}

/* SEND/RECV of len bytes through a named buffer of `size` bytes; msg_flags in op_flags, the
 * io_uring flags (POLL_FIRST, RECV_MULTISHOT) in ioprio. */
static struct sqe sqe_net(struct trace *t, uint8_t op, const char *id, const char *buf, int size, uint32_t len,
			  uint32_t msg_flags, uint64_t ud)
{
	struct sqe s = sqe_rw(t, op, id, buf, size, len, 0, ud);
	s.op_flags = msg_flags;
	return s;
}

/* SEND of the 4 bytes of a named int32 holding `value`. */
static struct sqe sqe_send32(struct trace *t, const char *id, const char *buf, int32_t value, uint64_t ud)
{
	struct sqe s = sqe_rw32(t, RS_OP_SEND, id, buf, 1, value, 0, ud);
	return s;
}

/* RECV with IOSQE_BUFFER_SELECT from group `bgid`; len 0 means "the buffer's length". */
static struct sqe sqe_recv_select(struct trace *t, const char *id, uint16_t bgid, uint32_t len, uint16_t ioprio,
				  uint64_t ud)
{
	struct sqe s = sqe_nop(ud);
	s.opcode = RS_OP_RECV;
	sqe_file(t, &s, id);
	s.flags = RS_BUFFER_SELECT;
	s.buf_index = bgid;
	s.len = len;
	s.ioprio = ioprio;
	return s;
}

/* PROVIDE_BUFFERS: nbufs buffers of len bytes from the named pool, ids from bid, group bgid. */
static struct sqe sqe_provide(const char *pool, int nbufs, uint32_t len, uint16_t bid, uint16_t bgid, uint64_t ud)
{
	struct sqe s = sqe_nop(ud);
	s.opcode = RS_OP_PROVIDE_BUFFERS;
	s.fd = nbufs;
	s.fd_ref = "literal";
	s.fd_kind = "count";
	s.addr_ptr.buf = pool;
	s.addr_ptr.size = nbufs * (int)len > 0 ? nbufs * (int)len : 64; /* a "buffer" even when empty */
	s.len = len;
	s.off = bid;
	s.buf_index = bgid;
	return s;
}

static struct sqe sqe_remove_bufs(int nbufs, uint16_t bgid, uint64_t ud)
{
	struct sqe s = sqe_nop(ud);
	s.opcode = RS_OP_REMOVE_BUFFERS;
	s.fd = nbufs;
	s.fd_ref = "literal";
	s.fd_kind = "count";
	s.buf_index = bgid;
	return s;
}

static struct sqe sqe_accept(struct trace *t, const char *id, uint16_t ioprio, uint64_t ud)
{
	struct sqe s = sqe_nop(ud);
	s.opcode = RS_OP_ACCEPT;
	if (id)
		sqe_file(t, &s, id);
	s.ioprio = ioprio;
	s.op_flags = SOCK_CLOEXEC;
	return s;
}

static void sc_net_send_recv_unix(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_send32(t, "unix_a", "msg", 0x11223344, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_SEND, "unix_a", "big", 100, 100, 0, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_RECV, "unix_b", "in", 64, 64, 0, 3));
	submit_reap(t, 1, 1);
	st_peek(t, "in", "the first 4 bytes of the stream: the int32 sent first");
	q(t, sqe_net(t, RS_OP_RECV, "unix_b", "in", 64, 64, 0, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_RECV, "unix_b", "in", 64, 64, 0x40 /* MSG_DONTWAIT */, 5));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_net_send_recv_tcp(struct trace *t)
{
	if (file_tcp(t, "tcp_listener", "tcp_client", "tcp_server", 4) < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_send32(t, "tcp_client", "msg", 0x55667788, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_SEND, "tcp_client", "big", 1000, 1000, 0, 2));
	submit_reap(t, 1, 1);
	st_settle(t, "tcp_server", 0, 1004, 2000, "loopback delivery is asynchronous");
	q(t, sqe_net(t, RS_OP_RECV, "tcp_server", "in", 512, 512, 0, 3));
	submit_reap(t, 1, 1);
	st_peek(t, "in", "the int32 sent first");
	q(t, sqe_net(t, RS_OP_RECV, "tcp_server", "in", 512, 512, 0, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_RECV, "tcp_server", "in", 512, 512, 0x40 /* MSG_DONTWAIT */, 5));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_RECV, "tcp_listener", "in", 512, 512, 0, 6));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_net_send_recv_udp(struct trace *t)
{
	if (file_udp(t, "udp_rx", "udp_tx") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_send32(t, "udp_tx", "msg", 0x0a0b0c0d, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_SEND, "udp_tx", "big", 30, 30, 0, 2));
	submit_reap(t, 1, 1);
	st_settle(t, "udp_rx", 0, 4, 2000, "loopback delivery is asynchronous");
	q(t, sqe_net(t, RS_OP_RECV, "udp_rx", "in", 64, 64, 0, 3));
	submit_reap(t, 1, 1);
	st_peek(t, "in", "the first datagram");
	q(t, sqe_net(t, RS_OP_RECV, "udp_rx", "in", 64, 10, 0, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_RECV, "udp_rx", "in", 64, 64, 0x40 /* MSG_DONTWAIT */, 5));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_SEND, "udp_rx", "big", 30, 30, 0, 6));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_net_recv_wait_unix(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_net(t, RS_OP_RECV, "unix_b", "in", 64, 64, 0, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 10, "wakes the RECV waiting on the empty socket");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_net(t, RS_OP_RECV, "unix_b", "in", 64, 64, 0, 2));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_close_file(t, "unix_a", "the peer goes away: the waiting RECV sees end of file");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_net(t, RS_OP_SEND, "unix_b", "big", 10, 10, 0, 3));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_net_recv_wait_tcp(struct trace *t)
{
	if (file_tcp(t, "tcp_listener", "tcp_client", "tcp_server", 4) < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_net(t, RS_OP_RECV, "tcp_server", "in", 64, 64, 0, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "tcp_client", 10, "wakes the RECV waiting on the server end");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_net(t, RS_OP_RECV, "tcp_server", "in", 64, 64, 0, 2));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_close_file(t, "tcp_client", "the client closes: the waiting RECV sees end of file");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_net_recv_wait_udp(struct trace *t)
{
	if (file_udp(t, "udp_rx", "udp_tx") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_net(t, RS_OP_RECV, "udp_rx", "in", 64, 64, 0, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "udp_tx", 20, "a datagram wakes the RECV");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_net_recv_waitall(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_net(t, RS_OP_RECV, "unix_b", "in", 100, 100, 0x100 /* MSG_WAITALL */, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 40, "40 of the 100 bytes: the RECV takes them and waits again");
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 60, "the other 60: the RECV completes with 100");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_net(t, RS_OP_RECV, "unix_b", "in", 100, 100, 0x100 /* MSG_WAITALL */, 2));
	st_enter(t, 1, 0, 0, -1);
	sys_send_bytes(t, "unix_a", 30, "30 bytes, then the peer closes");
	sys_close_file(t, "unix_a", "end of file: MSG_WAITALL completes with what it has");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_net_errors(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || file_pipe(t, "pipe_r", "pipe_w") < 0 ||
	    file_regular(t, "reg") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_net(t, RS_OP_SEND, "pipe_w", "big", 10, 10, 0, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_RECV, "reg", "big", 10, 10, 0, 2));
	submit_reap(t, 1, 1);
	struct sqe s = sqe_net(t, RS_OP_RECV, NULL, "big", 10, 10, 0, 3);
	sqe_fd_literal(&s, 9999, "unopened", NULL);
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_net(t, RS_OP_SEND, "unix_a", "big", 10, 10, 0, 4);
	s.ioprio = 0x80;
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_net(t, RS_OP_RECV, "unix_b", "big", 10, 10, 0, 5);
	s.ioprio = RS_RECV_MULTISHOT;
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_recv_select(t, "unix_b", 1, 10, RS_RECV_MULTISHOT, 6);
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_recv_select(t, "unix_b", 1, 0, RS_RECV_MULTISHOT, 7);
	s.op_flags = 0x100; /* MSG_WAITALL */
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_net(t, RS_OP_SEND, "unix_a", "big", 10, 10, 0, 8);
	s.flags = RS_BUFFER_SELECT;
	q(t, s);
	submit_reap(t, 1, 1);
	q(t, sqe_rw_addr(t, RS_OP_SEND, "unix_a", 8, 4, 9));
	submit_reap(t, 1, 1);
	q(t, sqe_rw_addr(t, RS_OP_SEND, "unix_a", 0xffffffffffff0000ULL, 4, 10));
	submit_reap(t, 1, 1);
	sys_close_file(t, "unix_b", "the peer is gone");
	q(t, sqe_net(t, RS_OP_SEND, "unix_a", "big", 10, 10, 0, 11));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_net_poll_socket(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 ||
	    file_tcp(t, "tcp_listener", "tcp_client", "tcp_server", 4) < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_poll(t, "unix_a", RS_POLLOUT, 0, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "unix_b", RS_POLLIN, 0, 2));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 10, "wakes the POLLIN poll");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_poll(t, "unix_b", RS_POLLIN, 0, 3));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "tcp_server", RS_POLLIN, 0, 4));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "tcp_client", 10, "wakes the POLLIN poll on the server end");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_poll(t, "tcp_client", RS_POLLOUT, 0, 5));
	submit_reap(t, 1, 1);
	q(t, sqe_poll(t, "tcp_listener", RS_POLLIN, 0, 6));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	q(t, sqe_target(RS_OP_ASYNC_CANCEL, 7, 6));
	submit_reap(t, 1, 2);
	q(t, sqe_poll(t, "unix_a", RS_POLLIN, 0, 8));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_close_file(t, "unix_b", "the peer goes away: the poll on unix_a wakes");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_net_poll_multishot_socket(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_poll(t, "unix_b", RS_POLLIN, RS_POLL_ADD_MULTI, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 4, "first wake-up");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 4, "second wake-up, with data still queued");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_target(RS_OP_POLL_REMOVE, 2, 1));
	submit_reap(t, 1, 2);
	st_ring_close(t, NULL);
}

static void sc_net_accept(struct trace *t)
{
	if (file_tcp_listener(t, "tcp_listener", 4) < 0 || file_tcp_unconnected(t, "c1") < 0 ||
	    file_tcp_unconnected(t, "c2") < 0 || file_pipe(t, "pipe_r", "pipe_w") < 0 ||
	    file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_accept(t, "tcp_listener", 0, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_connect(t, "c1", "tcp_listener", "a connection wakes the waiting ACCEPT");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	sys_connect(t, "c2", "tcp_listener", "a connection waits in the accept queue");
	q(t, sqe_accept(t, "tcp_listener", 0, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_accept(t, "tcp_listener", RS_ACCEPT_DONTWAIT, 3));
	submit_reap(t, 1, 1);
	q(t, sqe_accept(t, "pipe_r", 0, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_accept(t, "unix_a", 0, 5));
	submit_reap(t, 1, 1);
	struct sqe s = sqe_accept(t, "tcp_listener", 0, 6);
	s.len = 1;
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_accept(t, "tcp_listener", 0x40, 7);
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_accept(t, "tcp_listener", 0, 8);
	s.op_flags = 0x1;
	q(t, s);
	submit_reap(t, 1, 1);
	q(t, sqe_accept(t, "c1", 0, 9));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_net_accept_multishot(struct trace *t)
{
	if (file_tcp_listener(t, "tcp_listener", 8) < 0 || file_tcp_unconnected(t, "c1") < 0 ||
	    file_tcp_unconnected(t, "c2") < 0 || file_tcp_unconnected(t, "c3") < 0 || !need_ring(t, 8, 0, 0))
		return;
	sys_connect(t, "c1", "tcp_listener", "queued before the ACCEPT is armed");
	q(t, sqe_accept(t, "tcp_listener", RS_ACCEPT_MULTISHOT, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_connect(t, "c2", "tcp_listener", "a second connection: another CQE with F_MORE");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	sys_connect(t, "c3", "tcp_listener", "a third");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_target(RS_OP_ASYNC_CANCEL, 2, 1));
	submit_reap(t, 1, 2);
	st_ring_close(t, NULL);
}

static void sc_pbuf_provide(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_provide("pool", 4, 64, 10, 7, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_send32(t, "unix_a", "msg", 0x01020304, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_recv_select(t, "unix_b", 7, 0, 0, 3));
	submit_reap(t, 1, 1);
	st_peek(t, "pool", "buffer 10 (the first provided) got the 4 bytes");
	q(t, sqe_net(t, RS_OP_SEND, "unix_a", "big", 100, 100, 0, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_recv_select(t, "unix_b", 7, 0, 0, 5));
	submit_reap(t, 1, 1);
	q(t, sqe_recv_select(t, "unix_b", 7, 16, 0, 6));
	submit_reap(t, 1, 1);
	q(t, sqe_remove_bufs(5, 7, 7));
	submit_reap(t, 1, 1);
	q(t, sqe_remove_bufs(1, 7, 8));
	submit_reap(t, 1, 1);
	q(t, sqe_recv_select(t, "unix_b", 7, 0, 0, 9));
	submit_reap(t, 1, 1);
	q(t, sqe_provide("pool", 2, 0, 0, 7, 10));
	submit_reap(t, 1, 1);
	q(t, sqe_provide("pool", 0, 64, 0, 7, 11));
	submit_reap(t, 1, 1);
	q(t, sqe_remove_bufs(0, 7, 12));
	submit_reap(t, 1, 1);
	q(t, sqe_provide("pool", 2, 64, 65535, 7, 13));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_pbuf_recv_wait(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_provide("pool", 2, 32, 0, 1, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_recv_select(t, "unix_b", 1, 0, 0, 2));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 10, "wakes the RECV; it picks a buffer only now");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_recv_select(t, "unix_b", 1, 0, 0, 3));
	st_enter(t, 1, 0, 0, -1);
	q(t, sqe_remove_bufs(1, 1, 4));
	submit_reap(t, 1, 1);
	sys_send_bytes(t, "unix_a", 10, "no buffer left when the RECV retries");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_net_recv_multishot(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_provide("pool", 3, 16, 0, 5, 1));
	submit_reap(t, 1, 1);
	sys_send_bytes(t, "unix_a", 10, "data queued before the RECV is armed");
	q(t, sqe_recv_select(t, "unix_b", 5, 0, RS_RECV_MULTISHOT, 2));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 20, "20 bytes into 16-byte buffers: two CQEs");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 5, "no buffer left: the multishot RECV ends with -ENOBUFS");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_net_recv_multishot_cancel(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_provide("pool", 4, 64, 0, 2, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_recv_select(t, "unix_b", 2, 0, RS_RECV_MULTISHOT, 2));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 8, "one CQE with F_MORE and F_BUFFER");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_target(RS_OP_ASYNC_CANCEL, 3, 2));
	submit_reap(t, 1, 2);
	q(t, sqe_recv_select(t, "unix_b", 2, 0, RS_RECV_MULTISHOT, 4));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_close_file(t, "unix_a", "end of file ends the multishot RECV: res 0 without F_MORE");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_net_recv_multishot_udp(struct trace *t)
{
	if (file_udp(t, "udp_rx", "udp_tx") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_provide("pool", 4, 32, 100, 3, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_recv_select(t, "udp_rx", 3, 0, RS_RECV_MULTISHOT, 2));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "udp_tx", 10, "a datagram: one CQE");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "udp_tx", 50, "a 50-byte datagram into a 32-byte buffer: truncated");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	q(t, sqe_target(RS_OP_ASYNC_CANCEL, 3, 2));
	submit_reap(t, 1, 2);
	st_ring_close(t, NULL);
}

static void sc_net_link_send_recv(struct trace *t)
{
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	struct sqe s = sqe_send32(t, "unix_a", "msg", 0x7eadbeef, 1);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	q(t, sqe_net(t, RS_OP_RECV, "unix_b", "in", 64, 64, 0, 2));
	submit_reap(t, 2, 2);
	st_peek(t, "in", "the linked RECV saw the SEND's bytes");
	s = sqe_net(t, RS_OP_RECV, "unix_b", "in", 64, 64, 0, 3);
	s.flags = IOSQE_IO_LINK;
	q(t, s);
	q(t, sqe_nop(4));
	st_enter(t, 2, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 6, "the waiting RECV head completes, then its NOP");
	st_enter(t, 0, 2, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_net_recv_peek_trunc(struct trace *t)
{
	if (file_unix_pair(t, SOCK_DGRAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	q(t, sqe_send32(t, "unix_a", "msg", 0x31323334, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_RECV, "unix_b", "in", 64, 64, 0x2 /* MSG_PEEK */, 2));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_RECV, "unix_b", "in", 64, 2, 0x20 /* MSG_TRUNC */, 3));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_SEND, "unix_a", "big", 50, 50, 0, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_net(t, RS_OP_RECV, "unix_b", "in", 64, 20, 0x100 /* MSG_WAITALL */, 5));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

/* ---- Registered provided-buffer rings (IORING_REGISTER_PBUF_RING) ---- */

#define RS_REGISTER_PBUF_RING 22
#define RS_UNREGISTER_PBUF_RING 23

/* struct io_uring_buf_reg. */
struct rs_buf_reg {
	uint64_t ring_addr;
	uint32_t ring_entries;
	uint16_t bgid;
	uint16_t flags;
	uint64_t resv[3];
};

/* Page-aligned ring memory by name, and the program's local tail of each ring. */
static unsigned char g_brings[2][4096] __attribute__((aligned(4096)));
static const char *g_bring_names[2];
static uint16_t g_bring_tail[2];

static int bring_slot(const char *name)
{
	for (int i = 0; i < 2; i++)
		if (g_bring_names[i] && !strcmp(g_bring_names[i], name))
			return i;
	for (int i = 0; i < 2; i++)
		if (!g_bring_names[i]) {
			g_bring_names[i] = name;
			memset(g_brings[i], 0, sizeof(g_brings[i]));
			g_bring_tail[i] = 0;
			return i;
		}
	return -1;
}

static void bring_reset(void)
{
	g_bring_names[0] = g_bring_names[1] = NULL;
}

/*
 * io_uring_register(REGISTER_PBUF_RING / UNREGISTER_PBUF_RING) with a struct io_uring_buf_reg
 * whose ring_addr is the named page-aligned ring (plus `misalign` bytes).
 */
static int st_register_pbuf(struct trace *t, int unreg, const char *ring, unsigned entries, uint16_t bgid,
			    uint16_t flags, unsigned misalign, const char *what)
{
	if (t->failed || !t->ring_open)
		return -EIO;
	publish_pending(t);
	struct rs_buf_reg reg;
	memset(&reg, 0, sizeof(reg));
	int slot = ring ? bring_slot(ring) : -1;
	if (ring && slot < 0) {
		t->failed = 1;
		return -EIO;
	}
	reg.ring_addr = ring ? (uint64_t)(uintptr_t)g_brings[slot] + misalign : 0;
	reg.ring_entries = entries;
	reg.bgid = bgid;
	reg.flags = flags;
	unsigned op = unreg ? RS_UNREGISTER_PBUF_RING : RS_REGISTER_PBUF_RING;
	int ret = sys_io_uring_register(t->r.fd, op, &reg, 1);
	if (ret < 0)
		ret = -errno;
	struct jw *w = step_begin(t, "register");
	jw_str(w, "opcode", unreg ? "IORING_UNREGISTER_PBUF_RING" : "IORING_REGISTER_PBUF_RING");
	jw_int(w, "opcode_num", op);
	jw_int(w, "nr_args", 1);
	jw_obj(w, "buf_reg");
	if (ring) {
		jw_str(w, "ring", ring);
		jw_int(w, "ring_offset", misalign);
	}
	jw_int(w, "ring_entries", entries);
	jw_int(w, "bgid", bgid);
	jw_int(w, "flags", flags);
	jw_obj_end(w);
	jw_res(w, "ret", ret);
	if (what)
		jw_str(w, "what", what);
	step_end(t, 1);
	return ret;
}

/* One buffer added to a ring: `len` bytes at `offset` in the named buffer (of `size` bytes). */
struct rs_ring_buf {
	const char *buf;
	int size;
	unsigned offset, len;
	uint16_t bid;
};

/*
 * The program adds buffers to a registered ring as liburing's io_uring_buf_ring_add does (the
 * entry at local_tail & mask), then publishes the tail with a store-release
 * (io_uring_buf_ring_advance).
 */
static void st_buf_ring_add(struct trace *t, const char *ring, unsigned entries, const struct rs_ring_buf *bufs,
			    int n, const char *what)
{
	if (t->failed)
		return;
	publish_pending(t);
	int slot = bring_slot(ring);
	if (slot < 0) {
		t->failed = 1;
		return;
	}
	unsigned char *r = g_brings[slot];
	for (int i = 0; i < n; i++) {
		int32_t *b = tr_buf(t, bufs[i].buf);
		if (!b)
			return;
		unsigned char *e = r + 16 * ((g_bring_tail[slot] + i) & (entries - 1));
		put64(e, 0, (uint64_t)(uintptr_t)((unsigned char *)b + bufs[i].offset));
		put32(e, 8, bufs[i].len);
		put16(e, 12, bufs[i].bid);
	}
	g_bring_tail[slot] += n;
	__atomic_store_n((uint16_t *)(r + 14), g_bring_tail[slot], __ATOMIC_RELEASE);
	struct jw *w = step_begin(t, "buf_ring_add");
	jw_str(w, "ring", ring);
	jw_int(w, "ring_entries", entries);
	jw_arr_nl(w, "bufs");
	for (int i = 0; i < n; i++) {
		jw_obj(w, NULL);
		jw_str(w, "buf", bufs[i].buf);
		jw_int(w, "size", bufs[i].size);
		jw_int(w, "offset", bufs[i].offset);
		jw_int(w, "len", bufs[i].len);
		jw_int(w, "bid", bufs[i].bid);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_int(w, "tail", g_bring_tail[slot]);
	if (what)
		jw_str(w, "what", what);
	step_end(t, 1);
}

static void sc_pbuf_ring(struct trace *t)
{
	bring_reset();
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	st_register_pbuf(t, 0, "br", 8, 1, 0, 0, "an 8-entry buffer ring for group 1");
	struct rs_ring_buf b[4] = {
		{ "pool", 256, 0, 64, 0 }, { "pool", 256, 64, 64, 1 }, { "pool", 256, 128, 64, 2 },
		{ "pool", 256, 192, 64, 3 },
	};
	st_buf_ring_add(t, "br", 8, b, 2, "buffers 0 and 1, tail 2");
	q(t, sqe_send32(t, "unix_a", "msg", 0x41424344, 1));
	submit_reap(t, 1, 1);
	q(t, sqe_recv_select(t, "unix_b", 1, 0, 0, 2));
	submit_reap(t, 1, 1);
	st_peek(t, "pool", "buffer 0 got the 4 bytes");
	q(t, sqe_net(t, RS_OP_SEND, "unix_a", "big", 100, 100, 0, 3));
	submit_reap(t, 1, 1);
	q(t, sqe_recv_select(t, "unix_b", 1, 0, 0, 4));
	submit_reap(t, 1, 1);
	q(t, sqe_recv_select(t, "unix_b", 1, 0, 0, 5));
	submit_reap(t, 1, 1);
	st_buf_ring_add(t, "br", 8, b + 2, 2, "buffers 2 and 3: the ring has entries again");
	q(t, sqe_recv_select(t, "unix_b", 1, 0, 0, 6));
	submit_reap(t, 1, 1);
	q(t, sqe_provide("pool2", 2, 64, 0, 1, 7));
	submit_reap(t, 1, 1);
	q(t, sqe_remove_bufs(1, 1, 8));
	submit_reap(t, 1, 1);
	st_register_pbuf(t, 0, "br", 8, 1, 0, 0, "group 1 has a ring already");
	st_register_pbuf(t, 0, "br2", 3, 2, 0, 0, "entries not a power of two");
	st_register_pbuf(t, 0, "br2", 8, 2, 0, 64, "ring address not page aligned");
	st_register_pbuf(t, 0, "br2", 65536, 2, 0, 0, "65536 entries");
	st_register_pbuf(t, 1, NULL, 0, 9, 0, 0, "unregister a group that does not exist");
	st_register_pbuf(t, 1, NULL, 0, 1, 0, 0, "unregister group 1");
	q(t, sqe_recv_select(t, "unix_b", 1, 0, 0, 9));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_net_recv_multishot_ring(struct trace *t)
{
	bring_reset();
	if (file_unix_pair(t, SOCK_STREAM, "unix_a", "unix_b") < 0 || !need_ring(t, 8, 0, 0))
		return;
	st_register_pbuf(t, 0, "br", 4, 3, 0, 0, "a 4-entry buffer ring for group 3");
	struct rs_ring_buf b[4] = {
		{ "pool", 128, 0, 32, 0 }, { "pool", 128, 32, 32, 1 }, { "pool", 128, 64, 32, 2 },
		{ "pool", 128, 96, 32, 3 },
	};
	st_buf_ring_add(t, "br", 4, b, 2, "two 32-byte buffers");
	q(t, sqe_recv_select(t, "unix_b", 3, 0, RS_RECV_MULTISHOT, 1));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 10, "one CQE with F_MORE in buffer 0");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	sys_send_bytes(t, "unix_a", 40, "32 bytes into buffer 1, then no entry left: -ENOBUFS ends it");
	st_enter(t, 0, 1, GETEV, -1);
	st_reap(t, -1);
	st_buf_ring_add(t, "br", 4, b + 2, 2, "the program gives buffers 2 and 3 back through the tail");
	q(t, sqe_recv_select(t, "unix_b", 3, 0, RS_RECV_MULTISHOT, 2));
	st_enter(t, 1, 0, 0, -1);
	st_reap(t, -1);
	q(t, sqe_target(RS_OP_ASYNC_CANCEL, 3, 2));
	submit_reap(t, 1, 2);
	st_ring_close(t, NULL);
}

/* ---- ASYNC_CANCEL flags ---- */

#define RS_CANCEL_ALL 0x1u
#define RS_CANCEL_FD 0x2u
#define RS_CANCEL_ANY 0x4u
#define RS_CANCEL_FD_FIXED 0x8u
#define RS_CANCEL_USERDATA 0x10u
#define RS_CANCEL_OP 0x20u

static struct sqe sqe_cancel(uint64_t ud, uint64_t target, uint32_t flags)
{
	struct sqe s = sqe_target(RS_OP_ASYNC_CANCEL, ud, target);
	s.op_flags = flags;
	return s;
}

static struct sqe sqe_cancel_fd(struct trace *t, uint64_t ud, const char *id, uint64_t target, uint32_t flags)
{
	struct sqe s = sqe_cancel(ud, target, flags | RS_CANCEL_FD);
	sqe_file(t, &s, id);
	return s;
}

static void sc_cancel_all(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 16, 0, 0))
		return;
	for (int i = 0; i < 3; i++)
		q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 7));
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 8));
	st_enter(t, 4, 0, 0, -1);
	st_reap(t, -1);
	q(t, sqe_cancel(20, 7, RS_CANCEL_ALL));
	submit_reap(t, 1, 4);
	q(t, sqe_cancel(21, 7, RS_CANCEL_ALL));
	submit_reap(t, 1, 1);
	q(t, sqe_cancel(22, 8, 0));
	submit_reap(t, 1, 2);
	q(t, sqe_cancel(23, 8, 0));
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_cancel_any(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 16, 0, 0))
		return;
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 1));
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 2));
	q(t, sqe_poll(t, "pipe_r", RS_POLLIN, 0, 3));
	q(t, sqe_timeout(4, 10, 0, 0, 0));
	st_enter(t, 4, 0, 0, -1);
	st_reap(t, -1);
	q(t, sqe_cancel(9, 0, RS_CANCEL_ANY));
	submit_reap(t, 1, 5);
	q(t, sqe_cancel(10, 0, RS_CANCEL_ANY));
	submit_reap(t, 1, 1);
	struct sqe s = sqe_cancel_fd(t, 11, "pipe_r", 0, RS_CANCEL_ANY);
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_cancel(12, 0, RS_CANCEL_ANY | RS_CANCEL_OP);
	s.len = RS_OP_READ;
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_cancel_fd(struct trace *t)
{
	if (file_pipe(t, "a_r", "a_w") < 0 || file_pipe(t, "b_r", "b_w") < 0 || !need_ring(t, 16, 0, 0))
		return;
	q(t, sqe_rw(t, RS_OP_READ, "a_r", "b", 64, 64, 0, 1));
	q(t, sqe_rw(t, RS_OP_READ, "a_r", "b", 64, 64, 0, 2));
	q(t, sqe_poll(t, "a_r", RS_POLLIN, 0, 3));
	q(t, sqe_rw(t, RS_OP_READ, "b_r", "b", 64, 64, 0, 4));
	q(t, sqe_timeout(5, 10, 0, 0, 0));
	st_enter(t, 5, 0, 0, -1);
	st_reap(t, -1);
	q(t, sqe_cancel_fd(t, 10, "a_r", 0, 0));
	submit_reap(t, 1, 2);
	q(t, sqe_cancel_fd(t, 11, "a_r", 0, RS_CANCEL_ALL));
	submit_reap(t, 1, 3);
	q(t, sqe_cancel_fd(t, 12, "b_r", 99, RS_CANCEL_USERDATA));
	submit_reap(t, 1, 1);
	q(t, sqe_cancel_fd(t, 13, "b_r", 4, RS_CANCEL_USERDATA));
	submit_reap(t, 1, 2);
	q(t, sqe_cancel_fd(t, 14, "a_w", 0, 0));
	submit_reap(t, 1, 1);
	q(t, sqe_cancel_fd(t, 15, "a_w", 0, RS_CANCEL_ALL));
	submit_reap(t, 1, 1);
	struct sqe s = sqe_cancel(16, 0, RS_CANCEL_FD);
	sqe_fd_literal(&s, 9999, "unopened", "no such descriptor");
	q(t, s);
	submit_reap(t, 1, 1);
	q(t, sqe_cancel(17, 5, 0));
	submit_reap(t, 1, 2);
	st_ring_close(t, NULL);
}

static void sc_cancel_fd_fixed(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 16, 0, 0))
		return;
	const char *ids[] = { "pipe_r" };
	st_register_files(t, ids, 1, "table index 0 = the pipe's read end");
	struct sqe s = sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 1);
	s.flags |= IOSQE_FIXED_FILE;
	sqe_fd_literal(&s, 0, "fixed_index", "registered index 0");
	q(t, s);
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 2));
	st_enter(t, 2, 0, 0, -1);
	st_reap(t, -1);
	s = sqe_cancel(10, 0, RS_CANCEL_FD | RS_CANCEL_FD_FIXED | RS_CANCEL_ALL);
	sqe_fd_literal(&s, 0, "fixed_index", "registered index 0: the same file as descriptor pipe_r");
	q(t, s);
	submit_reap(t, 1, 3);
	s = sqe_cancel(11, 0, RS_CANCEL_FD | RS_CANCEL_FD_FIXED);
	sqe_fd_literal(&s, 5, "fixed_index", "index 5: outside the 1-entry table");
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_cancel(12, 0, RS_CANCEL_FD_FIXED);
	q(t, s);
	submit_reap(t, 1, 1);
	st_ring_close(t, NULL);
}

static void sc_cancel_op(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 16, 0, 0))
		return;
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 1));
	q(t, sqe_poll(t, "pipe_r", RS_POLLIN, 0, 2));
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "b", 64, 64, 0, 3));
	q(t, sqe_timeout(4, 10, 0, 0, 0));
	st_enter(t, 4, 0, 0, -1);
	st_reap(t, -1);
	struct sqe s = sqe_cancel(10, 0, RS_CANCEL_OP | RS_CANCEL_ALL);
	s.len = RS_OP_READ;
	q(t, s);
	submit_reap(t, 1, 3);
	s = sqe_cancel(11, 2, RS_CANCEL_OP | RS_CANCEL_USERDATA);
	s.len = RS_OP_READ;
	q(t, s);
	submit_reap(t, 1, 1);
	s = sqe_cancel(12, 2, RS_CANCEL_OP | RS_CANCEL_USERDATA);
	s.len = RS_OP_POLL_ADD;
	q(t, s);
	submit_reap(t, 1, 2);
	s = sqe_cancel(13, 0, RS_CANCEL_OP);
	s.len = RS_OP_TIMEOUT;
	q(t, s);
	submit_reap(t, 1, 2);
	st_ring_close(t, NULL);
}

static void sc_cancel_poll_all(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !need_ring(t, 16, 0, 0))
		return;
	q(t, sqe_poll(t, "pipe_r", RS_POLLIN, RS_POLL_ADD_MULTI, 5));
	q(t, sqe_poll(t, "pipe_r", RS_POLLIN, 0, 5));
	q(t, sqe_timeout(5, 10, 0, 0, 0));
	st_enter(t, 3, 0, 0, -1);
	st_reap(t, -1);
	q(t, sqe_cancel(20, 5, RS_CANCEL_ALL));
	submit_reap(t, 1, 4);
	q(t, sqe_timeout(6, 10, 0, 0, 0));
	q(t, sqe_timeout(6, 10, 0, 0, 0));
	st_enter(t, 2, 0, 0, -1);
	q(t, sqe_cancel(21, 6, 0));
	submit_reap(t, 1, 2);
	q(t, sqe_cancel(22, 6, RS_CANCEL_ALL));
	submit_reap(t, 1, 2);
	st_ring_close(t, NULL);
}

/* ---- SQPOLL ---- */

/* An SQPOLL ring with sq_thread_idle `idle_ms` (and `cpu` with SQ_AFF in `flags`). */
static int need_sqpoll(struct trace *t, unsigned entries, unsigned flags, unsigned cq_req, unsigned idle_ms, unsigned cpu)
{
	g_sq_idle = idle_ms;
	g_sq_cpu = cpu;
	int ok = need_ring(t, entries, IORING_SETUP_SQPOLL | flags, cq_req);
	g_sq_idle = g_sq_cpu = 0;
	return ok;
}

static int probe_sq(struct trace *t, unsigned flags, unsigned idle_ms, unsigned cpu, const char *why)
{
	g_sq_idle = idle_ms;
	g_sq_cpu = cpu;
	int ret = st_setup_probe(t, 4, flags, 0, why);
	g_sq_idle = g_sq_cpu = 0;
	return ret;
}

/* The SQ thread races the recorder between a publish and the next look at the ring. */
static void sq_publish_racy(struct trace *t)
{
	st_publish(t);
	tr_ignore_last(t, "/state", "the SQ thread, awake on another CPU, may consume the SQEs before the recorder looks");
}

/*
 * A new SQ thread starts with its idle deadline at 0, so its first pass finds it passed and it
 * goes to sleep at once (IORING_SQ_NEED_WAKEUP) unless SQEs are already there: the setup
 * step's state races it, a sleep makes it certain, and the first SQEs need a wake-up.
 */
static int sq_start(struct trace *t, unsigned entries, unsigned cq_req, unsigned idle_ms)
{
	if (!need_sqpoll(t, entries, cq_req ? IORING_SETUP_CQSIZE : 0, cq_req, idle_ms, 0))
		return 0;
	tr_ignore_last(t, "/state/sq_flags", "the new SQ thread sets NEED_WAKEUP on another CPU, racing the recorder");
	st_sleep(t, 50, "the new SQ thread's idle deadline (0) has passed: it sleeps at once");
	st_state(t, "IORING_SQ_NEED_WAKEUP set before any SQE");
	return !t->failed;
}

static void sq_wake(struct trace *t, unsigned to_submit)
{
	st_enter(t, to_submit, 0, IORING_ENTER_SQ_WAKEUP, -1);
	tr_ignore_last(t, "/state", "the woken SQ thread races the return of io_uring_enter");
}

static void sc_sqpoll_basic(struct trace *t)
{
	if (!sq_start(t, 4, 0, 1000))
		return;
	q(t, sqe_nop(1));
	sq_wake(t, 1);
	st_sleep(t, 100, "the woken SQ thread consumes the SQE and posts its CQE");
	st_state(t, "SQ head 1, CQ tail 1, NEED_WAKEUP clear: the thread spins for sq_thread_idle (1 s)");
	st_reap(t, -1);
	queue_nops(t, 3, 2);
	sq_publish_racy(t);
	st_sleep(t, 100, "three more with no system call at all: only the SQ tail store");
	st_state(t, "SQ head 4, CQ tail 4");
	st_reap(t, -1);
	q(t, sqe_nop(5));
	sq_publish_racy(t);
	st_sleep(t, 100, "again");
	st_state(t, "SQ head 5, CQ tail 5");
	st_reap(t, -1);
	st_ring_close(t, "the last reference goes: the SQ thread is stopped");
}

static void sc_sqpoll_idle_wakeup(struct trace *t)
{
	if (!sq_start(t, 4, 0, 500))
		return;
	q(t, sqe_nop(1));
	sq_wake(t, 1);
	st_sleep(t, 100, "the SQ thread submits the NOP");
	st_state(t, "CQ tail 1, the thread awake (NEED_WAKEUP clear)");
	st_reap(t, -1);
	st_sleep(t, 1500, "nothing to do for longer than sq_thread_idle (500 ms): the thread goes to sleep");
	st_state(t, "IORING_SQ_NEED_WAKEUP set");
	q(t, sqe_nop(2));
	st_publish(t);
	st_sleep(t, 100, "the sleeping thread does not see the new SQE");
	st_state(t, "SQ head still 1, no CQE");
	sq_wake(t, 1);
	st_sleep(t, 100, "the woken thread submits");
	st_state(t, "SQ head 2, CQ tail 2, NEED_WAKEUP clear again");
	st_reap(t, -1);
	st_sleep(t, 1500, "idle again");
	st_state(t, "NEED_WAKEUP set");
	sq_wake(t, 0);
	st_sleep(t, 100, "woken with nothing to submit, the thread stays awake for sq_thread_idle");
	st_state(t, "NEED_WAKEUP clear");
	st_sleep(t, 1500, "and sleeps again");
	st_state(t, "NEED_WAKEUP set");
	st_ring_close(t, NULL);
}

static void sc_sqpoll_enter(struct trace *t)
{
	if (!sq_start(t, 4, 0, 1000))
		return;
	queue_nops(t, 2, 1);
	st_enter(t, 2, 2, GETEV, 50);
	st_note(t, "ret 2 (to_submit as passed) although the sleeping thread consumed nothing: the wait timed out");
	st_reap(t, -1);
	sq_wake(t, 0);
	st_sleep(t, 100, "the woken thread submits both");
	st_state(t, NULL);
	st_reap(t, -1);
	st_enter(t, 5, 0, 0, -1);
	st_enter(t, 0, 0, 0, -1);
	st_enter(t, 3, 0, IORING_ENTER_SQ_WAIT, -1);
	st_enter(t, 0, 1, GETEV, 20);
	q(t, sqe_nop(3));
	st_publish(t);
	st_enter(t, 1, 1, GETEV, -1);
	tr_ignore_last(t, "/state/sq_flags", "informational");
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_sqpoll_sq_wait(struct trace *t)
{
	if (!sq_start(t, 4, 0, 20))
		return;
	queue_nops(t, 4, 1);
	st_publish(t);
	st_state(t, "the SQ ring is full; the thread sleeps");
	st_enter(t, 0, 0, IORING_ENTER_SQ_WAKEUP | IORING_ENTER_SQ_WAIT, -1);
	tr_ignore_last(t, "/state/sq_flags", "the woken thread clears NEED_WAKEUP on its own CPU");
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_sqpoll_cq_overflow(struct trace *t)
{
	if (!sq_start(t, 2, 0, 1000))
		return;
	sq_wake(t, 0);
	for (int i = 0; i < 3; i++) {
		queue_nops(t, 2, 1 + 2 * i);
		sq_publish_racy(t);
		st_sleep(t, 100, "the SQ thread submits two NOPs; nobody reaps");
		st_state(t, NULL);
	}
	st_reap(t, -1);
	st_state(t, "IORING_SQ_CQ_OVERFLOW still set: nothing flushed the overflow list");
	st_enter(t, 0, 0, 0, -1);
	st_note(t, "an enter without GETEVENTS flushes nothing, SQPOLL or not");
	st_reap(t, -1);
	st_enter(t, 0, 0, GETEV, -1);
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_sqpoll_pipe_read(struct trace *t)
{
	if (file_pipe(t, "pipe_r", "pipe_w") < 0 || !sq_start(t, 4, 0, 500))
		return;
	q(t, sqe_rw(t, RS_OP_READ, "pipe_r", "in", 64, 64, 0, 1));
	sq_wake(t, 1);
	st_sleep(t, 100, "the SQ thread issues the READ: the pipe is empty, poll is armed");
	st_state(t, "SQ head 1, no CQE");
	st_sleep(t, 1500, "the thread goes to sleep (sq_thread_idle 500 ms)");
	st_state(t, "NEED_WAKEUP set");
	sys_write_bytes(t, "pipe_w", 10, "the wake-up queues task_work for the SQ thread, which wakes to run it");
	tr_ignore_last(t, "/state", "the SQ thread runs the task_work on another CPU, racing the return of write()");
	st_sleep(t, 100, "the READ completed by the SQ thread's task_work");
	st_state(t, "CQ tail 1, NEED_WAKEUP clear");
	st_reap(t, -1);
	st_ring_close(t, NULL);
}

static void sc_sqpoll_setup(struct trace *t)
{
	probe_sq(t, IORING_SETUP_SQ_AFF, 0, 0, "SQ_AFF without SQPOLL: -EINVAL");
	probe_sq(t, IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF, 0, 0, "pinned to CPU 0");
	probe_sq(t, IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF, 0, 4096, "CPU 4096 >= nr_cpu_ids: -EINVAL");
	probe_sq(t, IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF, 0, 0xffffffffu, "CPU -1: -EINVAL");
	probe_sq(t, IORING_SETUP_SQPOLL, 0, 4096, "sq_thread_cpu is ignored without SQ_AFF");
	probe_sq(t, IORING_SETUP_SQPOLL, 0xffffffffu, 0, "any sq_thread_idle is accepted");
	probe_sq(t, IORING_SETUP_SQPOLL | IORING_SETUP_TASKRUN_FLAG, 0, 0, "SQPOLL|TASKRUN_FLAG: -EINVAL");
	probe_sq(t, IORING_SETUP_SQPOLL | IORING_SETUP_SINGLE_ISSUER, 0, 0, "SQPOLL|SINGLE_ISSUER: ok");
}

#include "scenarios.h"

static void write_rules(struct sb *b, struct trace *t)
{
	struct jw w;
	jw_init(&w, b, 2);
	jw_obj(&w, NULL);
	jw_str(&w, "path", "/steps/*/elapsed_ms_informational");
	jw_str(&w, "why", "wall-clock time");
	jw_obj_end(&w);
	for (int i = 0; i < t->nrules; i++) {
		struct rule *r = &t->rules[i];
		jw_obj(&w, NULL);
		jw_str(&w, "path", r->path);
		if (r->has_ud)
			jw_u64(&w, "user_data", r->ud);
		if (r->unordered)
			jw_bool(&w, "unordered", 1);
		jw_str(&w, "why", r->why);
		jw_obj_end(&w);
	}
}

static int write_trace(struct trace *t)
{
	struct sb doc = { 0 }, rules = { 0 }, timing = { 0 };
	struct utsname u;
	if (uname(&u) < 0) {
		tr_fail(t, "uname");
		return -1;
	}
	struct jw w;
	jw_init(&w, &doc, 0);
	w.nl[0] = 0;
	jw_obj_nl(&w, NULL);
	jw_str(&w, "format", "kernel-trace");
	jw_int(&w, "format_version", 1);
	jw_str(&w, "name", t->name);
	jw_str(&w, "description", t->desc);
	jw_obj(&w, "kernel");
	jw_str(&w, "sysname", u.sysname);
	jw_str(&w, "release", u.release);
	jw_str(&w, "version", u.version);
	jw_str(&w, "machine", u.machine);
	jw_obj_end(&w);
	emit_files(t);
	/* Splice the separately built arrays in. */
	jw_pre(&w, "files");
	sb_printf(&doc, "[%s%s]", t->files_sb.p ? t->files_sb.p : "", t->files_sb.len ? "\n  " : "");
	jw_pre(&w, "steps");
	sb_printf(&doc, "[%s%s]", t->steps_sb.p ? t->steps_sb.p : "", t->steps_sb.len ? "\n  " : "");
	jw_pre(&w, "cqes");
	sb_printf(&doc, "[%s%s]", t->cqes_sb.p ? t->cqes_sb.p : "", t->cqes_sb.len ? "\n  " : "");
	write_rules(&rules, t);
	jw_pre(&w, "compare_ignore");
	sb_printf(&doc, "[%s\n  ]", rules.p);
	struct jw wt;
	jw_init(&wt, &timing, 2);
	jw_str(&wt, NULL, "every elapsed_ms_informational value");
	for (int i = 0; i < t->ntiming; i++)
		jw_str(&wt, NULL, t->timing[i]);
	jw_pre(&w, "timing_dependent");
	sb_printf(&doc, "[%s\n  ]", timing.p);
	jw_bool(&w, "skipped", t->skipped);
	jw_obj_end(&w);
	sb_puts(&doc, "\n");

	char path[4096];
	snprintf(path, sizeof(path), "%s/%s.json", t->outdir, t->name);
	int rc = 0;
	FILE *f = fopen(path, "w");
	if (!f) {
		tr_fail(t, "open %s", path);
		rc = -1;
	} else {
		if (fwrite(doc.p, 1, doc.len, f) != doc.len) {
			tr_fail(t, "write %s", path);
			rc = -1;
		}
		if (fclose(f) != 0) {
			tr_fail(t, "close %s", path);
			rc = -1;
		}
	}
	sb_free(&doc);
	sb_free(&rules);
	sb_free(&timing);
	return rc;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Returns 0 recorded, 1 error, EXIT_UNAVAILABLE when io_uring is unavailable. */
static int run_scenario(const struct scenario *sc, const char *outdir)
{
	struct trace *t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "recorder: out of memory\n");
		return 1;
	}
	t->name = sc->name;
	t->desc = sc->desc;
	t->outdir = outdir;
	jw_init(&t->js, &t->steps_sb, 2);
	jw_init(&t->jc, &t->cqes_sb, 2);
	/* A wait that never ends is interrupted (-EINTR) instead of hanging. */
	alarm(20);
	clock_mark(sc->name, "begin");
	sc->fn(t);
	if (t->ring_open && !t->failed) {
		fprintf(stderr, "recorder: %s: scenario left its ring open\n", sc->name);
		t->failed = 1;
	}
	alarm(0);
	ring_unmap(t);
	close_files(t);
	clock_mark(sc->name, "end");
	clock_flush();
	int rc = 0;
	if (t->unavailable) {
		printf("io_uring unavailable: io_uring_setup failed with ENOSYS or EPERM; %s not recorded\n", sc->name);
		rc = EXIT_UNAVAILABLE;
	} else if (t->failed || write_trace(t) < 0) {
		fprintf(stderr, "recorder: %s: not recorded\n", sc->name);
		rc = 1;
	} else {
		printf("recorded %s (%d steps)%s\n", sc->name, t->nsteps, t->skipped ? " [skipped]" : "");
	}
	sb_free(&t->files_sb);
	sb_free(&t->steps_sb);
	sb_free(&t->cqes_sb);
	free(t);
	return rc;
}

/* Finds the kernel's last opcode for the informational "op" names. */
static int probe_kernel(void)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	int fd = sys_io_uring_setup(4, &p);
	if (fd < 0) {
		if (errno == ENOSYS || errno == EPERM) {
			printf("io_uring unavailable on this kernel: io_uring_setup failed with %s\n", errname(errno));
			return EXIT_UNAVAILABLE;
		}
		perror("recorder: io_uring_setup");
		return 1;
	}
	size_t sz = sizeof(struct io_uring_probe) + 256 * sizeof(struct io_uring_probe_op);
	struct io_uring_probe *pr = calloc(1, sz);
	if (pr && sys_io_uring_register(fd, IORING_REGISTER_PROBE, pr, 256) == 0)
		g_last_op = pr->last_op;
	free(pr);
	if (close(fd) < 0) {
		perror("recorder: close");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s OUTDIR [scenario-name ...]\n       %s --list\n", argv[0], argv[0]);
		return 1;
	}
	if (!strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < ARRAY_SIZE(scenarios); i++)
			printf("%s\n", scenarios[i].name);
		return 0;
	}
	const char *outdir = argv[1];
	struct stat st;
	if (stat(outdir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "recorder: %s is not a directory\n", outdir);
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		size_t j;
		for (j = 0; j < ARRAY_SIZE(scenarios); j++)
			if (!strcmp(argv[i], scenarios[j].name))
				break;
		if (j == ARRAY_SIZE(scenarios)) {
			fprintf(stderr, "recorder: unknown scenario %s\n", argv[i]);
			return 1;
		}
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	if (sigaction(SIGALRM, &sa, NULL) < 0) {
		perror("recorder: sigaction");
		return 1;
	}
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		perror("recorder: signal");
		return 1;
	}
	g_clock_path = getenv("RINGSIDE_STEP_CLOCK");
	if (g_clock_path && !*g_clock_path)
		g_clock_path = NULL;
	if (g_clock_path) {
		FILE *f = fopen(g_clock_path, "a");
		if (!f || fprintf(f, "pid %d\n", (int)getpid()) < 0 || fclose(f) != 0) {
			perror("recorder: RINGSIDE_STEP_CLOCK");
			return 1;
		}
	}
	int rc = probe_kernel();
	if (rc)
		return rc;
	int errors = 0, unavailable = 0;
	for (size_t j = 0; j < ARRAY_SIZE(scenarios); j++) {
		int wanted = argc == 2;
		for (int i = 2; i < argc; i++)
			if (!strcmp(argv[i], scenarios[j].name))
				wanted = 1;
		if (!wanted)
			continue;
		rc = run_scenario(&scenarios[j], outdir);
		if (rc == EXIT_UNAVAILABLE)
			unavailable++;
		else if (rc)
			errors++;
	}
	if (errors)
		return 1;
	if (unavailable)
		return EXIT_UNAVAILABLE;
	return 0;
}

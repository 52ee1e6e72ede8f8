/*
 * io_uring constants that the installed <linux/io_uring.h> may lack.
 *
 * The uapi header on the build machine can be older than the running
 * kernel (Debian 12 ships 6.1 headers while the kernel is 6.18), so every
 * constant newer than 6.1 is defined here behind #ifndef. Values follow
 * include/uapi/linux/io_uring.h of current kernels (see
 * docs/kernel-notes.md §1).
 */
#ifndef RINGSIDE_UAPI_COMPAT_H
#define RINGSIDE_UAPI_COMPAT_H

#include <linux/io_uring.h>

/* Setup flags newer than 6.1. */
#ifndef IORING_SETUP_NO_MMAP
#define IORING_SETUP_NO_MMAP (1U << 14)
#endif
#ifndef IORING_SETUP_REGISTERED_FD_ONLY
#define IORING_SETUP_REGISTERED_FD_ONLY (1U << 15)
#endif
#ifndef IORING_SETUP_NO_SQARRAY
#define IORING_SETUP_NO_SQARRAY (1U << 16)
#endif
#ifndef IORING_SETUP_HYBRID_IOPOLL
#define IORING_SETUP_HYBRID_IOPOLL (1U << 17)
#endif
#ifndef IORING_SETUP_CQE_MIXED
#define IORING_SETUP_CQE_MIXED (1U << 18)
#endif
#ifndef IORING_SETUP_SQE_MIXED
#define IORING_SETUP_SQE_MIXED (1U << 19)
#endif
#ifndef IORING_SETUP_SQ_REWIND
#define IORING_SETUP_SQ_REWIND (1U << 20)
#endif

/* Feature bits newer than 6.1. */
#ifndef IORING_FEAT_REG_REG_RING
#define IORING_FEAT_REG_REG_RING (1U << 13)
#endif
#ifndef IORING_FEAT_RECVSEND_BUNDLE
#define IORING_FEAT_RECVSEND_BUNDLE (1U << 14)
#endif
#ifndef IORING_FEAT_MIN_TIMEOUT
#define IORING_FEAT_MIN_TIMEOUT (1U << 15)
#endif
#ifndef IORING_FEAT_RW_ATTR
#define IORING_FEAT_RW_ATTR (1U << 16)
#endif
#ifndef IORING_FEAT_NO_IOWAIT
#define IORING_FEAT_NO_IOWAIT (1U << 17)
#endif

/* Enter flags newer than 6.1. */
#ifndef IORING_ENTER_ABS_TIMER
#define IORING_ENTER_ABS_TIMER (1U << 5)
#endif
#ifndef IORING_ENTER_EXT_ARG_REG
#define IORING_ENTER_EXT_ARG_REG (1U << 6)
#endif
#ifndef IORING_ENTER_NO_IOWAIT
#define IORING_ENTER_NO_IOWAIT (1U << 7)
#endif

/* CQE flags newer than 6.1. */
#ifndef IORING_CQE_F_BUF_MORE
#define IORING_CQE_F_BUF_MORE (1U << 4)
#endif
#ifndef IORING_CQE_F_SKIP
#define IORING_CQE_F_SKIP (1U << 5)
#endif
#ifndef IORING_CQE_F_32
#define IORING_CQE_F_32 (1U << 15)
#endif

/* sqe->nop_flags (sqe offset 28); 6.1 has no nop_flags at all. */
#ifndef IORING_NOP_INJECT_RESULT
#define IORING_NOP_INJECT_RESULT (1U << 0)
#endif
#ifndef IORING_NOP_FILE
#define IORING_NOP_FILE (1U << 1)
#endif
#ifndef IORING_NOP_FIXED_FILE
#define IORING_NOP_FIXED_FILE (1U << 2)
#endif
#ifndef IORING_NOP_FIXED_BUFFER
#define IORING_NOP_FIXED_BUFFER (1U << 3)
#endif
#ifndef IORING_NOP_TW
#define IORING_NOP_TW (1U << 4)
#endif
#ifndef IORING_NOP_CQE32
#define IORING_NOP_CQE32 (1U << 5)
#endif

/* sqe->uring_cmd_flags. */
#ifndef IORING_URING_CMD_MULTISHOT
#define IORING_URING_CMD_MULTISHOT (1U << 1)
#endif

/* enum io_uring_socket_op (a plain enum upstream, so no #ifndef is possible). */
#define RS_SOCKET_URING_OP_SIOCINQ 0
#define RS_SOCKET_URING_OP_SIOCOUTQ 1
#define RS_SOCKET_URING_OP_GETSOCKOPT 2
#define RS_SOCKET_URING_OP_SETSOCKOPT 3

/* Opcodes used by the scenarios (enum io_uring_op values). */
#define RS_OP_NOP 0
#define RS_OP_URING_CMD 46
#define RS_OP_TIMEOUT 11
#define RS_OP_TIMEOUT_REMOVE 12
#define RS_OP_ASYNC_CANCEL 14
#define RS_OP_LINK_TIMEOUT 15
#define RS_OP_POLL_ADD 6
#define RS_OP_POLL_REMOVE 7
#define RS_OP_READ 22
#define RS_OP_WRITE 23
#define RS_OP_READV 1
#define RS_OP_WRITEV 2
#define RS_OP_READ_FIXED 4
#define RS_OP_WRITE_FIXED 5
#define RS_REGISTER_BUFFERS 0
#define RS_UNREGISTER_BUFFERS 1
#define RS_REGISTER_ENABLE_RINGS 12

#define RS_RWF_NOWAIT 0x8
#define RS_TIMEOUT_ABS 0x1

/*
 * struct io_uring_getevents_arg as current kernels define it: 6.1 calls the
 * third word "pad", newer kernels "min_wait_usec". Same 24-byte layout.
 */
struct rs_getevents_arg {
	__u64 sigmask;
	__u32 sigmask_sz;
	__u32 min_wait_usec;
	__u64 ts;
};

#endif /* RINGSIDE_UAPI_COMPAT_H */

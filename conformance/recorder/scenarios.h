/*
 * Scenario table: name, function, description. The description says what
 * the scenario does and what the kernel (6.18) answered when the committed
 * traces were recorded; surprises are called out. Included by recorder.c.
 */
static const struct scenario scenarios[] = {
	/* setup */
	{ "setup_basic", sc_setup_basic,
	  "io_uring_setup(4) with no flags, rings mapped, closed again. Kernel: sq_entries 4, cq_entries 8, "
	  "features 0x3ffff (all 18 IORING_FEAT_* bits), every ring word 0." },
	{ "setup_entries_round", sc_setup_entries_round,
	  "entries is rounded up to a power of two: 5 -> sq 8 / cq 16 (a mapped ring), and as probes 1 -> 1/2, "
	  "3 -> 4/8, 4097 -> 8192/16384, 32768 -> 32768/65536." },
	{ "setup_entries_zero", sc_setup_entries_zero,
	  "entries == 0 is -EINVAL, with or without IORING_SETUP_CLAMP." },
	{ "setup_entries_clamp", sc_setup_entries_clamp,
	  "entries 40000 without CLAMP is -EINVAL; with CLAMP it succeeds with sq 32768 / cq 65536; "
	  "32769 without CLAMP is -EINVAL." },
	{ "setup_cqsize", sc_setup_cqsize,
	  "IORING_SETUP_CQSIZE: sq 4 with cq_entries 100 maps a ring with cq_entries 128 (rounded up); "
	  "cq 4 (== sq) gives 4; cq 5 gives 8." },
	{ "setup_cqsize_invalid", sc_setup_cqsize_invalid,
	  "CQSIZE errors: cq 4 < sq 8 is -EINVAL, cq 0 is -EINVAL, cq 100000 is -EINVAL without CLAMP and "
	  "clamped to 65536 with it; cq < sq stays -EINVAL even with CLAMP." },
	{ "setup_invalid_flags", sc_setup_invalid_flags,
	  "Flag combinations: TASKRUN_FLAG alone -EINVAL (with COOP_TASKRUN: ok); DEFER_TASKRUN alone -EINVAL "
	  "(with SINGLE_ISSUER: ok); CQE32|CQE_MIXED, SQE128|SQE_MIXED, HYBRID_IOPOLL without IOPOLL, "
	  "REGISTERED_FD_ONLY without NO_MMAP and SQPOLL|COOP_TASKRUN are all -EINVAL." },
	{ "setup_unknown_flag", sc_setup_unknown_flag,
	  "Setup flag bits 31 and 25 (not defined) are -EINVAL." },
	{ "setup_sqe128", sc_setup_sqe128,
	  "IORING_SETUP_SQE128: 128-byte SQE slots. Two NOPs, the second with bytes 64..127 filled with a "
	  "pattern (sqe128_upper_hex); both complete with res 0 (a NOP ignores the command area)." },
	{ "setup_cqe32", sc_setup_cqe32,
	  "IORING_SETUP_CQE32 ring set up (sq 4, cq 8) and closed; see nop_cqe32 for its CQEs." },
	{ "setup_no_sqarray", sc_setup_no_sqarray,
	  "IORING_SETUP_NO_SQARRAY: no SQ index array, the kernel takes SQE slot = SQ head & mask. Two rounds "
	  "of 3 NOPs (the second wraps the 4-slot SQ) all complete with res 0 in order." },
	{ "cqe_mixed_wrap", sc_cqe_mixed_wrap,
	  "IORING_SETUP_CQE_MIXED (cq 8): a NOP with IORING_NOP_CQE32 posts a 32-byte CQE (flags F_32, "
	  "big_cqe [0,0]) that takes two CQ slots (cq_tail +2). When only one slot is left before the wrap "
	  "(tail 7 of 8), the kernel first posts a filler CQE (user_data 0, res 0, flags SKIP = 0x20) in "
	  "slot 7, then the 32-byte CQE in slots 0-1: cq_tail goes 7 -> 10." },

	/* NOP batches */
	{ "nop_two", sc_nop_two,
	  "Two NOPs published and submitted with one io_uring_enter(2, 2, GETEVENTS): ret 2, CQEs 16 and 17 "
	  "with res 0 in submission order." },
	{ "nop_user_data_u64", sc_nop_user_data_u64,
	  "user_data is echoed unchanged for 0, 2^53-1, 2^53 and 2^64-1 (the last two written as decimal "
	  "strings in the trace)." },
	{ "nop_wrap_4", sc_nop_wrap_4,
	  "8 NOPs on a 4-entry ring in rounds of 3, 3 and 2 (publish, enter with wait, reap): the SQ tail "
	  "runs 0 -> 8 (two laps, slots wrap through sq_mask 3), the CQ tail 0 -> 8 (one lap of 8); "
	  "all res 0 in order." },
	{ "nop_wrap_many", sc_nop_wrap_many,
	  "30 NOPs on a 4-entry ring in 10 rounds of 3: free-running u32 SQ and CQ counters reach 30, slots "
	  "wrap 7 times in the SQ and 3 times in the CQ; all res 0 in order." },
	{ "nop_sq_full", sc_nop_sq_full,
	  "Userspace SQ-full check: after 4 SQEs are written on a 4-entry ring, a 5th get_sqe is refused "
	  "(local tail - sq_head >= 4) without calling the kernel; after enter consumes the 4, the 5th fits." },
	{ "nop_to_submit_excess", sc_nop_to_submit_excess,
	  "enter(to_submit 4) with an empty SQ returns 0. With 2 SQEs published, enter(to_submit 8, "
	  "min_complete 2, GETEVENTS) submits the 2 available and returns 2." },
	{ "nop_getevents_pending", sc_nop_getevents_pending,
	  "GETEVENTS counts every unreaped CQE: with 3 CQEs pending, enter(0, min 2) and enter(0, min 3) "
	  "return 0 at once. enter(0, min 5, timeout 20 ms) waits out the timeout and returns 0, not -ETIME, "
	  "because the CQ is not empty. With an empty CQ, enter(0, min 1, timeout 10 ms) returns -ETIME." },
	{ "nop_inject_result", sc_nop_inject_result,
	  "IORING_NOP_INJECT_RESULT: res = (s32)len: len -5 -> res -5, 1234 -> 1234, 0 -> 0, "
	  "0x80000000 -> -2147483648." },
	{ "nop_bad_flag", sc_nop_bad_flag,
	  "A NOP with nop_flags bit 31 fails prep with -EINVAL and stops the batch: enter(2) returns 1, the "
	  "following NOP stays in the SQ (sq_head 1) and is submitted by the next enter. Bit 6 (the first "
	  "undefined nop flag) is -EINVAL too." },
	{ "nop_file_bad_fd", sc_nop_file_bad_fd,
	  "IORING_NOP_FILE with fd 9999 (not open) -> -EBADF; with INJECT_RESULT len 77 as well -> still "
	  "-EBADF (the file error wins, not the injected result); NOP_FILE with fd -1 -> -EBADF." },
	{ "nop_file_valid_fd", sc_nop_file_valid_fd,
	  "IORING_NOP_FILE on /dev/null and on a pipe -> 0; NOP_FILE|INJECT_RESULT len 77 on /dev/null -> 77; "
	  "a plain NOP with an fd but no NOP_FILE -> 0." },
	{ "nop_fixed_file", sc_nop_fixed_file,
	  "REGISTER_FILES [/dev/null], then NOP_FILE|NOP_FIXED_FILE with index 0 -> 0 and index 3 -> -EBADF; "
	  "IOSQE_FIXED_FILE with NOP_FILE and index 0 -> 0." },
	{ "coop_taskrun_nop_tw", sc_coop_taskrun_nop_tw,
	  "COOP_TASKRUN|TASKRUN_FLAG ring, NOPs with IORING_NOP_TW (completed through task_work queued "
	  "with TWA_SIGNAL_NO_IPI): io_uring_enter(to_submit, no GETEVENTS) returns with the CQEs already "
	  "posted and IORING_SQ_TASKRUN clear: the task ran its task_work on the way out of the syscall "
	  "(tracepoints: task_add then task_work_run, both in the task)." },
	{ "nop_flag_bits", sc_nop_flag_bits,
	  "Other nop flags, one per enter: NOP_TW -> 0; NOP_CQE32 on a ring without CQE32/CQE_MIXED -> -EINVAL; "
	  "NOP_FIXED_BUFFER with no registered buffers -> -EFAULT; NOP_FIXED_FILE without NOP_FILE -> 0 "
	  "(ignored)." },
	{ "nop_cqe32", sc_nop_cqe32,
	  "On an IORING_SETUP_CQE32 ring every CQE has big_cqe, zeros for NOPs: plain NOP (res 0), "
	  "INJECT_RESULT 42 (res 42), and NOP_CQE32 (res 0, flags 0: no F_32 on a CQE32 ring)." },

	/* errors */
	{ "err_invalid_opcode", sc_err_invalid_opcode,
	  "Opcode 255 then a NOP, enter(2): the invalid SQE gets a CQE with -EINVAL and stops the batch, "
	  "enter returns 1 (the failed SQE counts), sq_head 1; the NOP is submitted by the next enter." },
	{ "err_invalid_sqe_flag", sc_err_invalid_sqe_flag,
	  "sqe->flags bit 7 (not an IOSQE_* flag) -> CQE -EINVAL; enter returns 1." },
	{ "err_batch_stop", sc_err_batch_stop,
	  "NOP, opcode 255, NOP, NOP with enter(4): returns 2 (the NOP and the failed SQE), CQEs 1:0 and "
	  "2:-EINVAL, sq_head 2; the remaining two NOPs are submitted by a second enter." },
	{ "err_batch_submit_all", sc_err_batch_submit_all,
	  "Same batch on an IORING_SETUP_SUBMIT_ALL ring, with the last NOP carrying an invalid sqe flag: "
	  "enter(4) returns 4 and every SQE gets a CQE (0, -EINVAL, 0, -EINVAL)." },
	{ "err_bad_sq_index", sc_err_bad_sq_index,
	  "SQ index array entries pointing outside the SQE array. Slot 1 = 99 as the second of two: enter(2) "
	  "returns 1, sq_dropped 1, no CQE for it, sq_head 2. Slot 2 = 1000 as the first of two: enter(2) "
	  "returns 0, sq_dropped 2, sq_head 3 (the bad entry is consumed, submission stops); enter(1) then "
	  "submits the remaining NOP." },
	{ "err_enter_bad_flag", sc_err_enter_bad_flag,
	  "io_uring_enter with flag bit 31 or bit 8 (unknown) -> -EINVAL; with a published NOP and bit 31 the "
	  "NOP is not consumed (sq_head stays 0) and a correct enter submits it." },
	{ "err_enter_not_ring", sc_err_enter_not_ring,
	  "enter_raw on a regular file -> -EOPNOTSUPP, on a pipe -> -EOPNOTSUPP, on unopened fd 9999 -> "
	  "-EBADF, on -1 -> -EBADF; on the ring itself -> 0." },
	{ "enter_ext_arg", sc_enter_ext_arg,
	  "IORING_ENTER_EXT_ARG: GETEVENTS with a 24-byte io_uring_getevents_arg (ts NULL) -> 0; argsz 16 "
	  "with GETEVENTS -> -EINVAL but without GETEVENTS -> 0 (the arg is only parsed for waits); NULL arg "
	  "with EXT_ARG and GETEVENTS -> -EFAULT; argsz 24 with a NULL arg and no EXT_ARG -> 0. A NOP waited "
	  "for with a 1000 ms timeout returns 1 at once." },

	/* CQ overflow */
	{ "cq_overflow_nodrop", sc_cq_overflow_nodrop,
	  "4-entry ring (cq 8): 12 NOPs in 3 enters without reaping. cq_tail stops at 8, the last 4 CQEs go "
	  "to the overflow list (fdinfo shows them), IORING_SQ_CQ_OVERFLOW (2) is set in sq_flags and "
	  "cq_overflow stays 0 (NODROP: nothing dropped). After reaping 8, the flag is still set until an "
	  "enter(0, min 1, GETEVENTS) flushes the list: cq_tail 12, flag cleared, CQEs 8..11 in order." },
	{ "cq_overflow_order", sc_cq_overflow_order,
	  "With 4 CQEs in the overflow list and the CQ ring reaped empty, 2 more NOPs submitted without "
	  "GETEVENTS do not reach the ring (cq_tail stays 8: new CQEs queue behind the overflow list). A "
	  "GETEVENTS enter flushes all 6 and user_data order 8..13 is preserved." },
	{ "cq_overflow_partial_reap", sc_cq_overflow_partial_reap,
	  "Overflow flush moves only as many CQEs as fit: with 4 in overflow and 2 ring slots freed, a "
	  "GETEVENTS enter moves 2 (cq_tail 10, CQ_OVERFLOW still set); after reaping, a second one moves "
	  "the last 2 and clears the flag." },

	/* links */
	{ "link_chain_ok", sc_link_chain_ok,
	  "IOSQE_IO_LINK chain of 3 NOPs: all res 0, CQEs in chain order." },
	{ "link_head_prep_fail", sc_link_head_prep_fail,
	  "Link head is a NOP with an invalid nop flag (prep fails), followed by two linked NOPs: enter(3) "
	  "returns 3 (a failing SQE that carries IO_LINK does not stop the batch), CQEs 1:-EINVAL, "
	  "2:-ECANCELED, 3:-ECANCELED." },
	{ "link_head_invalid_opcode", sc_link_head_invalid_opcode,
	  "Link head with opcode 255: same as a prep failure, enter(3) returns 3, CQEs -EINVAL, -ECANCELED, "
	  "-ECANCELED." },
	{ "link_mid_prep_fail", sc_link_mid_prep_fail,
	  "Chain NOP(LINK) -> NOP with invalid nop flag (LINK) -> NOP, then an unlinked NOP 4: enter(4) "
	  "returns 4. The already-valid head is cancelled: CQE order is 1:-ECANCELED, 4:0, 2:-EINVAL, "
	  "3:-ECANCELED (the failed chain is completed after the independent NOP)." },
	{ "link_inject_fail", sc_link_inject_fail,
	  "Soft link NOP -> NOP(INJECT_RESULT -5) -> NOP -> NOP: a negative injected result breaks the chain: "
	  "CQEs 0, -5, -ECANCELED, -ECANCELED." },
	{ "link_hardlink_inject_fail", sc_link_hardlink_inject_fail,
	  "Same chain with IOSQE_IO_HARDLINK: the -5 does not break a hard link, CQEs 0, -5, 0, 0." },
	{ "link_hardlink_prep_fail", sc_link_hardlink_prep_fail,
	  "Hard link NOP -> NOP with invalid nop flag -> NOP: a prep (submission-time) failure cancels the "
	  "whole hard-linked chain, including the valid head: CQEs -ECANCELED, -EINVAL, -ECANCELED." },
	{ "link_across_enter", sc_link_across_enter,
	  "A NOP(INJECT -5) with IO_LINK as the last SQE of a batch: the open chain ends with the batch, it "
	  "completes alone (-5), and the NOP of the next enter is not linked to it (res 0)." },

	/* drain, skip-success, async */
	{ "drain_nops", sc_drain_nops,
	  "NOP, NOP, NOP(IO_DRAIN), NOP in one batch: all res 0, CQEs in order 1..4." },
	{ "skip_success", sc_skip_success,
	  "IOSQE_CQE_SKIP_SUCCESS: a successful NOP posts no CQE, INJECT -5 posts its failure CQE, INJECT 7 "
	  "(positive = success) posts nothing; a plain NOP posts as usual. enter(4) returns 4, 2 CQEs." },
	{ "skip_success_link", sc_skip_success_link,
	  "SKIP_SUCCESS in links. Chain of three SKIP_SUCCESS NOPs where the second injects -5: only "
	  "2:-5 is posted; the cancelled third posts no -ECANCELED CQE, not even later. Chain NOP(INJECT -5, "
	  "LINK) -> NOP(SKIP_SUCCESS): the cancelled member does post -ECANCELED." },
	{ "drain_after_skip", sc_drain_after_skip,
	  "Once a CQE_SKIP_SUCCESS request was submitted, IOSQE_IO_DRAIN is refused for the life of the ring: "
	  "the DRAIN NOP gets -EOPNOTSUPP and stops its batch (enter(2) returns 1); a later DRAIN NOP is "
	  "refused again." },
	{ "nop_async", sc_nop_async,
	  "Three IOSQE_ASYNC NOPs go through io-wq; enter(3, min 3) returns 3 and all complete with res 0. "
	  "Their order depends on the workers, so the reap is compared unordered." },
	{ "tw_async_default", sc_tw_async_default,
	  "One IOSQE_ASYNC NOP on a default ring, submitted without waiting; the task sleeps 20 ms, looks at "
	  "the ring, then waits for the CQE. The io-wq worker posts the CQE itself (io_uring:complete from "
	  "iou-wrk), before the task asks." },
	{ "tw_async_coop", sc_tw_async_coop,
	  "The same on a COOP_TASKRUN|TASKRUN_FLAG ring: the worker still posts the CQE itself; the task "
	  "runs the completion's task_work on its way out of its next system call." },
	{ "tw_async_defer", sc_tw_async_defer,
	  "The same on a SINGLE_ISSUER|DEFER_TASKRUN ring: the completion waits on the ring's local work "
	  "list, so the CQ stays empty through the sleep, and the wait runs it (io_uring:local_work_run)." },

	/* uring_cmd on files */
	{ "uring_cmd_regular_file", sc_uring_cmd_regular_file,
	  "IORING_OP_URING_CMD (cmd_op 0 and 0x1234) on an unlinked regular file (ext4, no ->uring_cmd): "
	  "-EOPNOTSUPP." },
	{ "uring_cmd_pipe", sc_uring_cmd_pipe,
	  "URING_CMD on a pipe read end: -EOPNOTSUPP." },
	{ "uring_cmd_dev_null", sc_uring_cmd_dev_null,
	  "URING_CMD on /dev/null: res 0 for cmd_op 0 and 0x1234. Surprise: /dev/null has a ->uring_cmd "
	  "hook that accepts every command (it is not a file without a hook)." },
	{ "uring_cmd_eventfd", sc_uring_cmd_eventfd,
	  "URING_CMD on an eventfd: -EOPNOTSUPP." },
	{ "uring_cmd_ioprio", sc_uring_cmd_ioprio,
	  "URING_CMD with ioprio 1 on /dev/null: -EINVAL at init (URING_CMD takes no ioprio), although "
	  "/dev/null would accept the command." },
	{ "uring_cmd_pad1", sc_uring_cmd_pad1,
	  "URING_CMD with __pad1 = 1 on /dev/null: -EINVAL from prep." },
	{ "uring_cmd_bad_flags", sc_uring_cmd_bad_flags,
	  "uring_cmd_flags on /dev/null: bit 7 (unknown) -> -EINVAL; MULTISHOT without IOSQE_BUFFER_SELECT "
	  "-> -EINVAL; FIXED with no registered buffers -> 0 (prep accepts it; /dev/null never imports the "
	  "buffer)." },
	{ "uring_cmd_bad_fd", sc_uring_cmd_bad_fd,
	  "URING_CMD on fd 9999 (not open): -EBADF." },

	{ "iopoll_uring_cmd", sc_iopoll_uring_cmd,
	  "IORING_SETUP_IOPOLL ring: URING_CMD on /dev/null and SIOCINQ on a TCP socket are -EOPNOTSUPP "
	  "(both files have ->uring_cmd but no ->uring_cmd_iopoll); NOP completes (res 0); "
	  "io_uring_enter(0, 1, GETEVENTS) with nothing in flight returns 0 at once: io_iopoll_check "
	  "stops when the iopoll list is empty instead of sleeping." },

	/* sockets */
	{ "sock_siocinq_unix", sc_sock_siocinq_unix,
	  "SOCKET_URING_OP_SIOCINQ on an AF_UNIX stream socket: -EOPNOTSUPP before and after 100 bytes "
	  "arrive, while a plain ioctl(SIOCINQ) reports 100. Surprise: unix sockets' protocol has no ioctl "
	  "hook for the socket uring_cmd, so SIOCINQ/SIOCOUTQ are refused." },
	{ "sock_siocoutq_unix", sc_sock_siocoutq_unix,
	  "SOCKET_URING_OP_SIOCOUTQ on an AF_UNIX stream socket: -EOPNOTSUPP before and after a 100-byte "
	  "write; plain ioctl(SIOCOUTQ) after the peer read everything: 0." },
	{ "sock_siocinq_tcp", sc_sock_siocinq_tcp,
	  "SIOCINQ uring_cmd on a TCP server socket: 0, then 100 after the client sent 100 bytes (settled), "
	  "then 60 after reading 40." },
	{ "sock_siocoutq_tcp", sc_sock_siocoutq_tcp,
	  "SIOCOUTQ uring_cmd on a TCP client: 0 before sending; 0 after sending 100 bytes once the loopback "
	  "peer has acknowledged them (settle); 0 on the server." },
	{ "sock_tcp_listener_ioctl", sc_sock_tcp_listener,
	  "On a listening TCP socket SIOCINQ and SIOCOUTQ uring_cmds are -EINVAL; GETSOCKOPT SO_ACCEPTCONN "
	  "returns res 4 (optlen) and writes 1." },
	{ "sock_siocinq_udp", sc_sock_siocinq_udp,
	  "SIOCINQ uring_cmd on a UDP socket: 0, then 50 after a 50-byte datagram; after a second 30-byte "
	  "datagram it is still 50 (the size of the first datagram, not the queue). SIOCOUTQ on the sender "
	  "after delivery: 0." },
	{ "sock_getsockopt_so_type", sc_sock_getsockopt_so_type,
	  "SOCKET_URING_OP_GETSOCKOPT SOL_SOCKET/SO_TYPE: res 4 (the optlen) and the int32 optval becomes 1 on "
	  "TCP, 2 on UDP, and 1 on an AF_UNIX stream socket. Surprise: GETSOCKOPT works on unix sockets "
	  "although their SIOCINQ/SIOCOUTQ uring_cmds are -EOPNOTSUPP." },
	{ "sock_getsockopt_bad_level", sc_sock_getsockopt_bad_level,
	  "GETSOCKOPT with level IPPROTO_TCP (not SOL_SOCKET): -EOPNOTSUPP, optval left at -1." },
	{ "sock_unknown_cmd_op", sc_sock_unknown_cmd_op,
	  "Socket uring_cmd with cmd_op 99 on TCP and UDP sockets: -EOPNOTSUPP." },
	{ "sock_setsockopt", sc_sock_setsockopt,
	  "SOCKET_URING_OP_SETSOCKOPT SOL_SOCKET/SO_KEEPALIVE = 1 on a TCP client: res 0, getsockopt then "
	  "reads 1 (0 before). SETSOCKOPT at level IPPROTO_TCP (TCP_NODELAY = 1) is accepted too (res 0), "
	  "unlike GETSOCKOPT." },

	/* probe */
	{ "register_probe", sc_register_probe,
	  "IORING_REGISTER_PROBE with room for 256 ops: ret 0; the op list is informational (last_op 62 = "
	  "IORING_OP_PIPE on 6.18)." },
	/* read / write */
	{ "rw_regular_file", sc_rw_regular_file, "READ/WRITE on a regular file: offsets, -1 (the file position), a short read, end of file, offset -2, a zero-length WRITE." },
	{ "rw_pipe", sc_rw_pipe, "READ/WRITE on a pipe: offsets ignored, READ on the write end and WRITE on the read end, a 70000-byte WRITE that is short, the bytes seen through the pipe." },
	{ "rw_pipe_wait", sc_rw_pipe_wait, "READ on an empty pipe waits (poll armed) until a write() wakes it, and sees end of file when the writer closes." },
	{ "rw_devices", sc_rw_devices, "READ/WRITE on /dev/null, /dev/zero, a read-only /dev/null, an eventfd with 4-byte buffers, a memfd and a directory." },
	{ "rw_errors", sc_rw_errors, "READ/WRITE errors: unopened fd, a bad user address (at issue and at prep), an unknown rw_flags bit, RWF_NOWAIT on an empty pipe." },
	{ "rw_async", sc_rw_async, "IOSQE_ASYNC READ/WRITE: on a pipe with data, on an empty pipe (woken by a write), on a regular file." },
	{ "rw_link", sc_rw_link, "Linked WRITE -> READ through a pipe and a regular file; a waiting READ head releases its NOP; a failing READ cancels its NOP." },
	/* timeouts and cancel */
	{ "timeout_basic", sc_timeout_basic, "TIMEOUT: 10 ms relative (-ETIME), completion count 2 (res 0 once two CQEs were posted), ABS in the past, len 2, an unknown flag, tv_nsec out of range." },
	{ "timeout_remove", sc_timeout_remove, "TIMEOUT_REMOVE of a pending timeout (0, and the timeout gets -ECANCELED) and of an unknown user_data (-ENOENT)." },
	{ "link_timeout", sc_link_timeout, "LINK_TIMEOUT: fires on a READ waiting on an empty pipe; cancelled by a NOP that completes; the READ completes first; without a link head." },
	{ "poll_add_oneshot", sc_poll_add_oneshot, "One-shot POLL_ADD on a pipe: waits for POLLIN until a write() wakes it; ready files complete inline with the mask; prep errors (addr, LEVEL, no file, multishot with CQE_SKIP); the last writer closing wakes pollers with POLLHUP." },
	{ "poll_add_multishot", sc_poll_add_multishot, "Multishot POLL_ADD on a pipe: one CQE with IORING_CQE_F_MORE per write(), POLL_REMOVE and ASYNC_CANCEL end it with -ECANCELED (no F_MORE), -ENOENT for an unknown user_data." },
	{ "poll_add_files", sc_poll_add_files, "POLL_ADD on files without ->poll (a regular file, /dev/null: DEFAULT_POLLMASK at once, -EINVAL for no events) and on an eventfd (POLLOUT at once; a zero write completes a POLLIN poll with the wake-up key although the counter stays 0; ASYNC_CANCEL of a waiting poll)." },
	{ "poll_multishot_cq_full", sc_poll_multishot_cq_full, "A multishot POLL_ADD on a ring with a 2-entry CQ: the third wake-up finds no room for an F_MORE CQE, so the poll ends and its last CQE overflows." },
	/* ASYNC_CANCEL flags */
	{ "cancel_all", sc_cancel_all, "ASYNC_CANCEL with IORING_ASYNC_CANCEL_ALL: three READs waiting on a pipe with user_data 7 are all cancelled (res 3); again: res 0, not -ENOENT; without ALL one at a time, then -ENOENT." },
	{ "cancel_any", sc_cancel_any, "IORING_ASYNC_CANCEL_ANY: two waiting READs, a POLL_ADD and a TIMEOUT all cancelled (res 4); again 0; ANY with FD or OP -EINVAL." },
	{ "cancel_fd", sc_cancel_fd, "IORING_ASYNC_CANCEL_FD: the first request on a pipe, then ALL on it (a READ and a POLL_ADD), FD with USERDATA (both must match), a file with nothing pending, fd 9999 -EBADF; timeouts are not searched by file." },
	{ "cancel_fd_fixed", sc_cancel_fd_fixed, "IORING_ASYNC_CANCEL_FD_FIXED: a registered index names the same file as the descriptor, so READs submitted either way match; an index outside the table -EBADF; FD_FIXED without FD matches by user_data." },
	{ "cancel_op", sc_cancel_op, "IORING_ASYNC_CANCEL_OP: ALL READs but not the POLL_ADD or the TIMEOUT; OP with USERDATA must match both; the TIMEOUT by opcode." },
	{ "cancel_poll_all", sc_cancel_poll_all, "CANCEL_ALL by user_data across tables: a multishot and a one-shot POLL_ADD and a TIMEOUT sharing user_data 5 (res 3); two TIMEOUTs sharing user_data 6, one then the rest." },
	/* SQPOLL */
	{ "sqpoll_basic", sc_sqpoll_basic, "SQPOLL ring, sq_thread_idle 1000 ms: a NOP, then three, published with no system call; the SQ thread consumes them and posts the CQEs." },
	{ "sqpoll_idle_wakeup", sc_sqpoll_idle_wakeup, "SQPOLL, sq_thread_idle 500 ms: the thread goes to sleep and sets IORING_SQ_NEED_WAKEUP; a published SQE waits until io_uring_enter(IORING_ENTER_SQ_WAKEUP) wakes it; woken with nothing to do it sleeps again after the idle time." },
	{ "sqpoll_enter", sc_sqpoll_enter, "io_uring_enter on an SQPOLL ring returns to_submit as passed (5 with nothing queued), waits with GETEVENTS, SQ_WAIT on a ring with room returns at once." },
	{ "sqpoll_sq_wait", sc_sqpoll_sq_wait, "SQPOLL: a full SQ ring with the thread asleep; io_uring_enter(SQ_WAKEUP|SQ_WAIT) wakes it and returns once it consumed the SQEs (and posted the CQEs)." },
	{ "sqpoll_cq_overflow", sc_sqpoll_cq_overflow, "SQPOLL, CQ of 4: six NOPs without reaping overflow; IORING_SQ_CQ_OVERFLOW is set; a GETEVENTS enter flushes." },
	{ "sqpoll_pipe_read", sc_sqpoll_pipe_read, "SQPOLL: a READ on an empty pipe issued by the SQ thread; a write() wakes the sleeping thread with task_work and it posts the CQE." },
	{ "sqpoll_setup", sc_sqpoll_setup, "SQPOLL setup: SQ_AFF without SQPOLL and CPUs 4096 / -1 -EINVAL; CPU 0 ok; sq_thread_cpu ignored without SQ_AFF; any idle; TASKRUN_FLAG -EINVAL; SINGLE_ISSUER ok." },
	{ "async_cancel", sc_async_cancel, "ASYNC_CANCEL by user_data: a READ waiting on a pipe, an unknown user_data (-ENOENT), a pending TIMEOUT, an unknown cancel flag." },
	/* READV/WRITEV, registered buffers, probe, setup flags */
	{ "readv_regular_file", sc_readv_regular_file,
	  "READV on a regular file: 8 bytes scattered into elements of 2, 4 and 2 bytes -> 8 (each element "
	  "holds its slice); one 64-byte element at offset 6 -> 2 (short), at 100 -> 0; nr_segs 0 -> 0; a "
	  "zero-length element before a 4-byte one -> 4." },
	{ "readv_file_pos", sc_readv_file_pos,
	  "WRITEV of 3 elements at offset -1 -> 12 and moves the file position; a second WRITEV at -1 -> 8 "
	  "goes on at 12; READV at 8 reads both writes' bytes; READV at -1 -> 0 (the position is at the end); "
	  "offset -2 -EINVAL." },
	{ "readv_pipe", sc_readv_pipe,
	  "WRITEV gathers 4+2+4 bytes into a pipe -> 10; READV scatters them into 3+64 bytes at offset 777 "
	  "(ignored) -> 10; READV on the write end and WRITEV on the read end -EBADF; a WRITEV of 40000+30000 "
	  "bytes into the empty pipe -> 65536 (short)." },
	{ "readv_pipe_wait", sc_readv_pipe_wait,
	  "READV on an empty pipe: no CQE after submit; a WRITEV in the next submit wakes it, both complete "
	  "with 4 (the WRITEV's CQE first); a second READV waits, closing the write end ends it with 0." },
	{ "readv_errors", sc_readv_errors,
	  "The iovec array at address 8 -EFAULT; nr_segs 1025 (> UIO_MAXIOV) -EINVAL; an element length "
	  "2^63 -EINVAL; a kernel base -EFAULT; an unmapped base 8 -EFAULT (READV on a file, WRITEV on a "
	  "pipe); a WRITEV whose second element faults writes the first (4); READV of 4+4 bytes from a "
	  "4-byte file -> 4; rw_flags bit 31 -EOPNOTSUPP; RWF_NOWAIT on an empty pipe -EAGAIN; fd 9999 "
	  "-EBADF." },
	{ "readv_devices", sc_readv_devices,
	  "/dev/null READV 0, WRITEV 8; /dev/zero READV 8 (zeroes); WRITEV of two 4-byte elements to an "
	  "eventfd -EINVAL (eventfd has ->write, called once per element), one 8-byte element -> 8; READV of "
	  "the counter into two 4-byte elements -> 8 (->read_iter takes the total); one 4-byte element "
	  "-EINVAL; memfd WRITEV/READV 8 (read back); READV on a directory -EISDIR." },
	{ "readv_async_link", sc_readv_async_link,
	  "Linked WRITEV -> READV through a pipe: 8, 8 (bytes read back); IOSQE_ASYNC WRITEV and READV on a "
	  "regular file: 8, 8; a READV failing with -EFAULT cancels the linked NOP (-ECANCELED)." },
	{ "fixed_register", sc_fixed_register,
	  "IORING_REGISTER_BUFFERS of two buffers -> 0; again -EBUSY; UNREGISTER_BUFFERS -> 0, again -ENXIO; "
	  "UNREGISTER with nr_args 1 -EINVAL; a NULL base with length 0 is a sparse slot (0); a 200-byte "
	  "buffer inside a page -> 0." },
	{ "fixed_register_errors", sc_fixed_register_errors,
	  "REGISTER_BUFFERS: nr_args 0 and 16385 -EINVAL; a NULL or unmapped array, a NULL base with a "
	  "length, a zero length, more than 1 GiB, an unmapped range and a kernel address all -EFAULT; when "
	  "the second element fails nothing stays registered (UNREGISTER then -ENXIO)." },
	{ "fixed_rw_regular_file", sc_fixed_rw_regular_file,
	  "WRITE_FIXED 4 bytes from buffer 0, READ_FIXED them into buffer 1 -> 4, 4 (read back); READ_FIXED "
	  "of 64 at offset 2 -> 2; at -1 -> 4; WRITE_FIXED at -1 -> 4; READ_FIXED at 0 -> 8; length 0 -> 0; "
	  "offset -2 -EINVAL." },
	{ "fixed_rw_bounds", sc_fixed_rw_bounds,
	  "READ_FIXED with nothing registered -EFAULT; buf_index 2 (of 2) and 0xffff -EFAULT; the last 4 "
	  "bytes of buffer 0 -> 4; 2 bytes past its end, past the registered 4096 bytes of buffer 1, "
	  "another buffer's address, address 8 and an 8193-byte WRITE_FIXED all -EFAULT; fd 9999 with a "
	  "bad index -EBADF (the file is resolved first)." },
	{ "fixed_rw_pipe", sc_fixed_rw_pipe,
	  "WRITE_FIXED of 100 bytes into a pipe -> 100; two READ_FIXED of 64 (offsets ignored) -> 64, 36 "
	  "(bytes read back); READ_FIXED on the write end and WRITE_FIXED on the read end -EBADF; an "
	  "8192-byte WRITE_FIXED -> 8192." },
	{ "fixed_pipe_wait", sc_fixed_pipe_wait,
	  "READ_FIXED on an empty pipe waits; a WRITE_FIXED wakes it: 4 and 4, the writer's CQE first, the "
	  "bytes in the registered buffer." },
	{ "fixed_unregister_in_use", sc_fixed_unregister_in_use,
	  "UNREGISTER_BUFFERS while a READ_FIXED waits on buffer 1 -> 0; a new READ_FIXED -EFAULT (no "
	  "table); a WRITEV then wakes the waiting READ_FIXED, which still completes (4) into the buffer it "
	  "imported; registering again -> 0." },
	{ "fixed_rw_devices", sc_fixed_rw_devices,
	  "READ_FIXED /dev/null 0, WRITE_FIXED /dev/null 64; READ_FIXED /dev/zero 16 (zeroes); WRITE_FIXED "
	  "8 bytes to an eventfd -> 8, READ_FIXED 8 -> 8 (the counter), 4 bytes -EINVAL; memfd WRITE_FIXED "
	  "4, READ_FIXED 8 -> 4 (read back)." },
	{ "fixed_link_async", sc_fixed_link_async,
	  "WRITE_FIXED linked to an IOSQE_ASYNC READ_FIXED on a regular file: 4, 4 (read back); a READ_FIXED "
	  "with buf_index 5 -EFAULT cancels its linked NOP; an IOSQE_ASYNC WRITE_FIXED into a pipe -> 4." },
	{ "probe_ops", sc_probe_ops,
	  "IORING_REGISTER_PROBE with room for 256 ops: last_op 62, ops_len 63, every op supported; room for "
	  "4 -> ops_len 4; for 0 -> ops_len 0; for 63 -> 63; a NULL argument -EINVAL, an unmapped one "
	  "-EFAULT." },
	{ "setup_flags_each", sc_setup_flags_each,
	  "Each IORING_SETUP_* flag alone on 8 entries (SQPOLL aside): IOPOLL, CLAMP, R_DISABLED, SUBMIT_ALL, "
	  "COOP_TASKRUN, SQE128, CQE32 (SQ array at 640), SINGLE_ISSUER, NO_SQARRAY (array 0), CQE_MIXED, "
	  "CQSIZE 64 -> 0; SQ_AFF without SQPOLL, TASKRUN_FLAG, DEFER_TASKRUN, REGISTERED_FD_ONLY, "
	  "HYBRID_IOPOLL, SQE_MIXED and SQ_REWIND alone -EINVAL (the last two are unknown to 6.18); NO_MMAP "
	  "without user memory -EFAULT." },
	{ "setup_flags_combos", sc_setup_flags_combos,
	  "IOPOLL|HYBRID_IOPOLL, COOP|TASKRUN_FLAG, SINGLE_ISSUER|DEFER_TASKRUN (also with TASKRUN_FLAG or "
	  "COOP_TASKRUN, with IOPOLL, with R_DISABLED), SQE128|CQE32, SQE128|CQE_MIXED, CQE_MIXED on 1 entry "
	  "(cq 2), NO_SQARRAY|SQE128|CQE32, CLAMP|IOPOLL|SUBMIT_ALL, CQSIZE 300 -> 512 -> 0; anything with "
	  "SQE_MIXED or SQ_REWIND -EINVAL; NO_MMAP|REGISTERED_FD_ONLY without memory -EFAULT; CQSIZE 2 < 8 "
	  "-EINVAL." },
	{ "setup_attach_wq", sc_setup_attach_wq,
	  "IORING_SETUP_ATTACH_WQ (no SQPOLL) with wq_fd = an open ring -> 0 (also with IOPOLL); a pipe "
	  "-EINVAL; an unopened descriptor and -1 -ENXIO." },
	{ "setup_r_disabled", sc_setup_r_disabled,
	  "An R_DISABLED ring: io_uring_enter -EBADFD (the NOP stays in the SQ); REGISTER_PROBE works; "
	  "REGISTER_ENABLE_RINGS with nr_args 1 or a non-NULL arg -EINVAL, then 0; the NOP then completes; "
	  "enabling again -EBADFD, as for a ring set up enabled." },
	{ "setup_hybrid_iopoll", sc_setup_hybrid_iopoll,
	  "An IOPOLL|HYBRID_IOPOLL ring: two NOPs -> 0, 0; a READ on a regular file -EOPNOTSUPP (no O_DIRECT "
	  "file with ->iopoll)." },
	{ "setup_offsets", sc_setup_offsets,
	  "Mapped rings with NO_SQARRAY|CQE32 (4), SQE128|CQSIZE 64|SUBMIT_ALL (16) and SINGLE_ISSUER|"
	  "DEFER_TASKRUN|TASKRUN_FLAG (2): the sq_off/cq_off the kernel writes back, a NOP each -> 0." },
	/* networking and provided buffers */
	{ "net_send_recv_unix", sc_net_send_recv_unix, "SEND/RECV on an AF_UNIX stream pair: a 4-byte SEND and a 100-byte SEND, RECVs of 64 bytes take 64 then 40 (a stream), the first int32 read back; MSG_DONTWAIT on the empty socket is -EAGAIN." },
	{ "net_send_recv_tcp", sc_net_send_recv_tcp, "SEND/RECV on TCP over loopback: 4 + 1000 bytes, RECVs of 512 take 512 then 492; MSG_DONTWAIT on empty -EAGAIN; RECV on the listener -ENOTCONN." },
	{ "net_send_recv_udp", sc_net_send_recv_udp, "SEND/RECV on UDP: each RECV takes one datagram (4 bytes, then 10 of a 30-byte datagram, the rest dropped); MSG_DONTWAIT on empty -EAGAIN; SEND on the unconnected receiver -EDESTADDRREQ." },
	{ "net_recv_wait_unix", sc_net_recv_wait_unix, "RECV on an empty AF_UNIX stream socket waits (async poll) until the peer's send() wakes it; the peer closing gives 0; a SEND to a closed peer is -EPIPE." },
	{ "net_recv_wait_tcp", sc_net_recv_wait_tcp, "RECV on an empty TCP server end waits until the client's send() wakes it; the client closing gives 0." },
	{ "net_recv_wait_udp", sc_net_recv_wait_udp, "RECV on an empty UDP socket waits until a datagram arrives." },
	{ "net_recv_waitall", sc_net_recv_waitall, "RECV with MSG_WAITALL for 100 bytes: 40 bytes arrive and it keeps waiting, 60 more complete it with 100; with 30 bytes and then end of file it completes with 30." },
	{ "net_errors", sc_net_errors, "SEND on a pipe and RECV on a regular file -ENOTSOCK, fd 9999 -EBADF, an unknown ioprio flag -EINVAL, RECV_MULTISHOT without a provided buffer or with a length or with MSG_WAITALL -EINVAL, SEND with IOSQE_BUFFER_SELECT, bad user addresses, SEND to a closed peer -EPIPE." },
	{ "net_poll_socket", sc_net_poll_socket, "POLL_ADD on sockets: POLLOUT on a unix socket completes at once; POLLIN waits until the peer sends; on TCP the same; POLLIN on a listener waits (ASYNC_CANCEL ends it); the peer closing wakes a POLLIN poll with POLLIN|POLLHUP." },
	{ "net_poll_multishot_socket", sc_net_poll_multishot_socket, "Multishot POLL_ADD on an AF_UNIX socket: one F_MORE CQE per send(), POLL_REMOVE ends it." },
	{ "net_accept", sc_net_accept, "ACCEPT: waits on an empty listener until a connect() wakes it (res: the new descriptor); with a queued connection completes inline; DONTWAIT on empty -EAGAIN; on a pipe -ENOTSOCK; on a unix stream socket and a TCP client -EINVAL; len 1, an unknown ioprio flag, an unknown accept flag -EINVAL." },
	{ "net_accept_multishot", sc_net_accept_multishot, "IORING_ACCEPT_MULTISHOT: a connection queued before it is armed and two that come later each post a descriptor with F_MORE; ASYNC_CANCEL ends it with -ECANCELED." },
	{ "pbuf_provide", sc_pbuf_provide, "PROVIDE_BUFFERS (4 x 64 bytes, ids 10..13, group 7) and RECV with IOSQE_BUFFER_SELECT: CQE flags F_BUFFER with the id in the upper 16 bits, ids in the order provided, a len limits the buffer; REMOVE_BUFFERS returns how many it removed; an empty group -ENOBUFS; PROVIDE_BUFFERS with len 0, nbufs 0, REMOVE with nbufs 0, ids past 65535 -EINVAL." },
	{ "pbuf_recv_wait", sc_pbuf_recv_wait, "A buffer-select RECV that waits picks its buffer only when woken; when the group was emptied meanwhile it completes with -ENOBUFS." },
	{ "net_recv_multishot", sc_net_recv_multishot, "Multishot RECV with provided buffers (3 x 16 bytes) on an AF_UNIX stream socket: data queued before arming, then 20 bytes split over two buffers, then no buffer left: -ENOBUFS without F_MORE ends it." },
	{ "net_recv_multishot_cancel", sc_net_recv_multishot_cancel, "Multishot RECV ended by ASYNC_CANCEL (-ECANCELED, no F_MORE), and a second one ended by the peer closing (res 0, no F_MORE)." },
	{ "net_recv_multishot_udp", sc_net_recv_multishot_udp, "Multishot RECV on UDP with provided buffers: one CQE per datagram; a datagram longer than the buffer is truncated to it." },
	{ "net_link_send_recv", sc_net_link_send_recv, "A SEND linked to a RECV on an AF_UNIX pair: the RECV sees its bytes; a waiting RECV head releases its linked NOP when the peer sends." },
	{ "net_recv_peek_trunc", sc_net_recv_peek_trunc, "RECV flags on an AF_UNIX datagram socket: MSG_PEEK leaves the datagram, MSG_TRUNC returns its real length, MSG_WAITALL on a datagram socket returns one datagram (short)." },
	{ "pbuf_ring", sc_pbuf_ring, "IORING_REGISTER_PBUF_RING: an 8-entry ring in the program's memory; buffers added and the tail published by the program; RECVs with IOSQE_BUFFER_SELECT take entries in order (F_BUFFER, id in flags >> 16), -ENOBUFS when the head meets the tail, again after more entries; PROVIDE/REMOVE_BUFFERS on a ring group -EINVAL; registering twice -EEXIST; entries not a power of two, an unaligned ring, 65536 entries -EINVAL; unregistering an unknown group -ENOENT; after UNREGISTER a RECV gets -ENOBUFS." },
	{ "net_recv_multishot_ring", sc_net_recv_multishot_ring, "The echo-server pattern: a multishot RECV on a registered buffer ring posts one F_MORE CQE per buffer, ends with -ENOBUFS when the ring runs dry, and the program re-arms it after publishing more entries." },
};

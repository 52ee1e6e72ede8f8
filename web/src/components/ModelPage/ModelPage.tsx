/**
 * "Model and simplifications": what the simulator models, what it leaves out, and the kernel
 * and patch versions it follows. Written from the module docs of core-rs and docs/kernel-notes.md;
 * keep it in step with them.
 */
import { memo } from 'react';
import { RUST_SERIES_URL } from '../../captions/kernelFunctions';
import { ENOTMODELLED, OPCODES_MODELLED, OPCODES_NOT_MODELLED, setPage } from '../../store';

const MODELLED: [string, string][] = [
  [
    'Shared ring memory',
    'The SQ ring (head, tail, mask, flags, dropped, the index array), the SQE array, the CQ ring and its CQEs live in WebAssembly memory at the offsets io_uring_setup publishes, laid out like struct io_rings. The page writes SQEs and the SQ tail and reads CQEs there, as a process does through mmap; the kernel side reads with READ_ONCE / acquire and writes with release semantics.',
  ],
  [
    'io_uring_setup',
    'Parameter checks (io_uring_sanitise_params) and every flag the recorded 6.18 kernel accepts except SQPOLL: entries rounded to a power of two, CQSIZE and CLAMP, SQE128 and CQE32 sizes (the offsets written back match, including the doubled CQE32 ring), NO_SQARRAY, CQE_MIXED, SUBMIT_ALL, the task_work flags, IOPOLL and HYBRID_IOPOLL, ATTACH_WQ (wq_fd checked), R_DISABLED with IORING_REGISTER_ENABLE_RINGS; the identity SQ index array liburing writes.',
  ],
  [
    'io_uring_enter',
    'A resumable state machine, one unit of work per step: consume one SQE (io_get_sqe, with out-of-range indices dropped and counted in sq_dropped), init and prep checks that fail into error CQEs, inline issue with NONBLOCK|COMPLETE_DEFER|INLINE, the batched completion flush, the SQ head published once per batch, then waiting with GETEVENTS (min_complete, EXT_ARG timeouts).',
  ],
  [
    'CQ overflow',
    'IORING_FEAT_NODROP: when the CQ ring is full, CQEs go to the overflow list and IORING_SQ_CQ_OVERFLOW is set; the list is flushed in order only from the wait path.',
  ],
  [
    'Requests',
    "A per-ring request cache: a recycled request keeps the previous command's PDU bytes, exactly the hazard the series had to answer. Links (IO_LINK, IO_HARDLINK, a failing member cancelling the rest) and CQE_SKIP_SUCCESS follow io_uring.c.",
  ],
  [
    'IORING_OP_URING_CMD',
    "io_uring_cmd_prep checks (__pad1, uring_cmd_flags, ioprio); the issue handler adds ctx flags to issue_flags and acts on the driver's result: a value completes at once, -EIOCBQUEUED leaves the command in flight, -EAGAIN sets IORING_URING_CMD_REISSUE, copies the SQE and reissues from io-wq with UNLOCKED|IOWQ. A file without ->uring_cmd gives -EOPNOTSUPP.",
  ],
  [
    'IORING_OP_READ, IORING_OP_WRITE',
    'io_prep_rw checks the buffer (import_ubuf: a kernel address is -EFAULT at prep); io_rw_init_file checks the open mode (-EBADF) and rw_flags (-EOPNOTSUPP for unknown bits); offsets follow io_kiocb_update_pos and rw_verify_area (ignored on pipes, -1 is the file position, other negative offsets -EINVAL). Data moves through the file kinds the core has: regular files and memfds, pipes (short writes when full), /dev/null, /dev/zero, eventfd, directories (-EISDIR). Bytes read land in user memory marked as written by the kernel for that request. Buffered writes to regular files go to io-wq, as ext4 and shmem need.',
  ],
  [
    'IORING_OP_READV, IORING_OP_WRITEV, IORING_OP_READ_FIXED, IORING_OP_WRITE_FIXED',
    "The iovec array is read at prep (import_iovec: more than 1024 elements or a negative length -EINVAL, an unreadable array or a kernel base -EFAULT) and bytes are scattered and gathered element by element; a fault part-way through a regular-file write is a short write that completes with the bytes done. IORING_REGISTER_BUFFERS / UNREGISTER_BUFFERS keep a table of buffers (-EBUSY, -ENXIO, -EFAULT as recorded); a fixed read or write looks its buffer up at its first issue (-EFAULT outside it) and keeps it even if the table is unregistered while it waits. IORING_REGISTER_PROBE reports the kernel's opcode table.",
  ],
  [
    'Async poll',
    'A READ or WRITE that gets -EAGAIN from its non-blocking attempt on a pollable file (a pipe, an eventfd) waits on the file through io_arm_poll_handler; a write(), a read that frees room, or the last writer closing wakes it (io_poll_wake), and its retry runs as task_work (io_apoll_task_func). RWF_NOWAIT turns the wait into a -EAGAIN CQE; IOSQE_ASYNC arms the poll from the io-wq worker.',
  ],
  [
    'Timeouts',
    'TIMEOUT (relative, IORING_TIMEOUT_ABS, or a completion count in off: io_flush_timeouts after each CQ commit), TIMEOUT_REMOVE, and LINK_TIMEOUT (armed when the request it guards goes async; when it fires it cancels that request and completes with -ETIME; when the request completes first it is disarmed with -ECANCELED), on the simulated clock.',
  ],
  [
    'IORING_OP_ASYNC_CANCEL',
    'By user_data (io_try_cancel): a request still queued for io-wq, a request waiting through async poll, or a pending TIMEOUT; -ENOENT when there is none. The cancelled request completes with -ECANCELED after the canceller.',
  ],
  [
    'IORING_OP_POLL_ADD, IORING_OP_POLL_REMOVE',
    "io_poll_add_prep and io_poll_parse_events (always edge-triggered; IORING_POLL_ADD_LEVEL, addr, off or buf_index are -EINVAL); a ready file completes a one-shot poll inline, files without ->poll answer DEFAULT_POLLMASK at once. A waiting poll is woken by the key of the file's wake-up (every write() to a polled pipe, an eventfd write, a closing end without a key), newest waiter first. IORING_POLL_ADD_MULTI posts one CQE with IORING_CQE_F_MORE per wake-up from task_work and ends when that CQE finds no room in the CQ ring; POLL_REMOVE (and ASYNC_CANCEL) end a poll with -ECANCELED.",
  ],
  [
    'Completion',
    '__io_uring_cmd_done posts at the next flush with COMPLETE_DEFER, and through task_work otherwise; __io_uring_cmd_do_in_task (with the lazy-wake hint) runs a driver callback in the submitting task; a driver can mark a command cancelable, and ring teardown calls cancelable commands with IO_URING_F_CANCEL (io_uring_try_cancel_uring_cmd).',
  ],
  [
    'Sample drivers',
    'Misc drivers written only against the Rust abstraction: the RFC v3 and v5 samples, a delayed device, one that answers -EAGAIN first, one without a uring_cmd hook, an NVMe-style passthrough with 128-byte SQEs and 32-byte CQEs, a ublk-like FETCH/COMMIT driver, and one driver per hazard the review found.',
  ],
  [
    'task_work',
    'Normal task_work, COOP_TASKRUN and DEFER_TASKRUN (local work runs only inside io_uring_enter with GETEVENTS), and the TASKRUN flag.',
  ],
  [
    'Contexts',
    "The submitting task, the io_uring core, the driver's ->uring_cmd(), an io-wq worker, a workqueue/device context and task_work: each trace record says which one ran it, and the lanes show them.",
  ],
  [
    'The Rust abstraction',
    "Two generations of Sidong Yang's series, each with its own sample misc driver: RFC v3 (August 2025: IoUringCmd with read_pdu/write_pdu, done() by reference; optionally patch 2/5, which zeroed the PDU in prep) and v5 (April 2026: IoUringCmd::complete / queue → QueuedIoUringCmd::done / complete_in_task, the PDU zeroed by the trampoline unless REISSUE).",
  ],
  [
    'Sanitizers',
    "What would be undefined behaviour or a locking bug in the kernel is reported, never silently allowed: a command completed twice, done() with issue flags the core did not give, done() without uring_lock, reading PDU bytes never written in this request's life, reading the SQE after the issue returned, a PDU type larger than 32 bytes.",
  ],
];

const SIMPLIFIED: [string, string][] = [
  [
    'One task, one thread, one step at a time',
    "The kernel is concurrent; the simulator is a deterministic, single-threaded stand-in in which every unit of kernel work is a step. A scheduler picks the next unit (the task's syscall, a waking waiter, io-wq, the workqueue, task_work, the earliest timer). Real interleavings that no step order can express are not shown.",
  ],
  [
    'Locks',
    'uring_lock, completion_lock and friends are not modelled, except where their absence is a bug the sanitizers report.',
  ],
  [
    'Time',
    'A simulated clock: each step adds 100 ns and device work finishes at timers the drivers set. No durations are measured.',
  ],
  [
    'Normal task_work',
    'TWA_SIGNAL interrupts the task at once; with COOP_TASKRUN (TWA_SIGNAL_NO_IPI) a task computing in user mode runs it at the next 4 ms timer tick (CONFIG_HZ=250 on the recorded 6.18.44), a sleeping task is woken at once, and any system call runs it on its way out. Ticks fall on multiples of 4 ms of simulated time.',
  ],
  [
    'Ring teardown',
    "The exit work loops as the kernel's does (spinning on cancelable commands, waiting on the ring's references, warning after 5 minutes), but one spin iteration takes a simulated microsecond and is bounded, quiet passes are skipped, and no passes run after the warning.",
  ],
  [
    'Memory',
    "Rings are heap buffers in WebAssembly memory, not pages mapped into a process. Pointers are 32-bit, so struct io_uring_cmd pads them to keep 6.18's offsets (the PDU at 32); the 6.19 profile only changes where the sanitizer believes the PDU sits.",
  ],
  [
    'Files and devices',
    'One descriptor table, misc devices registered by scenarios with the sample drivers, and the ring itself. Sockets are one loopback host: TCP and UDP on 127.0.0.1 and AF_UNIX pairs, with instant delivery, buffer budgets from SO_RCVBUF/SO_SNDBUF and no TCP windows or retransmits. No block layer, no NVMe, no ublk.',
  ],
  [
    'The Rust side',
    "The abstraction is the series' API re-implemented in ordinary Rust against a simulated C side: no kernel crate, no pin-init, and #[vtable] replaced by HAS_* constants. It is written to read like the patches, not compiled from them. Cancellation (mark_cancelable and the IO_URING_F_CANCEL call) is a simulator extension: v5 has none, and the ublk-like sample needs it.",
  ],
];

const ABSENT: string[] = [
  'SQPOLL and NO_MMAP rings with user memory: io_uring_setup refuses them with -EINVAL (SQE_MIXED and SQ_REWIND are unknown to 6.18 and refused as it refuses them). HYBRID_IOPOLL polls at once, without the sleep before the first poll. IOPOLL rings are modelled for uring_cmd and NOP: a file needs a uring_cmd_iopoll hook, and completions are found by polling in io_uring_enter(GETEVENTS).',
  'Registered rings, IORING_REGISTER_BUFFERS2 and buffer updates, resource tags; the read/write family on sockets. Provided buffers are modelled (PROVIDE_BUFFERS, REMOVE_BUFFERS, IORING_REGISTER_PBUF_RING with the ring in user memory), except kernel-allocated rings (IOU_PBUF_RING_MMAP), incremental consumption (IOU_PBUF_RING_INC) and bundles.',
  `Every opcode not listed as modelled below, and the field values docs/opcodes.md lists (RWF_* flags other than RWF_NOWAIT, READ/WRITE on sockets and devices, other timeout clocks, cancel flags): they complete with res -${ENOTMODELLED} and a "not modelled" trace record. -${ENOTMODELLED} is one past MAX_ERRNO, so it can never be mistaken for an answer Linux gives.`,
  'SENDMSG/RECVMSG, zero-copy sends, SEND with a destination address, ACCEPT with a peer-address buffer or into a fixed-file slot, MSG_* flags other than MSG_DONTWAIT, MSG_WAITALL, MSG_PEEK and MSG_TRUNC, CONNECT/BIND/LISTEN/SOCKET/SHUTDOWN opcodes, SQPOLL.',
  'Personalities, restrictions, eventfd registration, the other io_uring_register(2) opcodes, and SQ/CQ ring resizing.',
];

function Definitions({ items }: { items: [string, string][] }) {
  return (
    <dl className="model-list">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function ModelPageComponent() {
  return (
    <article className="page model" aria-labelledby="model-title">
      <header className="page-head">
        <h2 id="model-title">Model and simplifications</h2>
        <p>
          Ringside runs a simulator of the kernel side of io_uring, written in Rust and compiled to WebAssembly. It
          follows mainline Linux of about
          <b> v6.18</b> — the 6.18.44 kernel the recordings were made on — and, for scenarios that choose it (the badge
          says so), the <b>6.19</b> uring_cmd interface the Rust v5 series is written against (the io_tw_token_t
          task_work callback, the PDU at offset 24), and the Rust uring_cmd abstraction of the{' '}
          <a href={RUST_SERIES_URL} target="_blank" rel="noreferrer noopener">
            “rust: miscdevice: abstraction for uring_cmd”
          </a>{' '}
          series by Sidong Yang, which is <b>not merged</b>. Each modelled behaviour cites its kernel file and function
          in the simulator&apos;s source, and a recorder compares the ring protocol with this machine&apos;s real
          kernel.
        </p>
      </header>
      <section>
        <h3>Modelled</h3>
        <Definitions items={MODELLED} />
      </section>
      <section>
        <h3>Simplified</h3>
        <Definitions items={SIMPLIFIED} />
      </section>
      <section>
        <h3>Opcodes</h3>
        <p>
          From the simulator&apos;s own opcode table (io_issue_defs; IORING_REGISTER_PROBE answers with the recorded
          kernel&apos;s table instead, and an opcode modelled nowhere here is refused when issued):
        </p>
        <p>
          <b>Modelled:</b> <span className="opcode-list">{OPCODES_MODELLED.join(', ')}</span>
        </p>
        <details>
          <summary>
            Not modelled ({OPCODES_NOT_MODELLED.length} opcodes): answered with -{ENOTMODELLED}, &ldquo;not
            modelled&rdquo;
          </summary>
          <p className="opcode-list">{OPCODES_NOT_MODELLED.join(', ')}</p>
        </details>
      </section>
      <section>
        <h3>Not modelled</h3>
        <ul>
          {ABSENT.map((v) => (
            <li key={v}>{v}</li>
          ))}
        </ul>
      </section>
      <p>
        <button type="button" onClick={() => setPage('main')}>
          Back to the visualizer
        </button>
      </p>
    </article>
  );
}

export const ModelPage = memo(ModelPageComponent);
ModelPage.displayName = 'ModelPage';

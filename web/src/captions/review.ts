/**
 * The simulator's sanitizer reports explained, each tied to the review comment of the
 * "rust: miscdevice: abstraction for uring_cmd" thread (RFC v3, August–September 2025) that
 * raised the hazard. Quotes are verbatim from the thread (shared/seed).
 */

export interface ReviewQuote {
  who: string;
  /** The date of the mail (UTC). */
  date: string;
  /** The patch the mail replies to. */
  on: string;
  quote: string;
}

export interface SanitizerInfo {
  /** A short title for the alarm. */
  title: string;
  /** Why this would be a bug in the kernel. */
  explanation: string;
  /** What the series changed in answer (v4/v5), when it did. */
  resolution: string;
  review: ReviewQuote[];
}

const P2 = '[RFC PATCH v3 2/5] io_uring/cmd: zero-init pdu in io_uring_cmd_prep() to avoid UB';
const P3 = '[RFC PATCH v3 3/5] rust: io_uring: introduce rust abstraction for io-uring cmd';
const P4 = '[RFC PATCH v3 4/5] rust: miscdevice: Add `uring_cmd` support';

/** Keyed by sanitizer event name; `review.test.ts` checks every sanitizer event has an entry. */
export const SANITIZERS: Record<string, SanitizerInfo> = {
  sanitizer_double_done: {
    title: 'Command completed twice',
    explanation:
      'io_uring_cmd_done() was called for a command that had already completed (or the driver completed it and also returned a result). The core would post a second CQE and free the request twice: a use-after-free in the kernel.',
    resolution:
      'v4 made completion consume the command: IoUringCmd::complete(self) or queue(self) → QueuedIoUringCmd::done(self), so safe Rust can complete it only once.',
    review: [
      {
        who: 'Caleb Sander Mateos',
        date: '2025-09-02',
        on: P3,
        quote:
          'Since this takes the IoUringCmd by reference, it allows a single io_uring_cmd to be completed multiple times, which would not be safe. This method probably needs to take ownership of the IoUringCmd.',
      },
    ],
  },
  sanitizer_done_bad_flags: {
    title: 'done() with issue flags the core never gave',
    explanation:
      'io_uring_cmd_done() decides how to post the CQE from issue_flags: COMPLETE_DEFER means "I hold uring_lock, batch it". Passing flags other than the ones this call context received lies to the core about its locking.',
    resolution:
      'v5 completes from task_work: QueuedIoUringCmd::complete_in_task() runs the driver in the submitting task, which calls done(…, TASK_WORK_ISSUE_FLAGS).',
    review: [
      {
        who: 'Caleb Sander Mateos',
        date: '2025-09-02',
        on: P3,
        quote:
          "It's also not safe for the caller to pass an arbitrary value for issue_flags here; it needs to exactly match what was passed into uring_cmd().",
      },
    ],
  },
  sanitizer_done_unlocked: {
    title: 'done() without uring_lock',
    explanation:
      "Without IO_URING_F_UNLOCKED, io_uring_cmd_done() assumes the caller holds the ring's uring_lock and touches the cancel list and the command cache unlocked. Called from a workqueue (the v4 sample), that is a data race.",
    resolution:
      'v5 fixed the sample: the workqueue item calls complete_in_task(), and done() runs from task_work with TASK_WORK_ISSUE_FLAGS.',
    review: [
      {
        who: 'Caleb Sander Mateos',
        date: '2025-09-02',
        on: P4,
        quote:
          "But if IO_URING_F_UNLOCKED is not set, it needs to be called with the io_ring_ctx's uring_lock held. That generally requires it to either be called during uring_cmd() or from a task work callback.",
      },
    ],
  },
  sanitizer_pdu_uninit_read: {
    title: 'Read of PDU bytes never written',
    explanation:
      'The 32-byte PDU lives in the request object, which io_uring recycles without clearing it: the bytes are whatever the previous command left. Reading them as a Rust value is undefined behaviour.',
    resolution:
      'RFC v3 zeroed the PDU in io_uring_cmd_prep() for every driver (patch 2/5); review asked for no cost to C drivers, so v5 zeroes it in the Rust trampoline unless IORING_URING_CMD_REISSUE is set.',
    review: [
      {
        who: 'Caleb Sander Mateos',
        date: '2025-09-02',
        on: P2,
        quote:
          'Adding this overhead to every existing uring_cmd() implementation is unfortunate. Could we instead track the initialized/uninitialized state by using different types on the Rust side?',
      },
      {
        who: 'Caleb Sander Mateos',
        date: '2025-09-02',
        on: P2,
        quote:
          "Could we do the zero-initialization (or T::default()) in MiscdeviceVTable::uring_cmd() if the IORING_URING_CMD_REISSUE flag isn't set (i.e. on the initial issue)? That way, we avoid any performance penalty for the existing C uring_cmd() implementations.",
      },
    ],
  },
  sanitizer_sqe_after_issue: {
    title: 'SQE read after the issue returned',
    explanation:
      "ioucmd->sqe points into the shared SQ ring until the core copies it. Once ->uring_cmd() has returned -EIOCBQUEUED and the SQ head is published, userspace may write a new SQE into that slot, so a later read sees someone else's command.",
    resolution:
      'v5 gives QueuedIoUringCmd no sqe() accessor: the driver must read what it needs during the issue call.',
    review: [
      {
        who: 'Caleb Sander Mateos',
        date: '2025-09-02',
        on: P3,
        quote:
          'The read of the opcode should also be using read_volatile(), as it may lie in the userspace-mapped SQE region, which could be concurrently written by another userspace thread.',
      },
    ],
  },
  sanitizer_pdu_too_big: {
    title: 'PDU type larger than 32 bytes',
    explanation:
      'The PDU is 32 bytes inside the request. C checks this at compile time (io_uring_cmd_to_pdu has a BUILD_BUG_ON); a larger Rust type would read or write past the end of it.',
    resolution:
      'read_pdu/write_pdu return an error when size_of::<T>() exceeds the PDU; the review asked for EINVAL rather than EFAULT.',
    review: [
      {
        who: 'Daniel Almeida',
        date: '2025-08-27',
        on: P3,
        quote: 'EFAULT? How about EINVAL?',
      },
    ],
  },
};

/** The explanation of a sanitizer event, if it is one. */
export function sanitizerInfo(event: string): SanitizerInfo | null {
  return SANITIZERS[event] ?? null;
}

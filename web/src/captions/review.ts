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
  sanitizer_pdu_stale_read: {
    title: 'Read of PDU bytes the previous command left',
    explanation:
      "The 32-byte PDU lives in the request object. Objects come zeroed from the slab (__GFP_ZERO in __io_alloc_req_refill) and are then recycled through the ring's request cache without clearing cmd.data, so the PDU is never uninitialised memory: it holds the previous command's bytes. A driver that trusts it to start at zero reads stale data — a logic bug, and an information leak when the previous command was another driver's: NVMe passthrough and ublk keep a kernel pointer (struct request *) there. RFC v3 patch 2/5 called this UB; it is stale data, not uninitialised memory.",
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
  sanitizer_res2_lost: {
    title: 'res2 silently dropped',
    explanation:
      "RFC v3's done(ret, res2, issue_flags) was written against io_uring_cmd_done(cmd, ret, res2, flags) (about 6.17). Linux 6.18 split it: io_uring_cmd_done(cmd, ret, issue_flags) has no res2, io_uring_cmd_done32(cmd, ret, res2, issue_flags) has. A v3 binding that builds on 6.18 calls the first, so the 64-bit result never reaches big_cqe[0].",
    resolution:
      'v5 calls io_uring_cmd_done32 (through a helper), so res2 lands in big_cqe[0] on CQE32 and CQE_MIXED rings.',
    review: [
      {
        who: 'Sidong Yang',
        date: '2025-08-22',
        on: P3,
        quote: '`res2`: Extra for big completion queue entry `IORING_SETUP_CQE32`.',
      },
    ],
  },
  sanitizer_cmd_lost: {
    title: 'Command nobody can complete',
    explanation:
      'The core sees -EIOCBQUEUED and leaves the request in flight, waiting for io_uring_cmd_done. In v5 a driver can get there without keeping a handle: by returning complete(-EIOCBQUEUED), which type-checks, or by dropping its QueuedIoUringCmd, which has no Drop. The request never completes, holds a reference to the ring, and closing the ring never finishes: io_ring_exit_work waits and warns after 5 minutes.',
    resolution: 'Open in v5: a QueuedAction can be forged through complete(), and dropping the handle is silent.',
    review: [
      {
        who: 'Caleb Sander Mateos',
        date: '2025-09-02',
        on: P3,
        quote:
          'Even better would be to enforce at compile time that the number of times IoUringCmd::done() is called matches the return value from uring_cmd(): io_uring_cmd_done() may only be called if uring_cmd() returns -EIOCBQUEUED; -EAGAIN will result in another call to uring_cmd() and all other return values synchronously complete the io_uring_cmd.',
      },
    ],
  },
  sanitizer_pdu_misaligned: {
    title: 'PDU reference misaligned for its type',
    explanation:
      'A &T or &mut T into the PDU is only sound if the PDU is aligned for T, and the PDU is a byte array. Where it sits depends on the kernel: in 6.18 struct io_uring_cmd has pdu at offset 32 of the cacheline-aligned request (32-byte aligned); 6.19 removed task_work_cb and moved it to offset 24 (8-byte aligned). A 16-byte-aligned type fits one and not the other.',
    resolution:
      'v5 still copies (read_pdu/write_pdu); the reference accessors Ming Lei asked for would need an alignment bound, checked against the kernel layout.',
    review: [
      {
        who: 'Ming Lei',
        date: '2025-08-28',
        on: P3,
        quote:
          "But both read_pdu()/write_pdu() needs copy to read or write any byte in the pdu, which is slow and hard to use, it could be more efficient to add two methods to return Result<&T> and Result<mut &T> for user to manipulate uring_cmd's pdu.",
      },
      {
        who: 'Benno Lossin',
        date: '2025-08-28',
        on: P3,
        quote:
          'That can also be useful, but you do need to ensure that the pdu is aligned to at least the required alignment of `T` for this to be sound.',
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

/** Where the app shows a review point in the reviewer's words. */
export interface ReviewPointPlace {
  /** A library scenario (`scenarios/<id>.json`) whose intro or chapter notes quote it. */
  scenario?: string;
  /** The chapter title whose notes quote it (none: the intro). */
  chapter?: string;
  /** A sanitizer whose explanation card quotes it (`SANITIZERS`). */
  sanitizer?: string;
}

/** One point of the RFC v3 review (issue 15's list), with the words that make it. */
export interface ReviewPoint {
  /** The point, in a few words. */
  point: string;
  quote: ReviewQuote;
  /** Every place the quote is shown; `review.test.ts` checks that each one really quotes it. */
  shown: ReviewPointPlace[];
}

/**
 * Every review point issue 15 asked the app to show, each with its reviewer's words (verbatim
 * from the thread; `review.test.ts` checks them against it when RINGSIDE_REVIEW_THREAD is set)
 * and where they appear. docs/uring-cmd.md has the same list with the tests and the kernel each
 * claim was checked against.
 */
export const REVIEW_POINTS: ReviewPoint[] = [
  {
    point: '&T / &mut T PDU accessors need an alignment guarantee; the PDU is a byte array',
    quote: {
      who: 'Benno Lossin',
      date: '2025-08-28',
      on: P3,
      quote:
        'you do need to ensure that the pdu is aligned to at least the required alignment of `T` for this to be sound',
    },
    shown: [
      { scenario: 'hazard-pdu-ref-misaligned-619', chapter: 'Benno Lossin: alignment' },
      { sanitizer: 'sanitizer_pdu_misaligned' },
    ],
  },
  {
    point: 'copy-based PDU access costs on every call; drivers want io_uring_cmd_to_pdu-style references',
    quote: {
      who: 'Ming Lei',
      date: '2025-08-28',
      on: P3,
      quote: 'read_pdu()/write_pdu() needs whole 32bytes copy for read/write any single field.',
    },
    shown: [{ scenario: 'stale-pdu', chapter: 'Back to the cache' }],
  },
  {
    point: 'read_pdu builds a &mut from &self',
    quote: {
      who: 'Daniel Almeida',
      date: '2025-08-27',
      on: P3,
      quote:
        'But this creates a &mut to self.inner using unsafe code. Avoid doing this in general. All of a sudden your type is not thread-safe anymore.',
    },
    shown: [{ scenario: 'stale-pdu', chapter: 'A fresh object reads as zeroes' }],
  },
  {
    point: 'the opcode check in cmd_data proves nothing and costs in the hot path',
    quote: {
      who: 'Caleb Sander Mateos',
      date: '2025-09-02',
      on: P3,
      quote:
        "it's not required for safety, it doesn't actually ensure that userspace has written to the cmd field, and it adds overhead in a hot path.",
    },
    shown: [{ scenario: 'v3-sync-set-get', chapter: 'Reading the command area' }],
  },
  {
    point: 'IOPOLL completion for uring_cmd (NVMe passthrough on a polled ring)',
    quote: {
      who: 'Caleb Sander Mateos',
      date: '2025-09-02',
      on: P3,
      quote:
        'It looks like commit 9ce6c9875f3e ("nvme: always punt polled uring_cmd end_io work to task_work") removed the IOPOLL special case, so all NVMe passthru completions go through nvme_uring_task_cb(), which calls io_uring_cmd_done().',
    },
    shown: [{ scenario: 'iopoll-uring-cmd', chapter: 'GETEVENTS polls' }],
  },
  {
    point: 'v5 gaps: complete(-EIOCBQUEUED) or a dropped QueuedIoUringCmd leaves a request nobody can complete',
    quote: {
      who: 'Caleb Sander Mateos',
      date: '2025-09-02',
      on: P3,
      quote:
        'Even better would be to enforce at compile time that the number of times IoUringCmd::done() is called matches the return value from uring_cmd()',
    },
    shown: [
      { scenario: 'hazard-v5-lost-command', chapter: 'complete(-EIOCBQUEUED)' },
      { sanitizer: 'sanitizer_cmd_lost' },
    ],
  },
  {
    point: 'res2 silently lost on 6.18 by the v3 done signature',
    quote: {
      who: 'Sidong Yang',
      date: '2025-08-22',
      on: P3,
      quote: '`res2`: Extra for big completion queue entry `IORING_SETUP_CQE32`.',
    },
    shown: [{ sanitizer: 'sanitizer_res2_lost' }],
  },
  {
    point: 'the sample completes from a workqueue with borrowed issue_flags (v4) — the uring_lock rule',
    quote: {
      who: 'Caleb Sander Mateos',
      date: '2025-09-02',
      on: P4,
      quote:
        "But if IO_URING_F_UNLOCKED is not set, it needs to be called with the io_ring_ctx's uring_lock held. That generally requires it to either be called during uring_cmd() or from a task work callback.",
    },
    shown: [{ sanitizer: 'sanitizer_done_unlocked' }],
  },
];

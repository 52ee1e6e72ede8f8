/**
 * The one glossary: every kernel term the captions, chapter notes, checkpoints and panels use,
 * with a one-sentence definition. `GlossaryText` finds the terms in running text and makes each
 * focusable, described by its definition (aria-describedby), shown on hover and focus.
 *
 * Definitions are written for a reader who knows C and system calls but not io_uring.
 */

export interface GlossaryEntry {
  /** Stable id (used in element ids: `gl-<id>`). */
  id: string;
  /** The term as the glossary lists it. */
  term: string;
  /** One sentence. */
  def: string;
  /** How the term appears in text (matched whole, case-sensitive). */
  pattern: RegExp;
}

const E = (id: string, term: string, def: string, pattern: RegExp): GlossaryEntry => ({ id, term, def, pattern });

/** Longer and more specific terms first: the matcher takes the first entry that matches at a position. */
export const GLOSSARY: readonly GlossaryEntry[] = [
  E(
    'complete-defer',
    'IO_URING_F_COMPLETE_DEFER',
    'An issue flag saying the caller holds the ring lock, so a completion may be batched and flushed into the CQ ring a little later instead of posted at once.',
    /(?:IO_URING_F_)?COMPLETE_DEFER/,
  ),
  E(
    'task-work-issue-flags',
    'TASK_WORK_ISSUE_FLAGS',
    'The issue flags the core hands to a task_work callback (IO_URING_F_COMPLETE_DEFER), because task_work runs with the ring lock held.',
    /TASK_WORK_ISSUE_FLAGS/,
  ),
  E(
    'eiocbqueued',
    '-EIOCBQUEUED',
    'The return value by which a driver says "I took the command and will complete it later", leaving the request in flight.',
    /-?EIOCBQUEUED/,
  ),
  E(
    'eagain',
    '-EAGAIN',
    'The error by which a driver says "this would block"; under a non-blocking issue the core then retries the request from an io-wq worker.',
    /-EAGAIN/,
  ),
  E(
    'enobufs',
    '-ENOBUFS',
    'The error for a request that should pick a provided buffer when none is left in its group: a multishot RECV ends with it.',
    /-ENOBUFS/,
  ),
  E('enotty', '-ENOTTY', 'The error a driver returns for a command number it does not know.', /-ENOTTY/),
  E(
    'eopnotsupp',
    '-EOPNOTSUPP',
    'The error for an operation the file does not support, such as a uring_cmd on a driver without a uring_cmd hook.',
    /-EOPNOTSUPP/,
  ),
  E(
    'efault',
    '-EFAULT',
    'The error for a bad address: a pointer the program passed does not point into its memory.',
    /-EFAULT/,
  ),
  E('ebadf', '-EBADF', 'The error for a file descriptor that is not open.', /-EBADF/),
  E(
    'einval',
    '-EINVAL',
    'The error for an argument the kernel does not accept, such as a flag or field it does not know.',
    /-EINVAL/,
  ),
  E(
    'enodev',
    '-ENODEV',
    'The error a driver returns when the device it serves is gone, as ublk does for a command cancelled at teardown.',
    /-ENODEV/,
  ),
  E(
    'ebusy',
    '-EBUSY',
    'The error for a resource that is in use right now, such as a command slot or device another request still holds.',
    /-EBUSY/,
  ),
  E(
    'etime',
    '-ETIME',
    'The result of a TIMEOUT or LINK_TIMEOUT whose timer fired: the time ran out before what it waited for happened.',
    /-ETIME\b/,
  ),
  E(
    'ecanceled',
    '-ECANCELED',
    'The error a request completes with when it was cancelled before it could finish.',
    /-ECANCELED/,
  ),
  E(
    'defer-taskrun',
    'DEFER_TASKRUN',
    'A ring setup flag that keeps task_work queued until the task itself enters the kernel to wait, instead of interrupting it.',
    /(?:IORING_SETUP_)?DEFER_TASKRUN/,
  ),
  E(
    'twa-signal',
    'TWA_SIGNAL',
    'A way of queueing task_work that interrupts the task like a signal, so the work runs at its next return to user mode.',
    /TWA_SIGNAL/,
  ),
  E(
    'reissue',
    'REISSUE',
    'A flag (IORING_URING_CMD_REISSUE) the core sets on a command it issues again from io-wq after -EAGAIN, telling the driver this is not the first issue.',
    /(?:IORING_URING_CMD_)?REISSUE/,
  ),
  E(
    'nonblock',
    'NONBLOCK',
    'An issue flag (IO_URING_F_NONBLOCK) telling the driver it must not sleep: it should return -EAGAIN rather than block.',
    /(?:IO_URING_F_)?NONBLOCK/,
  ),
  E(
    'sqe128',
    'SQE128',
    'A ring setup flag that doubles every SQE to 128 bytes, giving uring_cmd an 80-byte command area instead of 16 bytes.',
    /(?:IORING_SETUP_)?SQE128/,
  ),
  E(
    'cqe32',
    'CQE32',
    'A ring setup flag that doubles every CQE to 32 bytes, so a driver can return two extra 64-bit values.',
    /(?:IORING_SETUP_)?CQE32/,
  ),
  E(
    'uring-cmd',
    'uring_cmd',
    "io_uring's pass-through operation: the SQE's command bytes go unchanged to the driver's ->uring_cmd() hook, which decides what they mean.",
    /->uring_cmd\(\)|\bURING_CMD(?:128)?\b|(?<![\w>])uring_cmd(?!\w)/,
  ),
  E(
    'complete-in-task',
    'complete_in_task',
    'The Rust abstraction call that asks the core to run a callback in the submitting task (as task_work), where done() may be called safely.',
    /(?<!\w)complete_in_task(?!\w)/,
  ),
  E(
    'done',
    'done()',
    'The driver call that finishes a queued command with its result, which becomes the res of the CQE.',
    /\bdone\(\)/,
  ),
  E(
    'queue',
    'queue()',
    'The Rust abstraction call by which a v5 driver keeps a command for later; it returns the proof that makes the issue return -EIOCBQUEUED.',
    /\bqueue\(\)/,
  ),
  E(
    'task-work',
    'task_work',
    'A callback queued on a task that the kernel runs in that task’s context, before it returns to user mode or while it waits.',
    /(?<!\w)task_work(?!\w)/,
  ),
  E(
    'io-wq',
    'io-wq',
    "io_uring's pool of kernel worker threads, which run requests that would block in a context where blocking is allowed.",
    /io-wq/,
  ),
  E(
    'workqueue',
    'workqueue',
    'A kernel facility that runs deferred work items on kernel threads, outside any user task.',
    /\bworkqueue\b/,
  ),
  E(
    'pdu',
    'PDU',
    'A 32-byte scratch area inside the request that the driver may use to keep its own state between the issue and the completion.',
    /\bPDU\b/,
  ),
  E(
    'overflow-list',
    'overflow list',
    'Where the kernel keeps CQEs that did not fit because the CQ ring was full, until userspace makes room.',
    /overflow list/,
  ),
  E(
    'sqe',
    'SQE',
    'A submission queue entry: the 64-byte request (opcode, fd, flags, user_data, command bytes) the application writes into the shared ring.',
    /\bSQEs?\b/,
  ),
  E(
    'cqe',
    'CQE',
    'A completion queue entry: the 16-byte result (user_data, res, flags) the kernel writes into the shared ring when a request finishes.',
    /\bCQEs?\b/,
  ),
  E(
    'sq',
    'SQ',
    'The submission queue: a ring shared with the kernel where the application publishes SQEs by moving the SQ tail.',
    /\bSQ\b/,
  ),
  E(
    'cq',
    'CQ',
    'The completion queue: a ring shared with the kernel where the kernel posts CQEs by moving the CQ tail.',
    /\bCQ\b/,
  ),
  E(
    'user-data',
    'user_data',
    'A 64-bit value the application puts in the SQE; the kernel copies it unchanged into the CQE so the application can tell which request finished.',
    /(?<!\w)user_data(?!\w)/,
  ),
  E(
    'io-uring-enter',
    'io_uring_enter',
    'The system call that submits published SQEs and, if asked, waits for completions.',
    /(?<!\w)io_uring_enter(?!\w)/,
  ),
  E(
    'io-uring-setup',
    'io_uring_setup',
    'The system call that creates a ring and the memory the application maps to share the SQ and CQ with the kernel.',
    /(?<!\w)io_uring_setup(?!\w)/,
  ),
  E(
    'io-cqring-wait',
    'io_cqring_wait',
    'The kernel function in which a task sleeps until enough CQEs are posted, running its task_work while it waits.',
    /(?<!\w)io_cqring_wait(?!\w)/,
  ),
  E(
    'uring-lock',
    'uring_lock',
    "The ring's mutex; code holding it may touch the completion batch directly.",
    /(?<!\w)uring_lock(?!\w)/,
  ),
  E(
    'patch2',
    'patch 2/5',
    'The second patch of the RFC v3 series, which zeroes the PDU in the C prep path so a driver never reads stale bytes.',
    /patch 2\/5/,
  ),
  E(
    'typestate',
    'typestate',
    'A Rust technique where a value’s type records what state it is in, so misuse (completing twice, returning the wrong value) does not compile.',
    /typestate/,
  ),
  E(
    'sqpoll',
    'SQPOLL',
    'A ring setup flag that has a kernel thread poll the SQ, so submission needs no system call.',
    /(?:IORING_SETUP_)?SQPOLL/,
  ),
  E(
    'iopoll',
    'IOPOLL',
    'A ring setup flag for polled I/O, where completions are found by polling the device instead of by interrupts.',
    /(?:IORING_SETUP_)?IOPOLL/,
  ),
];

/** An entry by id. */
export function glossaryEntry(id: string): GlossaryEntry | undefined {
  return GLOSSARY.find((g) => g.id === id);
}

/** A piece of text: plain, or a glossary term. */
export type Piece = { text: string; term?: GlossaryEntry };

const ALL = new RegExp(GLOSSARY.map((g) => `(${g.pattern.source})`).join('|'), 'g');

/**
 * Splits text into plain pieces and glossary terms (`once`: only the first occurrence of each
 * term, counting those already in `seen`, which it updates).
 */
export function splitTerms(text: string, once = true, seen: Set<string> = new Set()): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  ALL.lastIndex = 0;
  for (let m = ALL.exec(text); m; m = ALL.exec(text)) {
    if (m[0] === '') {
      ALL.lastIndex++;
      continue;
    }
    const idx = m.slice(1).findIndex((g) => g !== undefined);
    const entry = GLOSSARY[idx];
    if (!entry || (once && seen.has(entry.id))) continue;
    seen.add(entry.id);
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[0], term: entry });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

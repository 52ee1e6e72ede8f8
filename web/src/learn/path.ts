/**
 * The start-here path through the library: the io_uring basics first (a ring, SQEs, CQEs, a full
 * CQ), then "io_uring from zero" (the requests every tutorial teaches: a first READ and one that
 * waits on an empty pipe, batching, a READ woken by a writer, a linked WRITE→READ, a timeout
 * racing a READ, a linked timeout, cancel and CANCEL_ALL, POLL_ADD one-shot and multishot, an echo
 * server with a multishot RECV and a buffer ring, SQPOLL with no system call, each proven by
 * recordings of the kernel), then
 * uring_cmd (a synchronous command, a queued one, a retried one), then the review of
 * the RFC (what patch 2/5 is for, then both API generations side by side). The home screen opens
 * its first stop.
 */
export interface PathStop {
  /** A library scenario id, or a review comparison (`review:<comparison id>`). */
  target: string;
  /** The part of the path it belongs to. */
  part: 'io_uring basics' | 'io_uring from zero' | 'uring_cmd' | 'RFC review';
  /** What a first-timer learns there, in a few words. */
  learn: string;
}

export const START_PATH: readonly PathStop[] = [
  { target: 'nop-batch', part: 'io_uring basics', learn: 'SQEs in, CQEs out, head and tail' },
  { target: 'cq-overflow-nop', part: 'io_uring basics', learn: 'a full CQ loses nothing' },
  { target: 'first-read', part: 'io_uring from zero', learn: 'a first READ, and one that waits on an empty pipe' },
  { target: 'batching', part: 'io_uring from zero', learn: 'four requests, one io_uring_enter' },
  { target: 'read-waits-on-pipe', part: 'io_uring from zero', learn: 'a READ parked on a pipe, woken by write()' },
  { target: 'readv-scatter', part: 'io_uring from zero', learn: 'READV scatters into an iovec array, WRITEV gathers' },
  {
    target: 'fixed-buffers',
    part: 'io_uring from zero',
    learn: 'registered buffers: READ_FIXED without pinning per I/O',
  },
  { target: 'linked-write-read', part: 'io_uring from zero', learn: 'a linked WRITE→READ, and a link that fails' },
  {
    target: 'timeout-races-read',
    part: 'io_uring from zero',
    learn: 'a timeout racing a READ, a linked timeout, a cancel',
  },
  { target: 'linked-timeout', part: 'io_uring from zero', learn: 'a deadline for one request: -ETIME, -ECANCELED' },
  { target: 'cancel-read', part: 'io_uring from zero', learn: 'ASYNC_CANCEL of a waiting READ, and CANCEL_ALL' },
  { target: 'poll-multishot', part: 'io_uring from zero', learn: 'POLL_ADD once, then multishot with F_MORE' },
  {
    target: 'echo-multishot-recv',
    part: 'io_uring from zero',
    learn: 'an echo server: multishot RECV and a buffer ring',
  },
  { target: 'sqpoll-no-syscalls', part: 'io_uring from zero', learn: 'SQPOLL: submitting with no system call' },
  { target: 'v3-sync-set-get', part: 'uring_cmd', learn: 'a command answered at once' },
  { target: 'v5-queued-task-work', part: 'uring_cmd', learn: 'queued, then done() from task_work' },
  { target: 'eagain-reissue', part: 'uring_cmd', learn: '-EAGAIN and the io-wq retry' },
  { target: 'stale-pdu', part: 'RFC review', learn: 'a stale PDU without patch 2/5' },
  { target: 'review:stale-pdu+patch2', part: 'RFC review', learn: 'with and without patch 2/5, side by side' },
  { target: 'review:v5-queued-task-work+v4', part: 'RFC review', learn: 'done() from a workqueue vs complete_in_task' },
];

/** The scenario the home screen opens. */
export const FIRST_SCENARIO = START_PATH[0]?.target ?? 'nop-batch';

/** The position of a scenario (or `review:<id>`) on the path, or -1. */
export function pathIndex(target: string): number {
  return START_PATH.findIndex((p) => p.target === target);
}

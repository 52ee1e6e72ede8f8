/**
 * One plain sentence per step: what the application did (from its program operation), or what
 * the kernel did (from the step's trace records). A scenario's `note` on an operation replaces
 * the generated sentence.
 */
import type { Op } from '../scenario/format';
import type { Frame } from '../sim/frame';
import type { TraceEvent } from '../wasm/decode';
import { Weight, describeEvent, eventWeight } from './events';
import { opcodeName, plural, resName } from './format';

/** The most clauses a caption strings together. */
const MAX_CLAUSES = 3;

function sentence(clauses: string[]): string {
  if (clauses.length === 0) return '';
  let s: string;
  if (clauses.length === 1) s = clauses[0] as string;
  else if (clauses.length === 2) s = `${clauses[0]}, then ${clauses[1]}`;
  else s = `${clauses.slice(0, -1).join(', ')}, then ${clauses[clauses.length - 1]}`;
  s = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** The records worth a clause: everything above noise, the most important first when too many. */
export function captionEvents(events: readonly TraceEvent[]): TraceEvent[] {
  if (events.length === 0) return [];
  const top = Math.max(...events.map(eventWeight));
  const floor = top >= Weight.Normal ? Weight.Normal : Weight.Noise;
  let keep = events.filter((e) => eventWeight(e) >= floor);
  // Skip a repeat of the same clause (two identical records in one step).
  keep = keep.filter((e, i) => i === 0 || describeEvent(e) !== describeEvent(keep[i - 1] as TraceEvent));
  if (keep.length <= MAX_CLAUSES) return keep;
  const ranked = keep.map((e, i) => ({ e, i, w: eventWeight(e) })).sort((a, b) => b.w - a.w || a.i - b.i);
  const chosen = new Set(ranked.slice(0, MAX_CLAUSES).map((r) => r.i));
  return keep.filter((_, i) => chosen.has(i));
}

/** The sentence for a kernel step. */
export function kernelCaption(events: readonly TraceEvent[]): string {
  const keep = captionEvents(events);
  if (keep.length === 0) return 'The kernel has nothing to do in this step.';
  return sentence(keep.map(describeEvent));
}

/** The sentence for an application step. */
export function appCaption(op: Op | undefined, frame: Frame, prev: Frame | undefined, label: string): string {
  if (op?.note) return op.note;
  const r = frame.ring;
  const p = prev?.ring;
  switch (op?.op) {
    case 'open':
      return sentence([`the application opens /dev/${op.device}${/^fd (\d+)/.test(label) ? ` and gets fd ${/^fd (\d+)/.exec(label)?.[1]}` : ''}`]);
    case 'alloc':
      return sentence([`the application allocates ${plural(op.size, 'byte')} of its own memory for ${op.as}`]);
    case 'write_user':
      return sentence([`the application writes into its buffer ${op.target}`]);
    case 'prep': {
      const slot = ((r.sqeTail - 1) >>> 0) & (r.sqEntries - 1);
      const name = typeof op.sqe.opcode === 'number' ? opcodeName(op.sqe.opcode) : op.sqe.opcode;
      const ud = op.sqe.user_data ?? 0;
      return sentence([`the application fills a ${name} SQE (user_data ${ud}) in SQE slot ${slot} and publishes SQ tail ${r.sqTail}`]);
    }
    case 'submit': {
      const n = p ? (p.sqTail - p.sqHead) >>> 0 : 0;
      const wait = op.wait ?? 0;
      return sentence([`the application calls io_uring_enter to submit ${plural(n, 'SQE')}${wait ? ` and wait for ${plural(wait, 'completion')}` : ''}`]);
    }
    case 'wait':
      return sentence([`the application calls io_uring_enter with GETEVENTS to wait for ${plural(op.min, 'completion')}`]);
    case 'reap':
      return reapCaption(frame, prev);
    case 'sleep':
      return sentence([`the application does something else for ${op.ms} ms while the kernel and the device carry on`]);
    case 'device':
      return sentence([`the scenario pokes the device: ${op.action}`]);
    case 'close':
      return sentence([`the application closes ${op.fd}`]);
    case 'exit':
      return sentence(['the application tears the ring down with io_uring_queue_exit()']);
    case undefined:
      return label ? sentence([label]) : '';
  }
}

function reapCaption(frame: Frame, prev: Frame | undefined): string {
  const r = frame.ring;
  const from = prev?.ring.cqHead ?? r.cqHead;
  const n = (r.cqHead - from) >>> 0;
  if (n === 0) return 'The application looks for CQEs, but none is ready.';
  const parts: string[] = [];
  for (let i = from; i !== r.cqHead && parts.length < 4; i = (i + 1) >>> 0) {
    const c = r.cqes[i & (r.cqEntries - 1)];
    if (c) parts.push(`${c.userData} → ${resName(c.res)}`);
  }
  const more = n > parts.length ? ', …' : '';
  return sentence([`the application reads ${plural(n, 'CQE')} (user_data ${parts.join(', ')}${more}) and stores CQ head ${r.cqHead}`]);
}

/** The caption of a frame. */
export function captionFor(frame: Frame, prev: Frame | undefined, op: Op | undefined): string {
  if (frame.index === 0) return `The application sets up a ring with io_uring_setup: ${plural(frame.ring.sqEntries, 'SQ entry', 'SQ entries')} and ${plural(frame.ring.cqEntries, 'CQ entry', 'CQ entries')}, shared with the kernel.`;
  if (frame.actor === 'app') {
    // A program operation may also leave kernel records (opening a device registers it).
    const text = appCaption(op, frame, prev, frame.label);
    return text || kernelCaption(frame.events);
  }
  return kernelCaption(frame.events);
}

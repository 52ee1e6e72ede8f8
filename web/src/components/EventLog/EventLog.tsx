/** The trace records of the current step, in TP_printk style. */
import { memo } from 'react';
import { ERRNO_NAMES } from '../../wasm/abi.generated';
import type { TraceEvent } from '../../wasm/decode';

export function describeEvent(e: TraceEvent): string {
  const ud = `user_data 0x${e.userData.toString(16)}`;
  switch (e.event) {
    case 'io_uring_complete': {
      const res = Number(BigInt.asIntN(32, e.a));
      const name = res < 0 ? ` (${ERRNO_NAMES[-res] ?? 'errno'})` : '';
      return `req ${e.req}, ${ud}, result ${res}${name}, cflags 0x${(Number(e.b) & 0xffffffff).toString(16)}`;
    }
    case 'io_uring_submit_req':
      return `req ${e.req}, ${ud}, opcode ${e.a}, flags 0x${(Number(e.b) & 0xff).toString(16)}`;
    case 'sim_sq_head_commit':
      return `sq.head = ${e.a}`;
    case 'sim_cq_tail_commit':
      return `cq.tail = ${e.a}`;
    case 'sim_sys_exit':
      return `returns ${e.a}`;
    default:
      return `req ${e.req}, ${ud}, a ${e.a}, b ${e.b}`;
  }
}

function EventLogComponent({ events }: { events: TraceEvent[] }) {
  if (events.length === 0) return <p className="event-log empty">No kernel events in this step.</p>;
  return (
    <ol className="event-log" aria-label="Trace events of this step">
      {events.map((e, i) => (
        <li key={i} data-event={e.event} className={e.event.startsWith('sanitizer_') ? 'sanitizer' : undefined}>
          <span className="ctx">{e.ctx}</span> <code>{e.event}</code>: {describeEvent(e)}
        </li>
      ))}
    </ol>
  );
}

export const EventLog = memo(EventLogComponent);
EventLog.displayName = 'EventLog';

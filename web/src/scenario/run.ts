/**
 * Running a scenario headless: compile it, then render its trace as text lines or JSON records.
 * Shared by `ringside run` (cli/run.ts) and the golden-trace test.
 */
import { SimController } from '../sim/controller';
import type { TraceEvent } from '../wasm/decode';
import type { Core } from '../wasm/load';
import type { Scenario } from './format';
import { type FormatOptions, formatRecord, recordJson, relativizeUserAddrs } from './traceText';

/** A compiled scenario and what it produced. */
export interface ScenarioRun {
  controller: SimController;
  /** Every trace record, in order. */
  events: TraceEvent[];
  /** Formatting options for this run (the user-memory base). */
  format: FormatOptions;
}

/** Compiles `scenario` on `core` (which is reinitialised). */
export function runScenario(core: Core, scenario: Scenario): ScenarioRun {
  const controller = SimController.compile(core, scenario);
  const events = controller.frames.flatMap((f) => f.events);
  const userBase = core.call((e) => e.rs_user_mem_base()) >>> 0;
  const userLen = core.call((e) => e.rs_user_mem_len()) >>> 0;
  return { controller, events, format: { userBase, userLen } };
}

/** The run as `TP_printk`-like text, with `#` lines naming each program operation. */
export function traceText(run: ScenarioRun, scenario: Scenario): string {
  const out = [`# ${scenario.id}: ${scenario.title}`];
  for (const f of run.controller.frames) {
    if (f.index === 0) out.push(`# setup: ${f.label}`);
    else if (f.actor === 'app' && (f.beat?.n ?? 1) === 1) {
      const op = scenario.program[f.op];
      out.push(`# op ${f.op} ${op ? op.op : '?'}: ${relativizeUserAddrs(f.label, run.format)}`);
    }
    for (const e of f.events) out.push(formatRecord(e, run.format));
  }
  return `${out.join('\n')}\n`;
}

/** The run as JSON lines, one object per trace record. */
export function traceJsonLines(run: ScenarioRun): string {
  return run.events.map((e) => `${JSON.stringify(recordJson(e, run.format))}\n`).join('');
}

/** Names of the sanitizer reports in a run, in order. */
export function sanitizerReports(run: ScenarioRun): string[] {
  return run.events.filter((e) => e.event.startsWith('sanitizer_')).map((e) => e.event);
}

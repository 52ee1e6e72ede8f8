/**
 * Reading an uploaded or pasted scenario: JSON syntax errors name the line and column, and
 * schema errors come from the validator with their JSON pointers. Nothing here throws.
 */
import type { Scenario } from '../scenario/format';
import { ScenarioError, validateScenario } from '../scenario/validate';

export type ScenarioFileResult = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

/** The largest scenario file accepted. */
export const MAX_SCENARIO_BYTES = 512 * 1024;

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${col}`;
}

export function readScenarioText(text: string): ScenarioFileResult {
  if (text.length > MAX_SCENARIO_BYTES)
    return { ok: false, errors: [`the file is too large (${text.length} bytes; at most ${MAX_SCENARIO_BYTES})`] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(msg);
    return { ok: false, errors: [`not valid JSON${m ? ` at ${position(text, Number(m[1]))}` : ''}: ${msg}`] };
  }
  try {
    return { ok: true, scenario: validateScenario(doc) };
  } catch (e) {
    if (e instanceof ScenarioError)
      return { ok: false, errors: e.errors.map((x) => `${x.path || '/'}: expected ${x.expected}, found ${x.found}`) };
    return { ok: false, errors: [String(e)] };
  }
}

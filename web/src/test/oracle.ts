/**
 * What the page must show at every frame of a scenario, computed in Node from the same core
 * (for the browser walkthrough, tests/browser/walkthrough.test.mjs, which loads this through
 * tsx). Ring indices come straight from the frames the controller read out of shared memory;
 * lanes, states, captions and code lines from the store's fold and the caption module.
 */
import { readFile } from 'node:fs/promises';
import { functionForOp, functionsOfStep } from '../captions/kernelFunctions';
import { HAS_SOURCE_FILES, sourcePath } from '../captions/sources';
import { STOP_KINDS } from '../captions/stops';
import { validateScenario } from '../scenario/validate';
import { SimController } from '../sim/controller';
import { deriveModels, resolveChapters } from '../store/model';
import { loadCoreFromBytes } from '../wasm/load';

export interface ExpectedFrame {
  index: number;
  sq: { head: number; tail: number };
  cq: { head: number; tail: number };
  stops: string[];
  caption: string;
  /** The request the views follow, where its token is and the diagram box that is lit. */
  focus: { serial: number; lane: string; state: string; active: boolean } | null;
  diagram: string | null;
  /** The source line shown as running, when the core reports sources. */
  code: { file: string; line: number; now: boolean } | null;
  /** The upstream functions listed for the step. */
  functions: string[];
  sanitizers: string[];
}

export interface ExpectedWalk {
  id: string;
  title: string;
  frames: ExpectedFrame[];
  chapters: { title: string; frame: number }[];
  stopKinds: readonly string[];
  hasSources: boolean;
}

/** Compiles a scenario document with the core at `wasmPath` and lists what each frame shows. */
export async function expectedWalk(doc: unknown, wasmPath: string): Promise<ExpectedWalk> {
  const core = await loadCoreFromBytes(await readFile(wasmPath));
  const s = validateScenario(doc);
  const c = SimController.compile(core, s);
  const { models } = deriveModels(c.frames, (f) => (f.index > 0 && f.op >= 0 ? s.program[f.op] : undefined));
  const frames: ExpectedFrame[] = c.frames.map((f, i) => {
    const m = models[i];
    if (!m) throw new Error(`no model for frame ${i}`);
    const t = m.reqs.find((r) => r.serial === m.focus) ?? null;
    let code: ExpectedFrame['code'] = null;
    for (let k = i; k >= 0 && k > i - 64; k--) {
      const e = models[k]?.codeEvent;
      if (e) {
        const path = sourcePath(e.srcFile);
        if (path) code = { file: path, line: e.srcLine, now: k === i };
        break;
      }
    }
    const opFn = f.actor === 'app' && m.op ? functionForOp(m.op.op) : null;
    return {
      index: f.index,
      sq: { head: f.ring.sqHead, tail: f.ring.sqTail },
      cq: { head: f.ring.cqHead, tail: f.ring.cqTail },
      stops: m.stops,
      caption: m.caption,
      focus: t ? { serial: t.serial, lane: t.lane, state: t.state, active: t.active } : null,
      diagram: t ? (t.state === 'free' ? 'done' : t.state) : f.ring.sqTail !== f.ring.sqHead ? 'sqe' : null,
      code,
      functions: [...(opFn ? [opFn.name] : []), ...functionsOfStep(f.events).map((x) => x.name)],
      sanitizers: f.events.filter((e) => e.event.startsWith('sanitizer_')).map((e) => e.event),
    };
  });
  const chapters = resolveChapters(s, c.frames, c.opFrames).map((ch) => ({ title: ch.title, frame: ch.frame }));
  return { id: s.id, title: s.title, frames, chapters, stopKinds: STOP_KINDS, hasSources: HAS_SOURCE_FILES };
}

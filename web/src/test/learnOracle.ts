/**
 * What the first-timer's aids must show, computed in Node from the same core (for the browser
 * tests in tests/browser/learn.test.mjs, loaded through tsx): a scenario's checkpoints with the
 * frame each asks before and the answer the run gives, the frame each chapter starts on, and the
 * simulated time of every frame.
 */
import { readFile } from 'node:fs/promises';
import { resolveCheckpoints } from '../learn/checkpoints';
import { resolveChapters } from '../store/model';
import { validateScenario } from '../scenario/validate';
import { SimController } from '../sim/controller';
import { loadCoreFromBytes } from '../wasm/load';

export async function expectedLearn(doc: unknown, wasmPath: string) {
  const core = await loadCoreFromBytes(await readFile(wasmPath));
  const s = validateScenario(doc);
  const c = SimController.compile(core, s);
  const checkpoints = resolveCheckpoints(s, c.frames, c.opFrames).map(({ frame, answer, question, options }) => ({
    frame,
    answer,
    question,
    options,
  }));
  const chapters = resolveChapters(s, c.frames, c.opFrames).map((ch) => ch.frame);
  return { checkpoints, chapters, timeNs: c.frames.map((f) => f.timeNs), last: c.frames.length - 1 };
}

export { checkChromeTrace } from '../share/chromeTrace';

/** Node-side truth for the browser tests: where each chapter of a scenario starts. */
import { readFile } from 'node:fs/promises';
import { validateScenario } from '../scenario/validate';
import { SimController } from '../sim/controller';
import { resolveChapters } from '../store/model';
import { loadCoreFromBytes } from '../wasm/load';

export async function chapterStarts(
  doc: unknown,
  wasmPath: string,
): Promise<{ id: string; frames: number; chapters: { title: string; frame: number }[] }> {
  const core = await loadCoreFromBytes(await readFile(wasmPath));
  const s = validateScenario(doc);
  const c = SimController.compile(core, s);
  return {
    id: s.id,
    frames: c.frames.length,
    chapters: resolveChapters(s, c.frames, c.opFrames).map((ch) => ({ title: ch.title, frame: ch.frame })),
  };
}

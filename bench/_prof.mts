import { readFileSync } from 'node:fs';
import { SimController } from '../web/src/sim/controller';
import { validateScenario } from '../web/src/scenario/validate';
import { loadCoreFromDisk } from '../web/src/wasm/node';
const core = await loadCoreFromDisk();
const s = validateScenario(JSON.parse(readFileSync(`scenarios/many-in-flight.json`, 'utf8')));
const t0 = performance.now();
const c = SimController.compile(core, s);
console.log(c.frames.length, Math.round(performance.now() - t0));

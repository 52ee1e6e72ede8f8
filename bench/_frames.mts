import { SimController } from '../web/src/sim/controller';
import { validateScenario } from '../web/src/scenario/validate';
import { loadCoreFromDisk } from '../web/src/wasm/node';
const core = await loadCoreFromDisk();
const N = Number(process.argv[2] ?? 64), B = Number(process.argv[3] ?? 1);
const program: any[] = [{ op: 'open', device: 'm', as: 'dev' }];
let ud = 1;
for (let b = 0; b < B; b++) {
  for (let i = 0; i < N; i++) program.push({ op: 'prep', sqe: { opcode: 'URING_CMD', fd: 'dev', cmd_op: 0, user_data: ud++, ...(process.env.F ? { flags: [process.env.F] } : {}) } });
  program.push({ op: 'submit', wait: N }); program.push({ op: 'reap' });
}
const s = validateScenario({ format: 'ringside-scenario', version: 1, id: 'x', title: 'x', intro: 'x', api: 'v5', ring: { entries: N }, devices: [{ name: 'm', driver: 'rust_misc_device' }], program });
const t0 = performance.now();
const c = SimController.compile(core, s);
console.log(program.length, c.frames.length, Math.round(performance.now() - t0), 'ms', JSON.stringify(s).length, 'json chars');
const lab = new Map(); for (const f of c.frames) lab.set(f.label.split(' ')[0], (lab.get(f.label.split(' ')[0]) ?? 0) + 1);
console.log([...lab].slice(0, 30).join(' | '));

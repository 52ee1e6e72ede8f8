// Programs the project does not write, recorded on the real kernel with `ringside record`
// (docs/tracepoints.md): Debian's fio with --ioengine=io_uring, and liburing's link-cp example
// (from liburing-dev's examples, built here). Each recording must open in the app's reader and
// show what the program did: reads and writes submitted and completed, the link, the io-wq
// punt. Skipped, with the reason, without root and tracefs, fio, or liburing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tsImport } from 'tsx/esm/api';

export const name = 'program recordings (ringside record: fio, liburing link-cp)';

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;

export async function run({ root, run: sh }) {
  const out = [];
  const say = (l) => {
    console.log(l);
    out.push(l);
  };
  let passed = 0;
  let failed = 0;
  const { unavailableReason } = await import(join(root, 'conformance', 'tracefs.mjs'));
  const why = unavailableReason();
  if (why) {
    say(`skipped: cannot capture io_uring tracepoints here (${why})`);
    return { passed, failed, out: out.join('\n') };
  }
  const { readRecordingText, requestLives } = await tsImport(
    join(root, 'web', 'src', 'recording', 'format.ts'),
    import.meta.url,
  );
  const tmp = mkdtempSync(join(tmpdir(), 'ringside-programs-'));
  const bin = join(root, 'bin', 'ringside.mjs');
  const record = (label, argv, check) => {
    const file = join(tmp, `${label}.json`);
    const r = sh(process.execPath, [bin, 'record', '--out', file, '--', ...argv], { cwd: tmp });
    const problems = [];
    if (r.status !== 0) problems.push(`ringside record exited with ${r.status}: ${r.out.trim()}`);
    else {
      const rec = readRecordingText(readFileSync(file, 'utf8'));
      if (!rec.ok) problems.push(...rec.errors);
      else problems.push(...check(rec.recording, requestLives(rec.recording.events)));
    }
    if (problems.length) {
      failed++;
      out.push(`${label}: ${problems.join('; ')}`);
    } else {
      passed++;
      say(`${label}: ${/ringside record: ([^;]*)/.exec(r.out)?.[1] ?? 'recorded'}`);
    }
  };
  try {
    if (!which('fio')) say('fio: skipped (fio is not installed)');
    else {
      record(
        'fio',
        [
          'fio',
          '--name=ringside',
          '--ioengine=io_uring',
          `--filename=${join(tmp, 'fio.dat')}`,
          '--size=256k',
          '--rw=randrw',
          '--bs=4k',
          '--iodepth=4',
          '--force_async=8',
          '--output=/dev/null',
        ],
        (r, lives) => {
          const p = [];
          const ops = new Set(r.events.filter((e) => e.event === 'submit_req').map((e) => e.opcode));
          if (!ops.has('READ') || !ops.has('WRITE'))
            p.push(`expected READ and WRITE submissions, found ${[...ops].join(', ')}`);
          if (lives.length < 64 || lives.some((l) => l.result !== 4096))
            p.push(`expected at least 64 requests of 4096 bytes, found ${lives.length}`);
          if (!r.events.some((e) => e.event === 'queue_async_work'))
            p.push('force_async should punt requests to io-wq');
          if (r.lostEvents) p.push(`${r.lostEvents} events lost`);
          return p;
        },
      );
    }
    const example = '/usr/share/doc/liburing-dev/examples/link-cp.c';
    const source = [example, `${example}.gz`].find((f) => existsSync(f));
    if (!source || !existsSync('/usr/include/liburing.h'))
      say('link-cp: skipped (liburing-dev and its examples are not installed)');
    else {
      const c = join(tmp, 'link-cp.c');
      const raw = readFileSync(source);
      writeFileSync(c, source.endsWith('.gz') ? gunzipSync(raw) : raw);
      const b = sh('gcc', ['-O2', '-o', join(tmp, 'link-cp'), c, '-luring']);
      if (b.status !== 0) say(`link-cp: skipped (it does not build here: ${b.out.trim().split('\n')[0]})`);
      else {
        writeFileSync(join(tmp, 'in.bin'), Buffer.alloc(200_000, 7));
        record('link-cp', [join(tmp, 'link-cp'), join(tmp, 'in.bin'), join(tmp, 'out.bin')], (r, lives) => {
          const p = [];
          if (!r.events.some((e) => e.event === 'link'))
            p.push('expected io_uring_link events (READV linked to WRITEV)');
          if (!r.threads.some((t) => t.ctx === 'iowq')) p.push('expected an io-wq worker lane');
          const total = lives.filter((l) => l.opcode === 'WRITEV').reduce((a, l) => a + (l.result ?? 0), 0);
          if (total !== 200_000) p.push(`the WRITEVs should complete 200000 bytes, found ${total}`);
          if (!readFileSync(join(tmp, 'out.bin')).equals(readFileSync(join(tmp, 'in.bin'))))
            p.push('link-cp did not copy the file');
          return p;
        });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { passed, failed, out: out.join('\n') };
}

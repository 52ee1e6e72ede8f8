// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { EXPORT_HEIGHT, EXPORT_WIDTH, frameSvg, pngSize } from './exportFrame';
import { traceDocument } from './traceExport';

describe('frame export', () => {
  it('builds an SVG document that parses, with its text escaped', () => {
    document.body.innerHTML =
      '<main class="stage"><section class="panel"><h2>Rings</h2><svg viewBox="0 0 10 10" class="x"><circle cx="5" cy="5" r="4"/><text>a &lt; b</text></svg></section></main>';
    const svg = frameSvg(document.querySelector('.stage')!, {
      title: '<img src=x onerror=alert(1)>',
      caption: 'a & b',
      step: 'step 1 of 2',
    });
    const d = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(d.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(d.documentElement.getAttribute('width')).toBe(String(EXPORT_WIDTH));
    expect(d.documentElement.getAttribute('height')).toBe(String(EXPORT_HEIGHT));
    expect(d.getElementsByTagName('img')).toHaveLength(0);
    expect(d.documentElement.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('reads a PNG size from its IHDR chunk', () => {
    const b = new Uint8Array(24);
    b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(b.buffer).setUint32(16, 1600);
    new DataView(b.buffer).setUint32(20, 900);
    expect(pngSize(b)).toEqual({ width: 1600, height: 900 });
    expect(pngSize(new Uint8Array(24))).toBeNull();
  });

  it('writes the trace with 64-bit values as decimal strings', () => {
    const ev = {
      step: 1,
      event: 'io_uring_complete' as const,
      ctx: 'io_uring' as const,
      ring: 1,
      req: 2,
      srcFile: 0,
      srcLine: 0,
      timeNs: 100,
      userData: 2n ** 63n,
      a: -11n,
      b: 0n,
    };
    const doc = traceDocument(
      [
        {
          index: 1,
          actor: 'kernel',
          label: 'x',
          timeNs: 100,
          coreStep: 1,
          taskState: 0,
          lastRet: 0,
          ring: { sqHead: 1, sqTail: 1, cqHead: 0, cqTail: 1, cqOverflow: 0, sqDropped: 0 },
          events: [ev],
        },
      ],
      'demo',
      'v5',
    );
    expect(doc.frames[0]?.records[0]).toEqual({
      step: 1,
      time_ns: 100,
      ctx: 'io_uring',
      event: 'io_uring_complete',
      ring: 1,
      req: 2,
      user_data: '9223372036854775808',
      a: '-11',
      b: '0',
    });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

/**
 * Export of the frame on screen as one SVG document and as a PNG.
 *
 * The app draws its rings, lanes, state diagram and timeline as SVG. The export clones each of
 * those SVGs where it sits on the stage, inlines the computed styles of every element (so the
 * file needs none of the page's CSS, and the theme's colours come along), draws each panel's
 * frame and title, and puts the caption on top. The PNG is that SVG rasterised through a
 * canvas at a fixed size ({@link EXPORT_WIDTH} × {@link EXPORT_HEIGHT}). Panels drawn in HTML
 * (the inspector) come as their text, line by line.
 */

export const EXPORT_WIDTH = 1600;
export const EXPORT_HEIGHT = 900;

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Presentation properties copied from the computed style of every SVG element. */
const PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'visibility',
  'display',
] as const;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inlineStyles(src: Element, dst: Element, view: Window & typeof globalThis) {
  const cs = view.getComputedStyle(src);
  const decl: string[] = [];
  for (const p of PROPS) {
    const v = cs.getPropertyValue(p);
    if (v) decl.push(`${p}:${v}`);
  }
  // CSS transforms (e.g. the timeline cursor's translateX) become the SVG attribute.
  const t = cs.getPropertyValue('transform');
  if (t && t !== 'none' && src.namespaceURI === SVG_NS && src.localName !== 'svg') dst.setAttribute('transform', t);
  dst.setAttribute('style', decl.join(';'));
  dst.removeAttribute('class');
  const a = src.children;
  const b = dst.children;
  for (let i = 0; i < a.length && i < b.length; i++) inlineStyles(a[i] as Element, b[i] as Element, view);
}

/** What goes on the exported frame besides the SVG panels. */
export interface FrameText {
  title: string;
  caption: string;
  step: string;
}

/**
 * Builds the SVG document of the frame under `stage`: every visible top-level SVG of it (not
 * the icons in buttons) at its place, the panels' frames, and the title and caption on top.
 */
export function frameSvg(stage: Element, text: FrameText): string {
  const view = stage.ownerDocument.defaultView as Window & typeof globalThis;
  const svgs = Array.from(stage.querySelectorAll('svg')).filter(
    (s) => !s.parentElement?.closest('svg') && !s.closest('button') && s.getBoundingClientRect().width >= 2,
  );
  const panels = Array.from(stage.querySelectorAll('.panel')).filter((p) => p.getBoundingClientRect().width >= 2);
  // The drawn area: the panels and the SVGs (the caption is drawn as text above it).
  const rects = [...panels, ...svgs].map((e) => e.getBoundingClientRect());
  const root = rects.length
    ? {
        left: Math.min(...rects.map((r) => r.left)),
        top: Math.min(...rects.map((r) => r.top)),
        right: Math.max(...rects.map((r) => r.right)),
        bottom: Math.max(...rects.map((r) => r.bottom)),
      }
    : { left: 0, top: 0, right: 1, bottom: 1 };
  const w = Math.max(1, root.right - root.left);
  const h = Math.max(1, root.bottom - root.top);
  const top = 90;
  const k = Math.min((EXPORT_WIDTH - 32) / w, (EXPORT_HEIGHT - top - 16) / h);
  const ox = (EXPORT_WIDTH - w * k) / 2;
  const body = view.getComputedStyle(stage.ownerDocument.body);
  const bg = body.backgroundColor || '#ffffff';
  const fg = body.color || '#000000';
  const font = body.fontFamily || 'sans-serif';
  const parts: string[] = [];
  parts.push(`<rect width="${EXPORT_WIDTH}" height="${EXPORT_HEIGHT}" fill="${esc(bg)}"/>`);
  parts.push(
    `<text x="24" y="34" style="font-family:${esc(font)};font-size:20px;font-weight:700;fill:${esc(fg)}">${esc(text.title)}<tspan dx="12" style="font-weight:400;font-size:16px;opacity:0.7">${esc(text.step)}</tspan></text>`,
  );
  parts.push(
    `<text x="24" y="68" style="font-family:${esc(font)};font-size:22px;fill:${esc(fg)}">${esc(text.caption.length > 130 ? `${text.caption.slice(0, 127)}…` : text.caption)}</text>`,
  );
  parts.push(`<g transform="translate(${ox.toFixed(2)},${top}) scale(${k.toFixed(5)})">`);
  const x = (r: DOMRect) => (r.left - root.left).toFixed(1);
  const y = (r: DOMRect) => (r.top - root.top).toFixed(1);
  for (const panel of panels) {
    const r = panel.getBoundingClientRect();
    const cs = view.getComputedStyle(panel);
    parts.push(
      `<rect x="${x(r)}" y="${y(r)}" width="${r.width.toFixed(1)}" height="${r.height.toFixed(1)}" rx="10" style="fill:${esc(cs.backgroundColor)};stroke:${esc(cs.borderTopColor)};stroke-width:1"/>`,
    );
  }
  // The panels' HTML text (ring counters, the inspector's code, bytes or trace) where it shows.
  let budget = 3000;
  for (const panel of panels) {
    const walker = stage.ownerDocument.createTreeWalker(panel, 4 /* NodeFilter.SHOW_TEXT */);
    const clipOf = new Map<Element, { l: number; t: number; r: number; b: number } | null>();
    const clip = (el: Element): { l: number; t: number; r: number; b: number } | null => {
      if (clipOf.has(el)) return clipOf.get(el) ?? null;
      const pr = el.getBoundingClientRect();
      let c: { l: number; t: number; r: number; b: number } | null = null;
      const cs = view.getComputedStyle(el);
      if (el === panel || cs.overflowX !== 'visible' || cs.overflowY !== 'visible')
        c = { l: pr.left, t: pr.top, r: pr.right, b: pr.bottom };
      if (el !== panel && el.parentElement) {
        const up = clip(el.parentElement);
        if (up)
          c = c
            ? { l: Math.max(c.l, up.l), t: Math.max(c.t, up.t), r: Math.min(c.r, up.r), b: Math.min(c.b, up.b) }
            : up;
      }
      clipOf.set(el, c);
      return c;
    };
    for (let n = walker.nextNode(); n && budget > 0; n = walker.nextNode()) {
      const el = n.parentElement;
      const t = n.textContent ?? '';
      if (!el || !t.trim() || el.closest('svg') || el.closest('button, select, input, textarea, .visually-hidden'))
        continue;
      const range = stage.ownerDocument.createRange();
      range.selectNodeContents(n);
      const rs = Array.from(range.getClientRects());
      const c = clip(el);
      const cs = view.getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.opacity === '0') continue;
      // One <text> per line box: a wrapped text node is cut into its lines word by word.
      const lines: { text: string; rect: DOMRect }[] = [];
      if (rs.length <= 1) {
        if (rs[0]) lines.push({ text: t, rect: rs[0] });
      } else {
        const re = /\S+\s*/g;
        for (let m = re.exec(t); m; m = re.exec(t)) {
          range.setStart(n, m.index);
          range.setEnd(n, m.index + m[0].length);
          const wr = range.getBoundingClientRect();
          const last = lines[lines.length - 1];
          if (last && Math.abs(last.rect.top - wr.top) < 2) last.text += m[0];
          else lines.push({ text: m[0], rect: wr });
        }
      }
      const size = parseFloat(cs.fontSize) || 12;
      for (const { text: body, rect: r } of lines) {
        if (!c || r.width < 1 || r.top < c.t - 2 || r.bottom > c.b + 2 || r.right <= c.l || r.left >= c.r) continue;
        budget--;
        parts.push(
          `<text x="${(r.left - root.left).toFixed(1)}" y="${(r.top - root.top + r.height * 0.78).toFixed(1)}" style="font-family:${esc(cs.fontFamily)};font-size:${size}px;font-weight:${cs.fontWeight};font-style:${cs.fontStyle};fill:${esc(cs.color)};white-space:pre" xml:space="preserve">${esc(body.replace(/\s+$/, ''))}</text>`,
        );
      }
    }
  }
  for (const s of svgs) {
    const r = s.getBoundingClientRect();
    const clone = s.cloneNode(true) as SVGSVGElement;
    inlineStyles(s, clone, view);
    clone.setAttribute('x', x(r));
    clone.setAttribute('y', y(r));
    clone.setAttribute('width', r.width.toFixed(1));
    clone.setAttribute('height', r.height.toFixed(1));
    for (const a of [
      'role',
      'tabindex',
      'aria-label',
      'aria-valuemin',
      'aria-valuemax',
      'aria-valuenow',
      'aria-valuetext',
      'data-testid',
    ])
      clone.removeAttribute(a);
    parts.push(new view.XMLSerializer().serializeToString(clone));
  }
  parts.push('</g>');
  return `<svg xmlns="${SVG_NS}" width="${EXPORT_WIDTH}" height="${EXPORT_HEIGHT}" viewBox="0 0 ${EXPORT_WIDTH} ${EXPORT_HEIGHT}">${parts.join('')}</svg>`;
}

/** Rasterises an SVG document to a PNG of the export size. */
export async function svgToPng(svg: string, width = EXPORT_WIDTH, height = EXPORT_HEIGHT): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image(width, height);
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no PNG'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Reads the width and height from a PNG's IHDR chunk (null if it is not a PNG). */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) return null;
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

/** Offers a file to the viewer (a download). */
export function download(name: string, data: Blob | string, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

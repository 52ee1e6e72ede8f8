// The font-size survey: every piece of text a viewer can see (in the window, not clipped by a
// scrolling or clipping box, not transparent), with its rendered size in CSS pixels. SVG text is
// measured after the SVG's scaling (its screen matrix), so a 10px label in a shrunken diagram
// counts as what it is on screen. Runs inside the page (page.evaluate).

/** @returns {{ text: string, px: number, where: string }[]} */
export function surveyText() {
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const intersect = (a, b) => ({
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.min(a.bottom, b.bottom),
  });
  const area = (r) => Math.max(0, r.right - r.left) * Math.max(0, r.bottom - r.top);
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      const cls = typeof e.className === 'string' ? e.className : (e.className?.baseVal ?? '');
      parts.unshift(`${e.tagName.toLowerCase()}${cls ? `.${cls.trim().split(/\s+/).join('.')}` : ''}`);
    }
    return parts.join(' > ');
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent ?? '').trim();
    if (!text) continue;
    const el = n.parentElement;
    if (!el || el.closest('title, script, style, option, [aria-hidden="true"] title')) continue;
    if (
      typeof el.checkVisibility === 'function' &&
      !el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })
    )
      continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const rects = [...range.getClientRects()].filter((r) => r.width > 1.5 && r.height > 1.5);
    if (!rects.length) continue;
    // Clip by the window and by every ancestor that clips its overflow.
    let clip = { left: 0, top: 0, right: vw, bottom: vh };
    for (let a = el; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible' || cs.clip !== 'auto') {
        const r = a.getBoundingClientRect();
        clip = intersect(clip, r);
      }
    }
    const seen = rects.some((r) => area(intersect(r, clip)) > 0.3 * area(r));
    if (!seen) continue;
    let px = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) {
      const t = el.closest('text') ?? el;
      const m = t.getScreenCTM?.();
      if (m) px *= Math.hypot(m.a, m.b);
    }
    out.push({ text: text.slice(0, 40), px: Math.round(px * 10) / 10, where: where(el) });
  }
  return out;
}

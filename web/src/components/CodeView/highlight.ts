/**
 * Rust syntax highlighting with highlight.js (core + the Rust grammar only, to keep the bundle
 * small), split into lines so a line can be marked as the one running.
 */
import hljs from 'highlight.js/lib/core';
import rust from 'highlight.js/lib/languages/rust';

hljs.registerLanguage('rust', rust);

/**
 * Splits highlight.js HTML into one HTML string per source line. Spans that cross a line break
 * (block comments, raw strings) are closed at the end of the line and reopened on the next, so
 * every line is well-formed on its own.
 */
export function splitHighlighted(html: string): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  let cur = '';
  for (const m of html.matchAll(/(<span[^>]*>)|(<\/span>)|(\n)|([^<\n]+)/g)) {
    if (m[1]) {
      open.push(m[1]);
      cur += m[1];
    } else if (m[2]) {
      open.pop();
      cur += m[2];
    } else if (m[3]) {
      lines.push(cur + '</span>'.repeat(open.length));
      cur = open.join('');
    } else {
      cur += m[4];
    }
  }
  lines.push(cur + '</span>'.repeat(open.length));
  return lines;
}

/** Highlights Rust source and returns one HTML string per line (escaped by highlight.js). */
export function highlightRust(code: string): string[] {
  return splitHighlighted(hljs.highlight(code, { language: 'rust', ignoreIllegals: true }).value);
}

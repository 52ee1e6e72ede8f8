/**
 * Keyboard commands: a speaker's clicker (PageDown/PageUp), the space bar, number keys for
 * chapters, and the rest of the sheet in components/KeyboardHelp. Keys typed into a field are
 * left alone, and Space on a focused button presses the button instead of advancing.
 */
import {
  THEMES,
  back,
  faster,
  forward,
  jumpToChapter,
  nextStop,
  prevStop,
  presentChapter,
  presentEdge,
  presentNext,
  presentPrev,
  setPresenting,
  toggleBlank,
  toggleFocus,
  type FocusPanel,
  setInspector,
  setPage,
  setTheme,
  simStore,
  slower,
  stepKernel,
  toEnd,
  toStart,
  toggleHelp,
  togglePlay,
} from '../store';

/** Whether keys typed at `t` belong to a field (text, number, range, select, editable). */
export function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof Element)) return false;
  if (t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  if (t instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(t.type);
  return (t as HTMLElement).isContentEditable === true;
}

function pressable(t: EventTarget | null): boolean {
  if (!(t instanceof Element)) return false;
  return t.closest('button, a[href], summary, [role="button"], [role="tab"], input[type="checkbox"]') !== null;
}

/** One step forward; in free play at the end of the recorded timeline, one kernel step. */
function advance() {
  const s = simStore.getState();
  if (s.mode === 'free' && s.cursor >= s.frames.length - 1) stepKernel();
  else forward();
}

/**
 * Keys that switch the focused stage's panels (projector theme, presenter mode). In presenter
 * mode B stays the clicker's blank key, so the bytes are on Y there.
 */
const FOCUS_KEYS: Record<string, FocusPanel> = {
  c: 'code',
  r: 'rings',
  w: 'lanes',
  s: 'state',
  y: 'bytes',
  t: 'trace',
};

function focusKey(e: KeyboardEvent, presenting: boolean): boolean {
  const k = e.key.length === 1 ? e.key.toLowerCase() : '';
  const p = FOCUS_KEYS[k] ?? (!presenting && k === 'b' ? 'bytes' : undefined);
  if (!p || e.key === 'T') return false;
  toggleFocus(p);
  return true;
}

/** Moves the keyboard to the code panel (it is always on screen). */
function focusCode() {
  const el = document.querySelector<HTMLElement>('[data-testid="code-panel"]');
  el?.focus();
}

/**
 * Presenter mode's keys: what clickers send (PageDown/PageUp, the arrows, B or period for the
 * blank screen) plus Home/End, chapter numbers and Escape to leave.
 */
function presenterKey(e: KeyboardEvent): boolean {
  switch (e.key) {
    case 'PageDown':
    case 'ArrowRight':
    case 'ArrowDown':
    case ' ':
    case 'Enter':
      presentNext();
      return true;
    case 'PageUp':
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'Backspace':
      presentPrev();
      return true;
    case 'b':
    case 'B':
    case '.':
      toggleBlank();
      return true;
    case 'Home':
      presentEdge('first');
      return true;
    case 'End':
      presentEdge('last');
      return true;
    case 'Escape':
      setPresenting(false);
      if (document.fullscreenElement) void document.exitFullscreen?.().catch(() => {});
      return true;
    default:
      if (/^[0-9]$/.test(e.key)) {
        presentChapter(e.key === '0' ? 9 : Number(e.key) - 1);
        return true;
      }
      return focusKey(e, true);
  }
}

/** Handles a key press; returns whether it was used. */
export function handleKey(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return false;
  if (isTypingTarget(e.target)) return false;
  const s = simStore.getState();
  if (s.share) return false;
  if (s.presenting && s.status === 'ready') return presenterKey(e);
  if (s.help) {
    if (e.key === '?') {
      toggleHelp();
      return true;
    }
    return false;
  }
  if (e.key === '?') {
    toggleHelp();
    return true;
  }
  if (e.key === 'Escape' && s.page !== 'main') {
    setPage('main');
    return true;
  }
  if (e.key === 'l' || e.key === 'L') {
    setPage(s.page === 'library' ? 'main' : 'library');
    return true;
  }
  if (e.key === 'm' || e.key === 'M') {
    setPage(s.page === 'model' ? 'main' : 'model');
    return true;
  }
  if (e.key === 'T') {
    setTheme(THEMES[(THEMES.indexOf(s.theme) + 1) % THEMES.length] ?? 'light');
    return true;
  }
  if (s.page !== 'main' || s.status !== 'ready') return false;
  if (s.theme === 'projector' && focusKey(e, false)) return true;
  switch (e.key) {
    case ' ':
      if (pressable(e.target)) return false;
      advance();
      return true;
    case '.':
    case 'PageDown':
    case 'ArrowRight':
      advance();
      return true;
    case 'PageUp':
    case 'Backspace':
    case 'ArrowLeft':
      back();
      return true;
    case 'Home':
      toStart();
      return true;
    case 'End':
      toEnd();
      return true;
    case ']':
      nextStop();
      return true;
    case '[':
      prevStop();
      return true;
    case 'p':
    case 'P':
      togglePlay();
      return true;
    case '+':
    case '=':
      faster();
      return true;
    case '-':
    case '_':
      slower();
      return true;
    case 'c':
      focusCode();
      return true;
    case 'b':
      setInspector('bytes');
      return true;
    case 't':
      setInspector('trace');
      return true;
    case 'g':
    case 'G': {
      const el = document.querySelector<HTMLInputElement>('[data-testid="jump"]');
      el?.focus();
      el?.select();
      return true;
    }
    default:
      if (/^[0-9]$/.test(e.key)) {
        jumpToChapter(e.key === '0' ? 9 : Number(e.key) - 1);
        return true;
      }
      return false;
  }
}

/** Listens for keys on `target`; returns the function that stops listening. */
export function installKeyboard(target: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (handleKey(e)) e.preventDefault();
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}

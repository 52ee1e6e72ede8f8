/** The keyboard sheet (`?`). */
import { memo, useEffect, useRef } from 'react';
import { selHelp, setHelp, useSim } from '../../store';

/** Every key the page answers to, for the sheet (the handler lives in app/keyboard.ts). */
export const KEYS: [string, string][] = [
  ['Space  .  PageDown  →', 'next step'],
  ['PageUp  Backspace  ←', 'previous step'],
  ['Home  End', 'first / last step'],
  ['1 … 9, 0', 'jump to chapter 1 … 10'],
  [']  [', 'next / previous semantic stop'],
  ['P', 'play / pause'],
  ['+  −', 'faster / slower'],
  ['G', 'jump to step N (type it, then Enter)'],
  ['C', 'to the code panel'],
  ['B  T', 'bytes, trace inspector'],
  ['C  R  W  S  B  T', 'projector theme: show or hide code, rings, lanes (who runs), state, bytes, trace'],
  ['L', 'scenario library'],
  ['M', 'model and simplifications'],
  ['Shift+T', 'next theme (light, dark, projector)'],
  ['?', 'this sheet'],
  ['Esc', 'close a sheet or page'],
];

/** Presenter mode's keys (what clickers send). */
export const PRESENTER_KEYS: [string, string][] = [
  ['PageDown  →  ↓  Space', 'next (a chapter shows its title card first)'],
  ['PageUp  ←  ↑', 'previous'],
  ['B  .', 'blank the screen / bring it back'],
  ['1 … 9, 0', 'chapter title card'],
  ['C  R  W  S  Y  T', 'show or hide code, rings, lanes (who runs), state, bytes, trace (two at a time)'],
  ['Esc', 'leave presenter mode'],
];

function Rows({ keys }: { keys: [string, string][] }) {
  return (
    <tbody>
      {keys.map(([k, what]) => (
        <tr key={k}>
          <th scope="row">
            {k.split(/\s{2,}/).map((x) => (
              <kbd key={x}>{x}</kbd>
            ))}
          </th>
          <td>{what}</td>
        </tr>
      ))}
    </tbody>
  );
}

function KeyboardHelpComponent() {
  const open = useSim(selHelp);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    } else if (!open && d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="help"
      aria-labelledby="help-title"
      onClose={() => setHelp(false)}
      onCancel={() => setHelp(false)}
    >
      <h2 id="help-title">Keyboard</h2>
      <table>
        <Rows keys={KEYS} />
      </table>
      <h3>In presenter mode</h3>
      <table>
        <Rows keys={PRESENTER_KEYS} />
      </table>
      <p className="muted">Keys are ignored while you type in a field.</p>
      <button type="button" onClick={() => setHelp(false)} autoFocus>
        Close
      </button>
    </dialog>
  );
}

export const KeyboardHelp = memo(KeyboardHelpComponent);
KeyboardHelp.displayName = 'KeyboardHelp';

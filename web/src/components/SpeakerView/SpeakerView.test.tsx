// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelLike } from '../../share/presenterSync';
import { resetAll } from '../../test/core';
import { SpeakerView } from './SpeakerView';

afterEach(resetAll);

type Listener = (e: { data: unknown }) => void;
/** The presenting window's end of a fake channel, and the speaker view's. */
function fakeChannel() {
  const toSpeaker = new Set<Listener>();
  const fromSpeaker: unknown[] = [];
  const end: ChannelLike = {
    postMessage: (m) => fromSpeaker.push(m),
    addEventListener: (_t, f) => void toSpeaker.add(f),
    removeEventListener: (_t, f) => void toSpeaker.delete(f),
    close: () => toSpeaker.clear(),
  };
  return { end, fromSpeaker, send: (m: unknown) => toSpeaker.forEach((f) => f({ data: m })) };
}

describe('SpeakerView', () => {
  it('says hello, shows the position, notes and next caption, and sends commands', () => {
    const ch = fakeChannel();
    const make = () => ch.end;
    render(<SpeakerView channel={make} />);
    expect(ch.fromSpeaker).toEqual([{ type: 'hello' }]);
    expect(screen.getByRole('status').textContent).toMatch(/Waiting for the presenting window/);
    act(() =>
      ch.send({
        type: 'position',
        scenario: 'Demo',
        step: 4,
        total: 9,
        chapter: 2,
        chapterTitle: 'Task work',
        notes: '<b>Point</b> at the lane',
        caption: 'Now.',
        nextCaption: 'Then.',
      }),
    );
    expect(screen.getByTestId('sv-where').textContent).toBe('Demo · step 4 of 9 · chapter 2: Task work');
    expect(screen.getByTestId('sv-notes').textContent).toBe('<b>Point</b> at the lane');
    expect(screen.getByTestId('sv-notes').querySelector('b')).toBeNull();
    expect(screen.getByTestId('sv-next').textContent).toBe('Then.');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.keyDown(window, { key: 'PageUp' });
    expect(ch.fromSpeaker.slice(1)).toEqual([
      { type: 'command', command: 'next' },
      { type: 'command', command: 'prev' },
    ]);
    act(() => ch.send({ type: 'position', scenario: 'Demo', step: -1 }));
    expect(screen.getByTestId('sv-step').textContent).toBe('4');
  });
});

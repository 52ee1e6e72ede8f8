import { describe, expect, it } from 'vitest';
import { type ChannelLike, connectPresenter, parsePresenterMessage, type PresenterMessage } from './presenterSync';

/** Two in-memory channel ends that deliver to each other, like two windows on one BroadcastChannel. */
type Listener = (e: { data: unknown }) => void;
class FakeEnd implements ChannelLike {
  readonly fns = new Set<Listener>();
  other: FakeEnd | null = null;
  postMessage(m: unknown) {
    for (const f of this.other?.fns ?? []) f({ data: structuredClone(m) });
  }
  addEventListener(_t: 'message', f: Listener) {
    this.fns.add(f);
  }
  removeEventListener(_t: 'message', f: Listener) {
    this.fns.delete(f);
  }
  close() {
    this.fns.clear();
  }
}

function pair(): [ChannelLike, ChannelLike] {
  const a = new FakeEnd();
  const b = new FakeEnd();
  a.other = b;
  b.other = a;
  return [a, b];
}

describe('presenter sync', () => {
  it('delivers positions to the speaker view and commands back', () => {
    const [main, speaker] = pair();
    const gotBySpeaker: PresenterMessage[] = [];
    const gotByMain: PresenterMessage[] = [];
    const m = connectPresenter(main, (x) => gotByMain.push(x));
    const s = connectPresenter(speaker, (x) => gotBySpeaker.push(x));
    m.send({
      type: 'position',
      scenario: 'v5-queued-task-work',
      step: 12,
      total: 40,
      chapter: 2,
      chapterTitle: 'Task work',
      notes: 'Point at the lane',
      caption: 'The work runs.',
      nextCaption: 'The CQE is posted.',
    });
    s.send({ type: 'command', command: 'next' });
    expect(gotBySpeaker[0]).toMatchObject({ type: 'position', step: 12, chapterTitle: 'Task work' });
    expect(gotByMain).toEqual([{ type: 'command', command: 'next' }]);
    s.close();
    m.send({ type: 'hello' });
    expect(gotBySpeaker).toHaveLength(1);
  });

  it('drops malformed messages', () => {
    expect(parsePresenterMessage({ type: 'position', scenario: 'x', step: -1, total: 1, chapter: 0 })).toBeNull();
    expect(parsePresenterMessage({ type: 'command', command: 'reboot' })).toBeNull();
    expect(parsePresenterMessage({ type: 'command', command: 'chapter' })).toBeNull();
    expect(parsePresenterMessage('next')).toBeNull();
    expect(
      parsePresenterMessage({
        type: 'position',
        scenario: 'x',
        step: 1,
        total: 2,
        chapter: 0,
        chapterTitle: null,
        notes: null,
        nextCaption: null,
        caption: 5,
      }),
    ).toBeNull();
  });

  it('keeps only the known fields of a message', () => {
    const m = parsePresenterMessage({
      type: 'position',
      scenario: 'x',
      step: 1,
      total: 2,
      chapter: 0,
      chapterTitle: null,
      notes: null,
      nextCaption: null,
      extra: '<img src=x>',
    });
    expect(m).toEqual({
      type: 'position',
      scenario: 'x',
      step: 1,
      total: 2,
      chapter: 0,
      chapterTitle: null,
      notes: null,
      caption: null,
      nextCaption: null,
    });
    expect(parsePresenterMessage({ type: 'command', command: 'chapter', chapter: 2, x: 1 })).toEqual({
      type: 'command',
      command: 'chapter',
      chapter: 2,
    });
  });
});

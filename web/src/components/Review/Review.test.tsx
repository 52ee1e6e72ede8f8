// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alignSteps } from '../../learn/reviewStages';
import { loadTestCore, resetAll } from '../../test/core';
import { comparisons, simStore, startSession } from '../../store';
import { Review } from './Review';

let core: Awaited<ReturnType<typeof loadTestCore>>;
beforeAll(async () => {
  core = await loadTestCore();
});
afterEach(resetAll);
const st = () => simStore.getState();

describe('Review', () => {
  it('offers the informative comparisons first: patch 2/5, then done() in the workqueue vs complete_in_task', () => {
    expect(
      comparisons()
        .slice(0, 2)
        .map((c) => c.id),
    ).toEqual(['stale-pdu+patch2', 'v5-queued-task-work+v4']);
  });

  it('runs both sides and highlights what differs, then shows both stages in step', async () => {
    startSession(core, { scenario: 'v3-sync-set-get', spawn: loadTestCore });
    render(<Review />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Comparison' }), { target: { value: 'v3-sync-set-get' } });
    await waitFor(() => expect(screen.getByTestId('review-count').textContent).toBe('3 of 3 requests differ.'));
    const sides = screen.getAllByTestId('review-side').map((s) => s.textContent);
    expect(sides[0]).toContain('rust_misc_device_v3');
    expect(sides[1]).toContain('rust_misc_device ·');
    const diff = [...document.querySelectorAll('tr.diff')].map((tr) => tr.getAttribute('data-field'));
    expect(diff).toEqual(expect.arrayContaining(['issue', 'postedIn', 'pdu']));
    expect(diff).not.toContain('sanitizers');
    expect(screen.getByTestId('review-at').textContent).toBe('0');
    fireEvent.click(screen.getByRole('button', { name: 'Next step' }));
    expect(screen.getByTestId('review-at').textContent).toBe('1');
    expect(screen.getAllByTestId('review-stage')).toHaveLength(2);
  });

  it('shows the stale PDU on one stage and zeroes on the other at the same step, marked as differing', async () => {
    startSession(core, { scenario: 'stale-pdu', spawn: loadTestCore });
    render(<Review />);
    await waitFor(() => expect(st().review?.status).toBe('ready'));
    const { left, right } = st().review!;
    const steps = alignSteps(left!, right!);
    // Both sides stay in step: at every aligned step they run the same program operation.
    for (const p of steps) {
      const opOf = (side: typeof left, i: number) => side!.opFrames.filter((f) => f <= i).length - 1;
      expect(opOf(left, p.left)).toBe(p.op);
      expect(opOf(right, p.right)).toBe(p.op);
    }
    // The second command's issue: where the driver reads the PDU.
    const reads = (side: typeof left) =>
      side!.frames.filter((f) => f.events.some((e) => e.event === 'sim_pdu_read')).map((f) => f.index);
    const at = steps.findIndex((p) => p.left === reads(left)[1]);
    expect(at).toBeGreaterThan(0);
    expect(steps[at]!.right).toBe(reads(right)[1]);
    // The step before the read: the recycled object's PDU is already different (stale vs zeroed).
    act(() => simStore.setState({ reviewAt: at }));
    const [a, b] = screen.getAllByTestId('review-stage');
    const pdu = (el: HTMLElement) => el.querySelector('[data-field="pdu"] dd')?.textContent ?? '';
    expect(pdu(a!)).not.toBe(pdu(b!));
    expect(a!.querySelector('[data-field="pdu"]')?.getAttribute('data-differs')).toBe('true');
    // "difference ▸" jumps to a step where the stages differ.
    act(() => simStore.setState({ reviewAt: 0 }));
    fireEvent.click(screen.getByTestId('next-difference'));
    expect(st().reviewAt).toBeGreaterThan(0);
    expect(document.querySelectorAll('[data-differs="true"]').length).toBeGreaterThan(0);
  });
});

// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTestCore, resetAll } from '../../test/core';
import { emptyScenario, sandboxNopCycles, sandboxSetup, seek, simStore, startSession } from '../../store';
import { Sandbox } from './Sandbox';

let core: Awaited<ReturnType<typeof loadTestCore>>;
beforeAll(async () => {
  core = await loadTestCore();
});
afterEach(resetAll);
const st = () => simStore.getState();

describe('Sandbox', () => {
  it('writes an SQE, submits it and lists the program', () => {
    startSession(core);
    render(<Sandbox />);
    fireEvent.click(screen.getByRole('button', { name: 'Write SQE' }));
    expect(st().frames.at(-1)?.ring.sqTail).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    fireEvent.click(screen.getByRole('button', { name: 'Run to idle' }));
    expect(st().frames.at(-1)?.ring.cqTail).toBe(1);
    const items = within(screen.getByTestId('sandbox-program')).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual(['1 prep NOP #1', '2 submit']);
    fireEvent.click(within(screen.getByTestId('sandbox-program')).getByRole('button', { name: /prep NOP/ }));
    expect(st().cursor).toBe(1);
  });

  it('lists a long program around the cursor and counts the rest', () => {
    startSession(core);
    render(<Sandbox />);
    act(() => void sandboxNopCycles(100));
    const list = () => within(screen.getByTestId('sandbox-program')).getAllByRole('listitem').map((li) => li.textContent ?? '');
    // 300 operations: the last 200 are listed, the first 100 counted.
    expect(list()[0]).toBe('… 100 earlier operations');
    expect(list()).toHaveLength(201);
    act(() => seek(0));
    expect(list()[0]).toBe('1 prep NOP #1');
    expect(list().at(-1)).toBe('… 100 later operations');
  });

  it('says what is wrong with a form and runs nothing', () => {
    startSession(core);
    render(<Sandbox />);
    fireEvent.change(screen.getByLabelText('Command bytes as'), { target: { value: 'hex' } });
    fireEvent.change(screen.getByLabelText('Command bytes'), { target: { value: 'xyz' } });
    fireEvent.click(screen.getByRole('button', { name: 'Write SQE' }));
    expect(screen.getByRole('alert').textContent).toMatch(/^cmd: hex bytes/);
    fireEvent.change(screen.getByLabelText('Command bytes as'), { target: { value: 'none' } });
    fireEvent.change(screen.getByLabelText('fd or device'), { target: { value: 'dev' } });
    fireEvent.click(screen.getByRole('button', { name: 'Write SQE' }));
    expect(screen.getByRole('alert').textContent).toMatch(/\/sqe\/fd: expected a variable bound by an earlier open/);
    expect(st().frames).toHaveLength(1);
  });

  it('opens a device and pokes it with the actions its driver implements', () => {
    startSession(core);
    act(() => void sandboxSetup({ ...emptyScenario(4), devices: [{ name: 'delay', driver: 'rust_delay_device' }] }));
    render(<Sandbox />);
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    const actions = screen.getByLabelText('Device action for fd0');
    expect([...actions.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['complete_now', 'fail_next', 'stall']);
    fireEvent.change(actions, { target: { value: 'fail_next' } });
    fireEvent.change(screen.getByLabelText('Argument for fd0'), { target: { value: '11' } });
    fireEvent.click(screen.getByRole('button', { name: 'Poke' }));
    expect(st().models.at(-1)?.op).toEqual({ op: 'device', fd: 'fd0', action: 'fail_next', arg: 11 });
    fireEvent.click(screen.getByRole('button', { name: 'Tear down the ring' }));
    expect(st().models.at(-1)?.op).toEqual({ op: 'exit' });
  });

  it('sets up a new machine: API generation, flags and devices', () => {
    startSession(core);
    render(<Sandbox />);
    fireEvent.click(screen.getByRole('button', { name: 'API v3' }));
    fireEvent.change(screen.getByLabelText('Driver'), { target: { value: 'rust_pdu_counter' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add device' }));
    fireEvent.click(screen.getByLabelText('SQE128'));
    fireEvent.click(screen.getByRole('button', { name: 'New machine' }));
    expect(st().base).toMatchObject({ api: 'v3', ring: { entries: 8, flags: ['SQE128'] }, devices: [{ name: 'dev0', driver: 'rust_pdu_counter' }] });
  });
});

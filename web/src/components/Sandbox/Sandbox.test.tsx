// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTestCore, resetAll } from '../../test/core';
import {
  IDLE_MESSAGE,
  emptyScenario,
  sandboxNopCycles,
  sandboxSetup,
  seek,
  simStore,
  startSession,
  stepKernel,
} from '../../store';
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
    const items = within(screen.getByTestId('sandbox-program'))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual(['1 prep NOP #1', '2 submit']);
    fireEvent.click(within(screen.getByTestId('sandbox-program')).getByRole('button', { name: /prep NOP/ }));
    expect(st().cursor).toBe(1);
  });

  it('lists a long program around the cursor and counts the rest', () => {
    startSession(core);
    render(<Sandbox />);
    act(() => void sandboxNopCycles(100));
    const list = () =>
      within(screen.getByTestId('sandbox-program'))
        .getAllByRole('listitem')
        .map((li) => li.textContent ?? '');
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
    expect([...actions.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      'complete_now',
      'fail_next',
      'stall',
    ]);
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
    expect(st().base).toMatchObject({
      api: 'v3',
      ring: { entries: 8, flags: ['SQE128'] },
      devices: [{ name: 'dev0', driver: 'rust_pdu_counter' }],
    });
  });

  it('sets up an SQPOLL machine with its idle time, whose SQ thread gets its own lane of records', () => {
    startSession(core);
    render(<Sandbox />);
    fireEvent.click(screen.getByLabelText('SQPOLL'));
    fireEvent.change(screen.getByLabelText('sq_thread_idle'), { target: { value: '20' } });
    fireEvent.click(screen.getByRole('button', { name: 'New machine' }));
    expect(st().base).toMatchObject({ ring: { entries: 8, flags: ['SQPOLL'], sq_thread_idle: 20 } });
    fireEvent.click(screen.getByRole('button', { name: 'Write SQE' }));
    fireEvent.click(screen.getByRole('button', { name: 'Submit' }));
    fireEvent.click(screen.getByRole('button', { name: 'Sleep' }));
    fireEvent.click(screen.getByRole('button', { name: 'Run to idle' }));
    const ctxs = new Set(st().frames.flatMap((f) => f.events.map((e) => e.ctx)));
    expect(ctxs.has('sq-thread')).toBe(true);
  });

  it('composes ASYNC_CANCEL flags as op_flags bits', () => {
    startSession(core);
    render(<Sandbox />);
    fireEvent.change(screen.getByLabelText('opcode'), { target: { value: 'ASYNC_CANCEL' } });
    fireEvent.click(screen.getByLabelText('ALL'));
    fireEvent.click(screen.getByLabelText('FD'));
    expect((screen.getByLabelText('op_flags') as HTMLInputElement).value).toBe('3');
    fireEvent.click(screen.getByLabelText('ALL'));
    expect((screen.getByLabelText('op_flags') as HTMLInputElement).value).toBe('2');
  });

  it('applies a device added to a machine whose program has not started, and says when it must wait for New machine', () => {
    startSession(core);
    render(<Sandbox />);
    fireEvent.change(screen.getByLabelText('Driver'), { target: { value: 'rust_delay_device' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add device' }));
    expect(st().base?.devices).toEqual([{ name: 'dev0', driver: 'rust_delay_device' }]);
    expect(screen.queryByTestId('pending-devices')).toBeNull();
    // Once the program ran, a new device waits for "New machine", and the form says so.
    fireEvent.click(screen.getByRole('button', { name: 'Write SQE' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add device' }));
    expect(st().base?.devices).toHaveLength(1);
    expect(screen.getByTestId('pending-devices').textContent).toContain('/dev/dev1 is not on this machine yet');
  });

  it('takes a device path in the fd field, says what the fd means, and keeps Open beside the form', () => {
    startSession(core);
    act(() => void sandboxSetup({ ...emptyScenario(4), devices: [{ name: 'delay', driver: 'rust_delay_device' }] }));
    const { container } = render(<Sandbox />);
    // The Open button comes right before the compose form.
    const groups = [...container.querySelectorAll('fieldset.sb-group > legend')].map((l) => l.textContent);
    expect(groups.indexOf('Devices and faults') + 1).toBe(groups.indexOf('Compose an SQE'));
    expect(screen.getByTestId('fd-meaning').textContent).toMatch(/^fd -1: no file/);
    fireEvent.change(screen.getByLabelText('opcode'), { target: { value: 'URING_CMD' } });
    fireEvent.change(screen.getByLabelText('fd or device'), { target: { value: '/dev/delay' } });
    expect(screen.getByTestId('fd-meaning').textContent).toContain('/dev/delay is not open');
    fireEvent.click(screen.getByRole('button', { name: 'Write SQE' }));
    expect(st().frames).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    expect(screen.getByTestId('fd-meaning').textContent).toBe(
      "/dev/delay is open as fd0: the command goes to rust_delay_device's uring_cmd hook.",
    );
    fireEvent.change(screen.getByLabelText('cmd_op'), { target: { value: 'DELAY_DEV_SUBMIT' } });
    fireEvent.click(screen.getByRole('button', { name: 'Write SQE' }));
    expect(st().models.at(-1)?.op).toMatchObject({ op: 'prep', sqe: { opcode: 'URING_CMD', fd: 'fd0' } });
    // The fd datalist suggests the program's fds and their device paths, not the ring first.
    expect([...container.querySelectorAll('#sb-fds option')].map((o) => o.getAttribute('value'))).toEqual([
      'fd0',
      '/dev/delay',
    ]);
  });

  it('adds no frame for a kernel step that finds nothing to run, and says a poke had nothing in flight', () => {
    startSession(core);
    act(() => void sandboxSetup({ ...emptyScenario(4), devices: [{ name: 'delay', driver: 'rust_delay_device' }] }));
    const n = st().frames.length;
    act(() => stepKernel());
    act(() => stepKernel());
    expect(st().frames).toHaveLength(n);
    expect(st().message).toBe(IDLE_MESSAGE);
    render(<Sandbox />);
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    fireEvent.click(screen.getByRole('button', { name: 'Poke' }));
    expect(st().message).toBe('Nothing is in flight on fd0: complete_now had nothing to act on.');
    fireEvent.change(screen.getByLabelText('Device action for fd0'), { target: { value: 'fail_next' } });
    fireEvent.change(screen.getByLabelText('Argument for fd0'), { target: { value: '11' } });
    fireEvent.click(screen.getByRole('button', { name: 'Poke' }));
    expect(st().message).toBe('Nothing is in flight on fd0: fail_next is armed and acts on the next command.');
  });
});

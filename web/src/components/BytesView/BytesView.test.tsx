// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../../test/core';
import { clearHover, hoverStore, simStore } from '../../store';
import { SRC_FILE, SRC_LINE } from '../../test/story';
import { showStory } from '../../test/showStory';
import { BytesView, pduFields } from './BytesView';

afterEach(resetAll);

describe('BytesView', () => {
  it('shows the SQE, the PDU and the user buffer with decoded fields', () => {
    showStory(4);
    const { container } = render(<BytesView />);
    expect([...container.querySelectorAll('.region h3')].map((h) => h.textContent)).toEqual([
      'PDU (32 bytes in the request)',
      'SQE 0 (64 bytes)',
      'user buffer buf at 0x1000',
    ]);
    const sqe = container.querySelector('ul[data-region="sqe"]') as HTMLElement;
    expect(sqe.textContent).toContain('URING_CMD');
    expect(sqe.textContent).toContain('cmd_op');
    expect(sqe.textContent).toContain('0x80');
    const pdu = container.querySelector('ul[data-region="pdu"]') as HTMLElement;
    expect(pdu.querySelector('li.prov-driver')?.textContent).toContain('42 (0x2a)');
    expect(pdu.querySelector('li.prov-zeroed')).not.toBeNull();
  });

  it('switches to raw hex, colours each byte by its writer and shows the CQE once posted', () => {
    showStory(7);
    const { container } = render(<BytesView />);
    fireEvent.click(screen.getByRole('button', { name: 'raw hex' }));
    expect(simStore.getState().bytesMode).toBe('raw');
    const cqe = container.querySelector('table[data-region="cqe"]') as HTMLElement;
    expect(cqe.querySelectorAll('td.byte')).toHaveLength(16);
    expect(cqe.querySelector('td.byte')?.className).toContain('prov-core');
    expect(cqe.querySelector('td.byte')?.textContent).toBe('2a');
    // The request was freed: no PDU to show any more.
    expect(container.querySelector('table[data-region="pdu"]')).toBeNull();
  });

  it('lights the field, the writing source line and the request of the byte under the pointer', () => {
    showStory(5);
    simStore.setState({ bytesMode: 'raw' });
    const { container } = render(<BytesView />);
    const byte = container.querySelector('table[data-region="pdu"] td[data-offset="3"]') as HTMLElement;
    expect(byte.className).toContain('prov-driver');
    fireEvent.mouseEnter(byte);
    const h = hoverStore.getState();
    expect(h).toMatchObject({ region: 'pdu', offset: 3, field: 'pdu[0..8]', req: 1 });
    expect(h.src).toBe((SRC_FILE << 16) | SRC_LINE);
    expect([...container.querySelectorAll('table[data-region="pdu"] td.hl')]).toHaveLength(8);
    expect(screen.getByTestId('hover-info').textContent).toMatch(
      /pdu \+3 · pdu\[0\.\.8\] · written by driver \(write_pdu\) · (file 10, line 77|drivers\/\S+:77)/,
    );
    act(() => clearHover());
    expect(container.querySelectorAll('td.hl')).toHaveLength(0);
  });

  it('groups PDU bytes into fields by writer and source line', () => {
    const f = pduFields(
      new Uint8Array(32),
      [...Array(8).fill('driver'), ...Array(8).fill('stale'), ...Array(16).fill('fresh')],
      [...Array(8).fill(5), ...Array(24).fill(0)],
    );
    expect(f.map((x) => [x.offset, x.size])).toEqual([
      [0, 8],
      [8, 8],
      [16, 16],
    ]);
    expect(f[1]?.about).toContain('stale');
  });
});

describe('user memory', () => {
  it('is not coloured as userspace-written, since the core does not report its writers', () => {
    showStory(4);
    const { container } = render(<BytesView />);
    expect(container.querySelector('ul[data-region="user-buf"] li')?.className).toContain('prov-untracked');
  });
});

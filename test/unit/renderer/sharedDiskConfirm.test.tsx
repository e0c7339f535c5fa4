// @vitest-environment jsdom
// The "I know this disk is shared" override: offered only when every refused disk is another
// guest's (never dom0's), and it hands back the paths only once each was typed exactly.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { diskRefusalLine } from '../../../electron/api/lifecycle';
import { SharedDiskConfirm, shareableFromError } from '../../../renderer/src/components/SharedDiskConfirm';
import { initI18n } from '../../../renderer/src/i18n';

const IMG = '/var/lib/xen/images/hd-a.img';
const guestLine = diskRefusalLine(IMG, true, 'hd-a (read-write, running)');
const dom0Line = diskRefusalLine('/dev/vda', false, 'dom0 (mounted at /)');

beforeAll(() => {
  initI18n('en');
});
afterEach(cleanup);

describe('shared disk confirmation', () => {
  it('is offered for another guest\'s disk, never when dom0 holds one of the refused disks', () => {
    expect(shareableFromError({ code: 'conflict', detail: guestLine })).toEqual([{ path: IMG, users: 'hd-a (read-write, running)' }]);
    expect(shareableFromError({ code: 'conflict', detail: `${guestLine}\n${dom0Line}` })).toEqual([]);
    expect(shareableFromError({ code: 'invalid_input', detail: guestLine })).toEqual([]);
  });

  it('needs the path typed exactly before it confirms', async () => {
    const onConfirm = vi.fn();
    render(<SharedDiskConfirm disks={shareableFromError({ code: 'conflict', detail: guestLine })} onConfirm={onConfirm} />);
    await userEvent.click(screen.getByLabelText('I know this disk is shared (cluster filesystem)'));
    const button = screen.getByRole('button', { name: 'Share the disk and retry' });
    const input = screen.getByRole('textbox', { name: `Type ${IMG} to confirm it is shared` });
    await userEvent.type(input, '/var/lib/xen/images/hd-a.im');
    expect((button as HTMLButtonElement).disabled).toBe(true);
    await userEvent.type(input, 'g');
    await userEvent.click(button);
    expect(onConfirm).toHaveBeenCalledWith([IMG]);
  });
});

// The save images listed from the host (recorded on the lab after `xl save hg-rec`): the guest's
// name read from inside the image, its size and time; newest first; output Domus cannot read and
// a failing command are errors that say so.
import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { UnreadableOutputError } from '../../../electron/api/errors';
import { listSaveImages, parseSaveImages, saveImagesArgv } from '../../../electron/drivers/xl/saveImages';
import { commandLine } from '../../../electron/transport/argv';

const fx = labFixture('save-images');

describe('save images', () => {
  it('the fixture was recorded with the command Domus runs, one command quoted as a whole', () => {
    expect(fx.argv).toEqual(saveImagesArgv());
    expect(commandLine(saveImagesArgv())).toMatch(/^python3 -c '.*' \/var\/lib\/xen\/save$/s);
  });

  it('reads the guest, size and time of each image', () => {
    // A kit guest saved on the lab: its name comes from the config inside, its size is the
    // guest's memory and more, its time is when the save ran.
    const [img] = parseSaveImages(fx.stdout);
    const name = /\/([^/]+)\.save$/.exec(img.path)![1];
    expect(img).toMatchObject({ path: `/var/lib/xen/save/${name}.save`, guest: name });
    expect(img.sizeBytes).toBeGreaterThan(1_000_000);
    expect(Math.abs(img.savedAt - Date.parse(fx.recordedAt))).toBeLessThan(600_000);
  });

  it('lists the newest first', () => {
    const two = JSON.stringify([
      { path: '/s/a.save', guest: 'a', size: 1, mtime: 100 },
      { path: '/s/b.save', guest: null, size: 2, mtime: 200.5 },
    ]);
    expect(parseSaveImages(two).map((i) => [i.path, i.guest, i.savedAt])).toEqual([['/s/b.save', null, 200500], ['/s/a.save', 'a', 100000]]);
  });

  it('output that is not the list is an error, with the text kept', () => {
    expect(() => parseSaveImages('Traceback (most recent call last):')).toThrow(UnreadableOutputError);
    expect(() => parseSaveImages('[{"path": "/x"}]')).toThrow(/lacks its path, size or time/);
  });

  it('a host where the listing fails says so with its own words', async () => {
    const run = async () => ({ code: 127, stdout: '', stderr: 'sh: 1: python3: not found' });
    await expect(listSaveImages(run)).rejects.toMatchObject({ code: 'command_failed', message: expect.stringContaining('/var/lib/xen/save'), detail: 'sh: 1: python3: not found' });
    const ok = async () => ({ code: 0, stdout: fx.stdout, stderr: '' });
    expect(await listSaveImages(ok)).toHaveLength(1);
  });
});

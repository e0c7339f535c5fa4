// Whether a save image still fits its guest's disks. xl leaves the image on disk after a restore,
// and a cold start leaves it too; once the guest has run since the save, its disks have moved on
// and restoring that memory again can corrupt them. Domus knows what it ran from the task log: a
// succeeded restore of this file, or a succeeded start of this guest, after the image was written.
// The image's time is the host's clock and the tasks' the client's; a task's end is used so a
// restore right after a save still counts when the clocks differ by less than the restore took.
import type { SaveImage } from '../../../../electron/api/lifecycle';
import type { Task } from '../../../../electron/api/tasks';

/** The task after which `image` no longer fits `guest`'s disks, or null while it still may. */
export function staleBecause(image: SaveImage, guest: string, hostId: string, tasks: Iterable<Task>): Task | null {
  let last: Task | null = null;
  for (const task of tasks) {
    if (task.hostId !== hostId || task.state !== 'succeeded') continue;
    const ranGuest = (task.action === 'guest.restore' && task.target === image.path) || (task.action === 'guest.start' && task.target === guest);
    const at = task.endedAt ?? task.startedAt;
    if (ranGuest && at >= image.savedAt && (!last || at > (last.endedAt ?? last.startedAt))) last = task;
  }
  return last;
}

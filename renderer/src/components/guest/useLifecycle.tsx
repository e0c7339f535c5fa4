// Runs lifecycle actions on one or more guests: asks first where the action stops, loses or
// removes something (naming what it will do), offers force off when a shutdown times out, and
// reports failures (message plus xl's own text) at the top of the page.
import { Button, Checkbox, Form, FormGroup, ModalBody, ModalFooter, ModalHeader, Radio, TextInput } from '@patternfly/react-core';
import { Modal } from '../Modal';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { formatByteSize, formatMoment } from '../../format';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Guest } from '../../../../electron/api/guests';
import { isPausedRefusal, type DeletePlan, type SaveImage } from '../../../../electron/api/lifecycle';
import { toClientError, type ApiClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { ErrorAlert } from '../ErrorAlert';
import { useStore } from '../../state/context';
import { staleBecause } from './saveFreshness';
import { describeDiskUser } from '../SharedDiskConfirm';
import { CONFIRM, type LifecycleAction } from './availability';
import { useGuestNavigation } from './navigation';
import { isSafeFileName } from '../../../../electron/api/guestNames';
import { withItem } from '../../sets';

type Dialog =
  | { kind: 'confirm'; action: LifecycleAction; guests: Guest[] }
  | { kind: 'save'; guest: Guest }
  | { kind: 'delete'; guest: Guest }
  | { kind: 'forceOff'; guest: Guest; error: ApiClientError }
  | { kind: 'paused'; guest: Guest; error: ApiClientError }
  | null;

const METHOD = {
  start: 'guests.start',
  shutdown: 'guests.shutdown',
  reboot: 'guests.reboot',
  pause: 'guests.pause',
  resume: 'guests.resume',
  destroy: 'guests.destroy',
} as const;

export function useLifecycle(hostId: string): { request: (action: LifecycleAction, guests: Guest[]) => void; busy: ReadonlySet<string>; dialogs: ReactNode } {
  const client = useClient();
  const nav = useGuestNavigation();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<ReadonlySet<string>>(() => new Set());
  const mark = (id: string, on: boolean) => setBusy((prev) => withItem(prev, id, on));

  const runOn = useCallback(
    (action: keyof typeof METHOD, guests: Guest[]) => {
      for (const g of guests) {
        mark(g.id, true);
        client
          .call(METHOD[action], { hostId, guestId: g.id })
          .catch((x: unknown) => {
            const err = toClientError(x);
            if (action === 'shutdown' && err.code === 'timeout') setDialog({ kind: 'forceOff', guest: g, error: err });
            else if (action === 'shutdown' && isPausedRefusal(err)) setDialog({ kind: 'paused', guest: g, error: err });
            else nav?.notify(err);
          })
          .finally(() => mark(g.id, false));
      }
    },
    [client, hostId, nav],
  );

  const request = useCallback(
    (action: LifecycleAction, guests: Guest[]) => {
      if (!guests.length) return;
      if (action === 'save') return setDialog({ kind: 'save', guest: guests[0] });
      if (action === 'delete') return setDialog({ kind: 'delete', guest: guests[0] });
      if (CONFIRM.has(action)) return setDialog({ kind: 'confirm', action, guests });
      runOn(action, guests);
    },
    [runOn],
  );

  const close = () => setDialog(null);
  let dialogs: ReactNode = null;
  if (dialog?.kind === 'confirm') {
    dialogs = (
      <ConfirmModal
        action={dialog.action}
        guests={dialog.guests}
        onClose={close}
        onConfirm={() => {
          close();
          runOn(dialog.action as keyof typeof METHOD, dialog.guests);
        }}
      />
    );
  } else if (dialog?.kind === 'forceOff') {
    dialogs = (
      <ConfirmModal
        action="destroy"
        guests={[dialog.guest]}
        reason={dialog.error}
        onClose={close}
        onConfirm={() => {
          close();
          runOn('destroy', [dialog.guest]);
        }}
      />
    );
  } else if (dialog?.kind === 'paused') {
    const g = dialog.guest;
    dialogs = (
      <PausedModal
        guest={g}
        reason={dialog.error}
        onClose={close}
        onResume={() => {
          close();
          runOn('resume', [g]);
        }}
        onForceOff={() => {
          close();
          runOn('destroy', [g]);
        }}
      />
    );
  } else if (dialog?.kind === 'save') {
    dialogs = <SaveModal hostId={hostId} guest={dialog.guest} onClose={close} />;
  } else if (dialog?.kind === 'delete') {
    dialogs = <DeleteModal hostId={hostId} guest={dialog.guest} onClose={close} />;
  }
  return { request, busy, dialogs };
}

function ConfirmModal({ action, guests, reason, onClose, onConfirm }: { action: LifecycleAction; guests: Guest[]; reason?: ApiClientError; onClose: () => void; onConfirm: () => void }) {
  const { t } = useTranslation();
  const names = guests.map((g) => g.name).join(', ');
  return (
    <Modal variant="small" isOpen onClose={onClose} aria-labelledby="lc-confirm-title" aria-describedby="lc-confirm-body">
      <ModalHeader title={t(`lifecycle.confirm.${action}.title`, { count: guests.length, names })} labelId="lc-confirm-title" titleIconVariant="warning" />
      <ModalBody id="lc-confirm-body">
        {reason && <ErrorAlert error={reason} />}
        {t(`lifecycle.confirm.${action}.body`, { count: guests.length, names })}
      </ModalBody>
      <ModalFooter>
        <Button variant={action === 'shutdown' || action === 'reboot' ? 'primary' : 'danger'} onClick={onConfirm}>
          {t(`lifecycle.confirm.${action}.confirm`, { count: guests.length })}
        </Button>
        <Button variant="link" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}

/** A shutdown refused because the guest is paused: the two ways on, Resume and Force off. */
function PausedModal({ guest, reason, onClose, onResume, onForceOff }: { guest: Guest; reason: ApiClientError; onClose: () => void; onResume: () => void; onForceOff: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal variant="small" isOpen onClose={onClose} aria-labelledby="lc-paused-title" aria-describedby="lc-paused-body">
      <ModalHeader title={t('lifecycle.paused.title', { name: guest.name })} labelId="lc-paused-title" titleIconVariant="warning" />
      <ModalBody id="lc-paused-body">
        <ErrorAlert error={reason} />
        {t('lifecycle.paused.body')}
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={onResume}>
          {t('lifecycle.paused.resume')}
        </Button>
        <Button variant="danger" onClick={onForceOff}>
          {t('lifecycle.paused.forceOff')}
        </Button>
        <Button variant="link" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}

/** A dialog that asks for one absolute path on the host, then runs the call that uses it. */
function HostPathModal({ id, title, body, label, initial, confirm, run, onClose, picker }: {
  id: string;
  title: string;
  body?: string;
  label: string;
  initial: string;
  confirm: string;
  run: (path: string) => Promise<unknown>;
  onClose: () => void;
  /** Files to choose from above the typed path (choosing one fills it in). */
  picker?: (path: string, setPath: (p: string) => void) => ReactNode;
}) {
  const { t } = useTranslation();
  const [path, setPath] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await run(path);
      onClose();
    } catch (x) {
      setError(toClientError(x));
      setBusy(false);
    }
  };
  return (
    <Modal variant="small" isOpen onClose={onClose} aria-labelledby={`${id}-title`}>
      <ModalHeader title={title} labelId={`${id}-title`} />
      <ModalBody>
        {error && <ErrorAlert error={error} />}
        {body && <p>{body}</p>}
        {picker?.(path, setPath)}
        <Form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <FormGroup label={label} fieldId={`${id}-path`} isRequired>
            <TextInput id={`${id}-path`} value={path} onChange={(_e, v) => setPath(v)} aria-label={label} />
          </FormGroup>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={() => void submit()} isLoading={busy} isDisabled={busy || !path.startsWith('/')}>
          {confirm}
        </Button>
        <Button variant="link" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}

function SaveModal({ hostId, guest, onClose }: { hostId: string; guest: Guest; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  return (
    <HostPathModal
      id="lc-save"
      title={t('lifecycle.save.title', { name: guest.name })}
      body={t('lifecycle.save.body', { name: guest.name })}
      label={t('lifecycle.save.path')}
      initial={isSafeFileName(guest.name) ? `/var/lib/xen/save/${guest.name}.save` : '/var/lib/xen/save/'}
      confirm={t('lifecycle.save.confirm')}
      run={(path) => client.call('guests.save', { hostId, guestId: guest.id, path })}
      onClose={onClose}
    />
  );
}

/** A save image's time and size in the UI language. */
export function describeSaveImage(t: TFunction, lng: string, img: SaveImage): { date: string; size: string } {
  return { date: formatMoment(lng, img.savedAt), size: formatByteSize(t, lng, img.sizeBytes) };
}

export function RestoreModal({ hostId, onClose }: { hostId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [images, setImages] = useState<SaveImage[] | null>(null);
  const [listError, setListError] = useState<ApiClientError | null>(null);
  const tasks = useStore((s) => s.tasks);
  useEffect(() => {
    client.call('guests.saveImages', { hostId }).then(setImages, (x: unknown) => setListError(toClientError(x)));
  }, [client, hostId]);
  const picker = (path: string, setPath: (p: string) => void) => (
    <>
      {listError && <ErrorAlert error={listError} />}
      {images && !images.length && <p>{t('saves.none')}</p>}
      {images && images.length > 0 && (
        <>
          <div role="radiogroup" aria-label={t('saves.pickLabel')}>
            {images.map((img, i) => {
              const label = t('saves.pickItem', { guest: img.guest ?? t('saves.unknownGuest'), ...describeSaveImage(t, i18n.language, img) });
              // Still pickable (the admin may know better), but said: its guest has run since.
              const stale = img.guest !== null && staleBecause(img, img.guest, hostId, tasks.values()) !== null;
              return (
                <Radio
                  key={img.path}
                  id={`lc-restore-pick-${i}`}
                  name="lc-restore-pick"
                  isChecked={path === img.path}
                  onChange={() => setPath(img.path)}
                  label={stale ? t('saves.pickStale', { item: label }) : label}
                  description={<code>{img.path}</code>}
                />
              );
            })}
          </div>
          <p>{t('saves.orType')}</p>
        </>
      )}
    </>
  );
  return (
    <HostPathModal
      id="lc-restore"
      title={t('lifecycle.restore.title')}
      label={t('lifecycle.restore.path')}
      initial="/var/lib/xen/save/"
      confirm={t('lifecycle.restore.confirm')}
      run={(path) => client.call('guests.restore', { hostId, path })}
      onClose={onClose}
      picker={picker}
    />
  );
}

function DeleteModal({ hostId, guest, onClose }: { hostId: string; guest: Guest; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [plan, setPlan] = useState<DeletePlan | null>(null);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(() => new Set());
  // Paths typed to confirm deleting a disk another guest uses.
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);
  useEffect(() => {
    client.call('guests.deletePlan', { hostId, guestId: guest.id }).then(setPlan, (x: unknown) => setError(toClientError(x)));
  }, [client, hostId, guest.id]);
  const isDisk = (p: string) => plan?.disks.some((d) => d.target === p) ?? false;
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      const disks = [...ticked].filter(isDisk);
      const extras = [...ticked].filter((p) => !isDisk(p));
      const sharedDisks = disks.filter((p) => plan?.disks.find((d) => d.target === p)?.usedBy.length);
      await client.call('guests.delete', { hostId, guestId: guest.id, disks, extras, sharedDisks });
      onClose();
    } catch (x) {
      setError(toClientError(x));
      setBusy(false);
    }
  };
  const toggle = (p: string, on: boolean) => setTicked((prev) => withItem(prev, p, on));
  const size = (b: number | null) => (b === null ? t('common.none') : formatByteSize(t, i18n.language, b));
  return (
    <Modal variant="medium" isOpen onClose={onClose} aria-labelledby="lc-delete-title">
      <ModalHeader title={t('lifecycle.delete.title', { name: guest.name })} labelId="lc-delete-title" titleIconVariant="warning" />
      <ModalBody>
        {error && <ErrorAlert error={error} />}
        {plan && (
          <>
            <p>{t('lifecycle.delete.body')}</p>
            <ul className="domus-delete-list" aria-label={t('lifecycle.delete.listLabel')}>
              <li>
                <Checkbox id="lc-del-config" isChecked isDisabled label={t('lifecycle.delete.config', { path: plan.configPath })} aria-label={t('lifecycle.delete.config', { path: plan.configPath })} />
              </li>
              {plan.autostartLink && (
                <li>
                  <Checkbox id="lc-del-auto" isChecked isDisabled label={t('lifecycle.delete.autostart', { path: plan.autostartLink })} aria-label={t('lifecycle.delete.autostart', { path: plan.autostartLink })} />
                </li>
              )}
              {plan.disks.map((d, i) => {
                const label = t('lifecycle.delete.disk', { path: d.target, size: size(d.sizeBytes) });
                const hostHolds = d.usedBy.some((u) => u.guest === null);
                const shared = d.usedBy.length > 0 && !hostHolds;
                const users = d.usedBy.map((u) => describeDiskUser(t, u)).join(', ');
                // A disk another guest uses is never ticked for the user; ticking it needs its path typed.
                const unlocked = !shared || typed[d.target] === d.target;
                return (
                  <li key={d.target}>
                    <Checkbox
                      id={`lc-del-disk-${i}`}
                      isChecked={ticked.has(d.target)}
                      isDisabled={!d.isFile || hostHolds || !unlocked}
                      onChange={(_e, on) => toggle(d.target, on)}
                      label={label}
                      aria-label={label}
                      description={!d.isFile ? t('lifecycle.delete.notFile') : hostHolds ? t('lifecycle.delete.hostHolds', { users }) : shared ? t('lifecycle.delete.usedBy', { users }) : undefined}
                    />
                    {shared && d.isFile && (
                      <TextInput
                        className="domus-mono"
                        aria-label={t('lifecycle.delete.typeToTick', { path: d.target })}
                        placeholder={t('lifecycle.delete.typeToTick', { path: d.target })}
                        value={typed[d.target] ?? ''}
                        onChange={(_e, v) => {
                          setTyped({ ...typed, [d.target]: v });
                          if (v !== d.target) toggle(d.target, false);
                        }}
                      />
                    )}
                  </li>
                );
              })}
              {plan.extras.map((x, i) => {
                const label = t(x.kind === 'backup' ? 'lifecycle.delete.backup' : 'lifecycle.delete.save', { path: x.path, size: size(x.sizeBytes) });
                return (
                  <li key={x.path}>
                    <Checkbox id={`lc-del-extra-${i}`} isChecked={ticked.has(x.path)} onChange={(_e, on) => toggle(x.path, on)} label={label} aria-label={label} />
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </ModalBody>
      <ModalFooter>
        <Button variant="danger" onClick={() => void remove()} isLoading={busy} isDisabled={busy || !plan}>
          {t('lifecycle.delete.confirm', { count: 1 + (plan?.autostartLink ? 1 : 0) + ticked.size })}
        </Button>
        <Button variant="link" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}

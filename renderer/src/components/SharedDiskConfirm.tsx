// The explicit override after a disk refusal: "I know this disk is shared (cluster filesystem)".
// Offered only when every refused disk is written by another guest (never when dom0 holds one),
// and it needs each disk's path typed exactly; the backend checks the typed paths again and puts
// the override in the task log.
import { Button, Checkbox, FormGroup, TextInput } from '@patternfly/react-core';
import { Alert } from './Alert';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiError } from '../../../electron/api/errors';
import { shareableRefusals, type DiskUser } from '../../../electron/api/lifecycle';

/** "hd-a (read-write, running)" / "dom0 (mounted at /)" in the user's language. */
export function describeDiskUser(t: TFunction, u: DiskUser): string {
  if (u.guest === null) return t('disks.users.dom0', { what: u.what ?? '' });
  return t('disks.users.user', { guest: u.guest, access: t(`disks.users.${u.access}`), state: t(u.running ? 'disks.users.running' : 'disks.users.stopped') });
}

export interface ShareableDisk {
  path: string;
  users: string;
}

/** The disks a refusal lets the user confirm as shared; empty when any refused disk is dom0's. */
export function shareableFromError(error: Pick<ApiError, 'code' | 'detail'> | null): ShareableDisk[] {
  if (error?.code !== 'conflict' || !error.detail) return [];
  const lines = error.detail.split('\n').filter(Boolean);
  const shareable = shareableRefusals(error.detail);
  return shareable.length === lines.length ? shareable : [];
}

export function SharedDiskConfirm({ disks, busy = false, onConfirm }: { disks: ShareableDisk[]; busy?: boolean; onConfirm(paths: string[]): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState<Record<string, string>>({});
  if (!disks.length) return null;
  const all = disks.every((d) => typed[d.path] === d.path);
  return (
    <Alert isInline variant="warning" title={t('disks.shared.title')} className="domus-shared-confirm">
      <Checkbox id="domus-shared-know" label={t('disks.shared.know')} isChecked={open} onChange={(_e, v) => setOpen(v)} />
      {open && (
        <>
          <p>{t('disks.shared.explain')}</p>
          {disks.map((d) => (
            <FormGroup key={d.path} label={t('disks.shared.typeLabel', { path: d.path, users: d.users })} fieldId={`domus-shared-${d.path}`}>
              <TextInput
                id={`domus-shared-${d.path}`}
                aria-label={t('disks.shared.typeAria', { path: d.path })}
                value={typed[d.path] ?? ''}
                onChange={(_e, v) => setTyped({ ...typed, [d.path]: v })}
                className="domus-mono"
              />
            </FormGroup>
          ))}
          <Button variant="danger" isDisabled={!all || busy} isLoading={busy} onClick={() => onConfirm(disks.map((d) => d.path))}>
            {t('disks.shared.confirm', { count: disks.length })}
          </Button>
        </>
      )}
    </Alert>
  );
}

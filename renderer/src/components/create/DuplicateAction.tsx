// "Duplicate" on a guest's page (guests with a config): a new name, new MACs, and for each disk a
// copy (qemu-img convert), a new empty image, or — for read-only media — the same one. Runs the
// create script (no overwrite, rollback) as one task.
import { Button, Checkbox, Form, FormGroup, FormSelect, FormSelectOption, ModalBody, ModalFooter, ModalHeader, TextInput } from '@patternfly/react-core';
import { Spinner } from '../Spinner';
import { Modal } from '../Modal';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ImageFormat } from '../../../../electron/api/create';
import { defaultImagePath, IMAGE_EXT, STORAGE_DIR } from '../../../../electron/api/createRules';
import type { Guest } from '../../../../electron/api/guests';
import { toClientError, type ApiClientError, type MethodOutput } from '../../api/client';
import { useClient } from '../../api/context';
import { ErrorAlert } from '../ErrorAlert';
import { SharedDiskConfirm, shareableFromError } from '../SharedDiskConfirm';

type Mode = 'copy' | 'new' | 'share';
interface Choice { source: string; mode: Mode; path: string; format: ImageFormat; sizeMiB: number; shareable: boolean }

type MethodOutputDuplicatePlan = MethodOutput<'create.duplicatePlan'>;
const asFormat = (f: string | null): ImageFormat => (f === 'qcow2' || f === 'vhd' ? f : 'raw');

/** The new image path: the source's directory, the new guest's name, the disk's position. */
function suggestPath(source: string, name: string, i: number, format: ImageFormat): string {
  const dir = source.lastIndexOf('/') > 0 ? source.slice(0, source.lastIndexOf('/')) : STORAGE_DIR;
  return defaultImagePath(name, i, format, dir);
}

export function DuplicateAction({ hostId, guest, connected }: { hostId: string; guest: Guest; connected: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (guest.isControlDomain || !guest.configPath) return null;
  return (
    <>
      <Button variant="secondary" isDisabled={!connected} onClick={() => setOpen(true)} aria-label={t('create.duplicate.action', { guest: guest.name })}>
        {t('create.duplicate.button')}
      </Button>
      {open && <DuplicateModal hostId={hostId} guest={guest} onClose={() => setOpen(false)} />}
    </>
  );
}

function DuplicateModal({ hostId, guest, onClose }: { hostId: string; guest: Guest; onClose(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [plan, setPlan] = useState<MethodOutputDuplicatePlan | null>(null);
  const [name, setName] = useState('');
  const [choices, setChoices] = useState<Choice[]>([]);
  const [start, setStart] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);
  const [done, setDone] = useState<string[] | null>(null);
  useEffect(() => {
    client.call('create.duplicatePlan', { hostId, guestId: guest.id }).then(
      (p) => {
        setPlan(p);
        setName(p.suggestedName);
        setChoices(p.disks.map((d, i) => {
          const shareable = d.cdrom || !d.isFile;
          return { source: d.target, mode: d.cdrom ? 'share' : 'copy', path: suggestPath(d.target, p.suggestedName, i, asFormat(d.format)), format: asFormat(d.format), sizeMiB: Math.max(1, Math.round((d.sizeBytes ?? 0) / 1048576)) || 1024, shareable };
        }));
      },
      (e) => setError(toClientError(e)),
    );
  }, [client, hostId, guest.id]);
  const rename = (n: string) => {
    setName(n);
    setChoices((cs) => cs.map((c, i) => ({ ...c, path: suggestPath(c.source, n || 'copy', i, c.format) })));
  };
  const put = (i: number, c: Choice) => setChoices((cs) => cs.map((x, j) => (j === i ? c : x)));
  const run = async (sharedDisks?: string[]) => {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('create.duplicate', {
        hostId, guestId: guest.id, name, start, ...(sharedDisks ? { sharedDisks } : {}),
        disks: choices.map((c) => ({ source: c.source, mode: c.mode, path: c.mode === 'share' ? null : c.path, format: c.mode === 'share' ? null : c.format, sizeMiB: c.mode === 'new' ? c.sizeMiB : null })),
      });
      setDone(r.created);
    } catch (e) {
      setError(toClientError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal isOpen variant="medium" onClose={onClose} aria-labelledby="domus-dup-title">
      <ModalHeader title={t('create.duplicate.title', { guest: guest.name })} labelId="domus-dup-title" />
      <ModalBody>
        {error && <ErrorAlert error={error} />}
        <SharedDiskConfirm key={error?.detail ?? ''} disks={shareableFromError(error)} busy={busy} onConfirm={(paths) => void run(paths)} />
        {!plan && !error && <Spinner size="md" aria-label={t('create.loading')} />}
        {done && <p role="status">{t('create.duplicate.done', { name, made: done.join(', ') })}</p>}
        {plan && !done && (
          <Form onSubmit={(e) => e.preventDefault()}>
            <FormGroup label={t('create.name.name')} isRequired fieldId="dup-name">
              <TextInput id="dup-name" aria-label={t('create.duplicate.newName')} value={name} onChange={(_e, v) => rename(v.trim())} />
            </FormGroup>
            {choices.length > 0 && (
              <Table aria-label={t('create.duplicate.disks')} variant="compact" role="table">
                <Thead>
                  <Tr>
                    <Th>{t('create.duplicate.source')}</Th>
                    <Th>{t('create.duplicate.what')}</Th>
                    <Th>{t('create.storage.path')}</Th>
                    <Th>{t('create.storage.format')}</Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {choices.map((c, i) => (
                    <Tr key={c.source}>
                      <Td className="domus-mono">{c.source}</Td>
                      <Td>
                        <FormSelect aria-label={t('create.duplicate.modeOf', { disk: c.source })} value={c.mode} onChange={(_e, v) => put(i, { ...c, mode: v as Mode })}>
                          <FormSelectOption value="copy" label={t('create.duplicate.modes.copy')} />
                          <FormSelectOption value="new" label={t('create.duplicate.modes.new')} />
                          {c.shareable && <FormSelectOption value="share" label={t('create.duplicate.modes.share')} />}
                        </FormSelect>
                      </Td>
                      <Td>{c.mode !== 'share' && <TextInput aria-label={t('create.duplicate.pathOf', { disk: c.source })} value={c.path} onChange={(_e, v) => put(i, { ...c, path: v })} />}</Td>
                      <Td>
                        {c.mode !== 'share' && (
                          <FormSelect aria-label={t('create.duplicate.formatOf', { disk: c.source })} value={c.format} onChange={(_e, v) => put(i, { ...c, format: v as ImageFormat, path: c.path.replace(/\.(img|qcow2|vhd)$/, `.${IMAGE_EXT[v as ImageFormat]}`) })}>
                            {ImageFormat.options.map((f) => <FormSelectOption key={f} value={f} label={f} />)}
                          </FormSelect>
                        )}
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            )}
            <Checkbox id="dup-start" label={t('create.review.start')} isChecked={start} onChange={(_e, v) => setStart(v)} />
          </Form>
        )}
      </ModalBody>
      <ModalFooter>
        {!done && (
          <Button variant="primary" onClick={() => void run()} isLoading={busy} isDisabled={busy || !plan || !name}>
            {t('create.duplicate.run', { name })}
          </Button>
        )}
        <Button variant="link" onClick={onClose}>{done ? t('create.close') : t('create.cancel')}</Button>
      </ModalFooter>
    </Modal>
  );
}

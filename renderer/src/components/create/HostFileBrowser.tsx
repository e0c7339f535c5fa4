// A file picker on the host: lists one directory at a time through create.browse (find, argv
// only), folders first; choosing a file returns its absolute path. It opens inline under its
// field rather than as a second modal: PatternFly modals hide their siblings from assistive
// technology, and a modal over the wizard's modal would be hidden again when the wizard updates.
import { Breadcrumb, BreadcrumbItem, Button, Card, CardBody, CardFooter, CardTitle, InputGroup, InputGroupItem, TextInput } from '@patternfly/react-core';
import { Spinner } from '../Spinner';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useEffect, useState } from 'react';
import { formatByteSize } from '../../format';
import { useTranslation } from 'react-i18next';
import type { HostEntry } from '../../../../electron/api/create';
import { toClientError, type ApiClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { ErrorAlert } from '../ErrorAlert';

export const parentOf = (dir: string) => (dir.lastIndexOf('/') <= 0 ? '/' : dir.slice(0, dir.lastIndexOf('/')));

export function HostFileBrowser({ hostId, start, title, onPick, onClose }: { hostId: string; start: string; title: string; onPick(path: string): void; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [dir, setDir] = useState(start);
  const [entries, setEntries] = useState<HostEntry[] | null>(null);
  const [error, setError] = useState<ApiClientError | null>(null);
  useEffect(() => {
    let live = true;
    setEntries(null);
    setError(null);
    client.call('create.browse', { hostId, dir }).then(
      (r) => live && setEntries(r.entries),
      (e) => live && setError(toClientError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, hostId, dir]);
  const crumbs = dir.split('/').filter(Boolean);
  return (
    <Card isCompact role="region" aria-label={title} className="domus-create-browser">
      <CardTitle>{title}</CardTitle>
      <CardBody style={{ maxHeight: 320, overflowY: 'auto' }}>
        <Breadcrumb aria-label={t('create.browse.where')}>
          <BreadcrumbItem>
            <Button variant="link" isInline onClick={() => setDir('/')}>/</Button>
          </BreadcrumbItem>
          {crumbs.map((c, i) => (
            <BreadcrumbItem key={i}>
              <Button variant="link" isInline onClick={() => setDir(`/${crumbs.slice(0, i + 1).join('/')}`)}>{c}</Button>
            </BreadcrumbItem>
          ))}
        </Breadcrumb>
        {error && <ErrorAlert error={error} />}
        {!entries && !error && <Spinner size="md" aria-label={t('create.browse.loading')} />}
        {entries && (
          <Table aria-label={t('create.browse.table', { dir })} variant="compact" role="table">
            <Thead>
              <Tr>
                <Th>{t('create.browse.name')}</Th>
                <Th>{t('create.browse.size')}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {dir !== '/' && (
                <Tr>
                  <Td>
                    <Button variant="link" isInline onClick={() => setDir(parentOf(dir))} aria-label={t('create.browse.up')}>..</Button>
                  </Td>
                  <Td />
                </Tr>
              )}
              {entries.map((e) => (
                <Tr key={e.path}>
                  <Td>
                    {e.kind === 'dir' ? (
                      <Button variant="link" isInline onClick={() => setDir(e.path)} aria-label={t('create.browse.openDir', { name: e.name })}>{e.name}/</Button>
                    ) : (
                      <Button variant="link" isInline onClick={() => onPick(e.path)} aria-label={t('create.browse.pick', { name: e.name })}>{e.name}</Button>
                    )}
                  </Td>
                  <Td>{e.kind === 'file' ? formatByteSize(t, i18n.language, e.sizeBytes) : ''}</Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </CardBody>
      <CardFooter>
        <Button variant="link" onClick={onClose}>{t('create.cancel')}</Button>
      </CardFooter>
    </Card>
  );
}

/** A path field with a "Browse…" button that opens the host file browser. */
export function HostPathField({ hostId, id, label, value, onChange, startDir, isRequired }: { hostId: string; id: string; label: string; value: string; onChange(v: string): void; startDir: string; isRequired?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <InputGroup>
        <InputGroupItem isFill>
          <TextInput id={id} aria-label={label} isRequired={isRequired} value={value} onChange={(_e, v) => onChange(v)} />
        </InputGroupItem>
        <InputGroupItem>
          <Button variant="control" onClick={() => setOpen(true)} aria-label={t('create.browse.button', { what: label })}>
            {t('create.browse.browse')}
          </Button>
        </InputGroupItem>
      </InputGroup>
      {open && (
        <HostFileBrowser
          hostId={hostId}
          start={value && value.startsWith('/') ? parentOf(value) : startDir}
          title={t('create.browse.title', { what: label })}
          onPick={(p) => {
            onChange(p);
            setOpen(false);
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

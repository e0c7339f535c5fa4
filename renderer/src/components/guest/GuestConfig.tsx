// The guest's xl.cfg: edit the text, review the diff, save. The backend validates with
// `xl create -n` before writing, writes atomically and keeps <path>.bak.
import { Alert, Button, Flex, FlexItem, Modal, ModalBody, ModalFooter, ModalHeader, TextArea } from '@patternfly/react-core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Guest } from '../../../../electron/api/guests';
import { toClientError, type ApiClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { ErrorAlert } from '../ErrorAlert';
import { SharedDiskConfirm, shareableFromError } from '../SharedDiskConfirm';
import { lineDiff, withContext } from './lineDiff';

export function GuestConfig({ hostId, guest }: { hostId: string; guest: Guest }) {
  const { t } = useTranslation();
  const client = useClient();
  const [base, setBase] = useState<{ path: string; text: string } | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<ApiClientError | null>(null);
  const [review, setReview] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    client.call('guests.readConfig', { hostId, guestId: guest.id }).then(
      (c) => {
        setBase(c);
        setText(c.text);
      },
      (x: unknown) => setError(toClientError(x)),
    );
  }, [client, hostId, guest.id]);
  useEffect(load, [load]);

  const diff = useMemo(() => (review && base ? withContext(lineDiff(base.text, text)) : []), [review, base, text]);
  const dirty = base !== null && text !== base.text;

  const save = async (sharedDisks?: string[]) => {
    if (!base) return;
    setSaving(true);
    setError(null);
    try {
      const r = await client.call('guests.writeConfig', { hostId, guestId: guest.id, text, baseText: base.text, ...(sharedDisks ? { sharedDisks } : {}) });
      setBase({ path: base.path, text });
      setSaved(r.backupPath);
      setReview(false);
    } catch (x) {
      setError(toClientError(x));
      setReview(false);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="domus-tab-body">
      {error && <ErrorAlert error={error} />}
      <SharedDiskConfirm key={error?.detail ?? ''} disks={shareableFromError(error)} busy={saving} onConfirm={(paths) => void save(paths)} />
      {saved && <Alert variant="success" isInline isPlain title={t('lifecycle.config.saved', { backup: saved })} />}
      {base && (
        <>
          <p className="domus-muted">
            <code>{base.path}</code>
          </p>
          <TextArea
            value={text}
            onChange={(_e, v) => {
              setText(v);
              setSaved(null);
            }}
            aria-label={t('lifecycle.config.editor', { path: base.path })}
            resizeOrientation="vertical"
            rows={Math.min(30, Math.max(10, text.split('\n').length + 1))}
            className="domus-mono"
            spellCheck={false}
          />
          <Flex spaceItems={{ default: 'spaceItemsSm' }} className="domus-config-buttons">
            <FlexItem>
              <Button variant="primary" isDisabled={!dirty} onClick={() => setReview(true)}>
                {t('lifecycle.config.review')}
              </Button>
            </FlexItem>
            <FlexItem>
              <Button variant="secondary" isDisabled={!dirty} onClick={() => setText(base.text)}>
                {t('lifecycle.config.discard')}
              </Button>
            </FlexItem>
            <FlexItem>
              <Button variant="link" onClick={load}>
                {t('lifecycle.config.reload')}
              </Button>
            </FlexItem>
          </Flex>
        </>
      )}
      {review && base && (
        <Modal variant="large" isOpen onClose={() => setReview(false)} aria-labelledby="lc-diff-title">
          <ModalHeader title={t('lifecycle.config.diffTitle', { path: base.path })} labelId="lc-diff-title" />
          <ModalBody>
            <p>{t('lifecycle.config.diffBody')}</p>
            <pre className="domus-mono domus-diff" aria-label={t('lifecycle.config.diffLabel')}>
              {diff.map((l, i) =>
                l === null ? (
                  <div key={i} className="domus-diff-gap">
                    {'⋯'}
                  </div>
                ) : (
                  <div key={i} className={`domus-diff-${l.kind}`}>
                    {l.kind === 'add' ? '+ ' : l.kind === 'del' ? '- ' : '  '}
                    {l.text}
                  </div>
                ),
              )}
            </pre>
          </ModalBody>
          <ModalFooter>
            <Button variant="primary" onClick={() => void save()} isLoading={saving} isDisabled={saving}>
              {t('lifecycle.config.save')}
            </Button>
            <Button variant="link" onClick={() => setReview(false)}>
              {t('common.cancel')}
            </Button>
          </ModalFooter>
        </Modal>
      )}
    </div>
  );
}

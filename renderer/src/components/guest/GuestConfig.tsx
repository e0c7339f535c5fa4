// The guest's xl.cfg: edit the text, review the diff, save. The backend runs the host checks
// (configChecks) and `xl create -n` before writing, writes atomically and keeps <path>.bak. When
// a host check finds an error nothing is written: the problems are listed here, and "Save anyway"
// writes it knowingly (the task records it).
import { Button, Flex, FlexItem, ModalBody, ModalFooter, ModalHeader, TextArea } from '@patternfly/react-core';
import { Modal } from '../Modal';
import { Alert } from '../Alert';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigProblem, Guest } from '../../../../electron/api/guests';
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
  /** From the last save: refused (nothing written) or written with warnings. */
  const [checks, setChecks] = useState<{ written: boolean; problems: ConfigProblem[] } | null>(null);

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

  // Disks the admin confirmed as shared stay confirmed for a "save anyway" that follows.
  const confirmedShared = useRef<string[] | undefined>(undefined);
  const save = async (o: { sharedDisks?: string[]; saveAnyway?: boolean } = {}) => {
    if (o.sharedDisks) confirmedShared.current = o.sharedDisks;
    else if (o.saveAnyway) o = { ...o, sharedDisks: confirmedShared.current };
    else confirmedShared.current = undefined;
    if (!base) return;
    setSaving(true);
    setError(null);
    try {
      const r = await client.call('guests.writeConfig', {
        hostId,
        guestId: guest.id,
        text,
        baseText: base.text,
        ...(o.sharedDisks ? { sharedDisks: o.sharedDisks } : {}),
        ...(o.saveAnyway ? { saveAnyway: true } : {}),
      });
      setChecks(r.problems.length ? { written: r.written, problems: r.problems } : null);
      setReview(false);
      if (!r.written) return;
      setBase({ path: base.path, text });
      setSaved(r.backupPath);
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
      <SharedDiskConfirm key={error?.detail ?? ''} disks={shareableFromError(error)} busy={saving} onConfirm={(paths) => void save({ sharedDisks: paths })} />
      {saved && <Alert variant="success" isInline isPlain title={t('lifecycle.config.saved', { backup: saved })} />}
      {checks && <ConfigChecks checks={checks} saving={saving} onSaveAnyway={() => void save({ saveAnyway: true })} />}
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
              setChecks(null);
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

/** The host checks' findings: a refused save with its "Save anyway", or warnings of a saved one. */
function ConfigChecks({ checks, saving, onSaveAnyway }: { checks: { written: boolean; problems: ConfigProblem[] }; saving: boolean; onSaveAnyway: () => void }) {
  const { t } = useTranslation();
  const errors = checks.problems.filter((p) => p.severity === 'error');
  const refused = !checks.written;
  const title = refused
    ? t('lifecycle.config.refused', { count: errors.length })
    : errors.length
      ? t('lifecycle.config.savedAnyway', { count: errors.length })
      : t('lifecycle.config.warnings', { count: checks.problems.length });
  return (
    <Alert variant={refused || errors.length ? 'danger' : 'warning'} isInline title={title} aria-label={t('lifecycle.config.problems')}>
      <ul className="domus-config-problems">
        {checks.problems.map((p, i) => (
          <li key={i} data-severity={p.severity}>
            {p.message}
          </li>
        ))}
      </ul>
      {refused && (
        <>
          <p>{t('lifecycle.config.anywayBody')}</p>
          <Button variant="danger" onClick={onSaveAnyway} isLoading={saving} isDisabled={saving}>
            {t('lifecycle.config.saveAnyway', { count: errors.length })}
          </Button>
        </>
      )}
    </Alert>
  );
}

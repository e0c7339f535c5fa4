// One change on a guest: its fields, the live/persistent choice, an Apply button, and what happened
// (which parts ran, or the error with xl's own words behind "Details").
import { Button, Form, Title } from '@patternfly/react-core';
import { Alert } from '../Alert';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplyMode, ChangeResult } from '../../../../electron/api/cpu';
import { toClientError, type ApiClientError } from '../../api/client';
import { ErrorAlert } from '../ErrorAlert';
import { ApplyModeChoice, defaultMode } from './ApplyModeChoice';

export function ChangeSection({
  id,
  title,
  running,
  hasConfig,
  disabled,
  children,
  onApply,
}: {
  id: string;
  title: string;
  running: boolean;
  hasConfig: boolean;
  disabled?: boolean;
  children: ReactNode;
  onApply: (mode: ApplyMode) => Promise<ChangeResult>;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<ApplyMode>(defaultMode(running, hasConfig));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);
  const [done, setDone] = useState<ChangeResult | null>(null);
  const usable = (mode !== 'persistent' || hasConfig) && (mode === 'persistent' || running);
  const apply = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await onApply(mode));
    } catch (e) {
      setError(toClientError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-label={title} className="domus-cpu-section">
      <Title headingLevel="h4">{title}</Title>
      <Form
        isHorizontal
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        {children}
        <ApplyModeChoice id={id} value={mode} onChange={setMode} running={running} hasConfig={hasConfig} />
        <div>
          <Button type="submit" variant="secondary" isLoading={busy} isDisabled={busy || disabled || !usable} aria-label={t('cpu.applyNamed', { what: title })}>
            {t('cpu.applyButton')}
          </Button>
        </div>
      </Form>
      {error && <ErrorAlert error={error} onClose={() => setError(null)} />}
      {done && (
        <Alert
          variant="success"
          isInline
          isPlain
          title={
            done.live && done.persistent
              ? t('cpu.done.both', { path: done.configPath })
              : done.live
                ? t('cpu.done.live')
                : t('cpu.done.persistent', { path: done.configPath })
          }
        />
      )}
    </section>
  );
}

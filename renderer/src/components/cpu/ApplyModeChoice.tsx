// Live, persistent (the guest's config file) or both: the user chooses for every change.
import { Radio } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import type { ApplyMode } from '../../../../electron/api/cpu';

export function ApplyModeChoice({
  id,
  value,
  onChange,
  running,
  hasConfig,
}: {
  id: string;
  value: ApplyMode;
  onChange: (m: ApplyMode) => void;
  running: boolean;
  hasConfig: boolean;
}) {
  const { t } = useTranslation();
  const modes: { mode: ApplyMode; ok: boolean }[] = [
    { mode: 'live', ok: running },
    { mode: 'persistent', ok: hasConfig },
    { mode: 'both', ok: running && hasConfig },
  ];
  return (
    <div role="radiogroup" aria-label={t('cpu.apply.label')} className="domus-cpu-apply">
      {modes.map(({ mode, ok }) => (
        <Radio
          key={mode}
          id={`${id}-${mode}`}
          name={`${id}-apply`}
          label={t(`cpu.apply.${mode}`)}
          isChecked={value === mode}
          isDisabled={!ok}
          onChange={() => onChange(mode)}
        />
      ))}
    </div>
  );
}

/** The best default: both when possible, else whatever applies. */
export function defaultMode(running: boolean, hasConfig: boolean): ApplyMode {
  if (running && hasConfig) return 'both';
  return running ? 'live' : 'persistent';
}

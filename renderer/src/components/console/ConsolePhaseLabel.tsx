// Where a console stands (connecting, open, waiting for the guest, detached), the same for text
// and graphical consoles.
import { Label } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

export type ConsolePhase = 'connecting' | 'open' | 'waiting' | 'detached';

export function ConsolePhaseLabel({ phase }: { phase: ConsolePhase }) {
  const { t } = useTranslation();
  return (
    <Label color={phase === 'open' ? 'green' : phase === 'detached' ? 'grey' : 'orange'} aria-label={t('console.status')}>
      {t(`console.phase.${phase}`)}
    </Label>
  );
}

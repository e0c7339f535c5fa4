// A page's problems as inline alerts: errors stop "Next", warnings do not.
import { Alert } from '../Alert';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../../../electron/api/create';

export function Problems({ problems }: { problems: Problem[] }) {
  const { t } = useTranslation();
  if (!problems.length) return null;
  return (
    <div className="domus-create-problems" role="list" aria-label={t('create.problems')}>
      {problems.map((p, i) => (
        <div role="listitem" key={`${p.code}-${p.field}-${i}`}>
          <Alert isInline isPlain variant={p.severity === 'error' ? 'danger' : 'warning'} title={t(`create.problem.${p.code}`, { ...p.params, defaultValue: p.message })} />
        </div>
      ))}
    </div>
  );
}

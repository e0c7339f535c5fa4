// The guest creation wizard (issue 5): a page enum with one validate per page, the host's checks
// merged in as the user types, "customise before install" in the review's advanced editor, and
// creation as one task (disks, config, start) that rolls back what it made when it fails.
import { Button, List, ListItem, ModalBody, ModalFooter, ModalHeader, Wizard, WizardStep } from '@patternfly/react-core';
import { Spinner } from '../Spinner';
import { Modal } from '../Modal';
import { Alert } from '../Alert';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreateAnswers, CreateFacts, CreateResult, CreateTemplate, Problem, WizardPage } from '../../../../electron/api/create';
import { blocking, validatePage, validateStart } from '../../../../electron/api/createRules';
import { toClientError, type ApiClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { useStore } from '../../state/context';
import { openConsoleTab } from '../console/sessions';
import { ErrorAlert } from '../ErrorAlert';
import { SharedDiskConfirm, shareableFromError, type ShareableDisk } from '../SharedDiskConfirm';
import { useGuestNavigation } from '../guest/navigation';
import { PAGES, initialAnswers, randomMac } from './draft';
import { Problems } from './Problems';
import { ReviewStep, type ReviewOptions } from './ReviewStep';
import { BootStep, CpuStep, DevicesStep, NameStep, NetworkStep, StorageStep, type StepProps } from './steps';
import { useHostCheck } from './useHostCheck';

const sameProblem = (x: Problem, y: Problem) => x.code === y.code && x.field === y.field;

export function CreateWizard({ hostId, connected, onClose }: { hostId: string; connected: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [facts, setFacts] = useState<CreateFacts | null>(null);
  const [templates, setTemplates] = useState<CreateTemplate[]>([]);
  const [loadError, setLoadError] = useState<ApiClientError | null>(null);
  useEffect(() => {
    let live = true;
    client.call('create.facts', { hostId }).then((f) => live && setFacts(f), (e) => live && setLoadError(toClientError(e)));
    client.call('create.listTemplates', {}).then((l) => live && setTemplates(l), () => undefined);
    return () => {
      live = false;
    };
  }, [client, hostId]);
  return (
    <Modal isOpen variant="large" onClose={onClose} aria-labelledby="domus-create-title" className="domus-create-modal">
      <ModalHeader title={t('create.title')} labelId="domus-create-title" />
      <ModalBody>
        {loadError && <ErrorAlert error={loadError} />}
        {!facts && !loadError && <Spinner size="lg" aria-label={t('create.loading')} />}
        {facts && <WizardBody hostId={hostId} connected={connected} facts={facts} templates={templates} onClose={onClose} />}
      </ModalBody>
    </Modal>
  );
}

function WizardBody({ hostId, connected, facts, templates, onClose }: { hostId: string; connected: boolean; facts: CreateFacts; templates: CreateTemplate[]; onClose(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const nav = useGuestNavigation();
  const guests = useStore((s) => s.guests.get(hostId));
  const [a, set] = useState<CreateAnswers>(() => initialAnswers(facts));
  const [page, setPage] = useState<WizardPage>('name');
  const [opts, setOpts] = useState<ReviewOptions>({ advanced: false, text: '', start: true, openConsole: true });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);
  const [result, setResult] = useState<CreateResult | null>(null);
  // Disks the user confirmed (typed) as shared with another guest on purpose.
  const [sharedDisks, setSharedDisks] = useState<string[]>([]);
  const check = useHostCheck(hostId, a, !result && !busy, 400, sharedDisks);

  // The review's own rules depend on its "start" choice (memory free now); the pages' do not.
  const local = useMemo(
    () => Object.fromEntries(PAGES.map((p) => [p, p === 'review' ? validateStart(a, facts, { start: opts.start }) : validatePage(p, a, facts)])) as Record<WizardPage, Problem[]>,
    [a, facts, opts.start],
  );
  const problemsOf = (p: WizardPage): Problem[] => {
    const own = p === 'review' ? PAGES.flatMap((x) => local[x]) : local[p];
    const host = check.current && check.preview ? check.preview.problems.filter((hp) => (p === 'review' || hp.page === p) && !own.some((o) => sameProblem(o, hp))) : [];
    return [...own, ...host];
  };
  const stop = (p: WizardPage) => blocking(problemsOf(p)).length > 0;
  // Refused disks the preview says another guest writes: the user may confirm them as shared.
  const overridable: ShareableDisk[] =
    check.current && check.preview
      ? check.preview.problems.filter((p) => p.code === 'storage.inUse' && p.params.overridable === 1).map((p) => ({ path: String(p.params.path), users: String(p.params.users) }))
      : [];

  const create = async (shared = sharedDisks) => {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('create.create', { hostId, answers: a, configText: opts.advanced ? opts.text : null, start: opts.start, ...(shared.length ? { sharedDisks: shared } : {}) });
      setResult(r);
      if (r.started && opts.openConsole) openConsoleTab(hostId, r.name, 'text', a.type === 'hvm' ? 'serial' : 'pv');
    } catch (e) {
      setError(toClientError(e));
    } finally {
      setBusy(false);
    }
  };

  if (result) {
    const created = [...(guests?.values() ?? [])].find((g) => g.name === result.name);
    return (
      <div aria-label={t('create.done.region')} role="region">
        <Alert isInline variant="success" title={result.started ? t('create.done.started', { name: result.name }) : t('create.done.created', { name: result.name })}>
          <p>{t('create.done.made')}</p>
          <List aria-label={t('create.done.madeList')}>
            {result.created.map((c) => <ListItem key={c} className="domus-mono">{c}</ListItem>)}
          </List>
          {result.started && opts.openConsole && <p>{t('create.done.console')}</p>}
        </Alert>
        <ModalFooter>
          {nav && created && (
            <Button variant="primary" onClick={() => { nav.openGuest(hostId, created.id); onClose(); }}>{t('create.done.open', { name: result.name })}</Button>
          )}
          <Button variant="link" onClick={onClose}>{t('create.close')}</Button>
        </ModalFooter>
      </div>
    );
  }

  const props: StepProps = { hostId, connected, a, set, facts };
  const step = (id: WizardPage, body: ReactNode, last = false) => (
    <WizardStep
      id={`wz-step-${id}`}
      key={id}
      name={t(`create.page.${id}`)}
      status={id !== page && stop(id) && PAGES.indexOf(id) < PAGES.indexOf(page) ? 'error' : 'default'}
      footer={{
        isNextDisabled: last ? busy || !check.current || stop('review') : stop(id),
        nextButtonText: last ? (busy ? t('create.creating') : t('create.create')) : t('create.next'),
        backButtonText: t('create.back'),
        cancelButtonText: t('create.cancel'),
        isBackDisabled: busy,
      }}
    >
      {body}
      <Problems problems={problemsOf(id)} />
    </WizardStep>
  );
  const loadTemplate = (tpl: CreateTemplate) => {
    // A template keeps everything but the name; cards get fresh MACs (two guests must not share one).
    set({ ...tpl.answers, name: '', nics: tpl.answers.nics.map((n) => ({ ...n, mac: randomMac() })) });
  };
  return (
    <>
      {error && <ErrorAlert error={error} onClose={() => setError(null)} />}
      <SharedDiskConfirm
        key={`${error?.detail ?? ''}|${overridable.map((d) => d.path).join('|')}`}
        disks={page === 'review' ? (error ? shareableFromError(error) : overridable) : []}
        busy={busy}
        onConfirm={(paths) => {
          const all = [...new Set([...sharedDisks, ...paths])];
          setSharedDisks(all);
          if (error) void create(all);
        }}
      />
      {check.error && page === 'review' && <ErrorAlert error={check.error} />}
      {busy && <Alert isInline variant="info" title={t('create.progress', { name: a.name })} customIcon={<Spinner size="sm" />} />}
      <Wizard
        height={560}
        isVisitRequired
        navAriaLabel={t('create.steps')}
        onClose={onClose}
        onSave={() => void create()}
        onStepChange={(_e, cur) => setPage(String(cur.id).replace('wz-step-', '') as WizardPage)}
      >
        {step('name', <NameStep {...props} templates={templates} onTemplate={loadTemplate} />)}
        {step('boot', <BootStep {...props} />)}
        {step('cpu', <CpuStep {...props} />)}
        {step('storage', <StorageStep {...props} />)}
        {step('network', <NetworkStep {...props} />)}
        {step('devices', <DevicesStep {...props} />)}
        {step('review', <ReviewStep hostId={hostId} a={a} preview={check.current ? check.preview : null} opts={opts} setOpts={setOpts} />, true)}
      </Wizard>
    </>
  );
}

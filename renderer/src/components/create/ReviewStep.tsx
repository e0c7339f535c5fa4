// The last page: a plain summary, the disk plan, the exact xl.cfg that will be written, an
// advanced mode to edit it (checked by `xl create -n` on the host), the start / console options,
// and saving the answers as a template on this computer.
import {
  Button,
  Checkbox,
  ClipboardCopy,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Flex,
  HelperText,
  HelperTextItem,
  Switch,
  TextArea,
  TextInput,
} from '@patternfly/react-core';
import { Spinner } from '../Spinner';
import { Alert } from '../Alert';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreateAnswers, CreatePreview, DescribedConfig } from '../../../../electron/api/create';
import { toClientError, type ApiClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { ErrorAlert } from '../ErrorAlert';
import { answersSummary } from './draft';

/** Quiet time after an edit of the config text before xl checks it again. */
const CHECK_AFTER_EDIT_MS = 600;

export interface ReviewOptions {
  advanced: boolean;
  text: string;
  start: boolean;
  openConsole: boolean;
}

export function ReviewStep({ hostId, a, preview, opts, setOpts }: { hostId: string; a: CreateAnswers; preview: CreatePreview | null; opts: ReviewOptions; setOpts(o: ReviewOptions): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [check, setCheck] = useState<{ ok: boolean; message: string | null; detail: string | null } | 'busy' | null>(null);
  const [checkError, setCheckError] = useState<ApiClientError | null>(null);
  const [label, setLabel] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<ApiClientError | null>(null);
  // What will be written: the advanced edit, or the generated config the preview shows.
  const checkText = opts.advanced ? opts.text : (preview?.configText ?? '');
  // A hand edit: the summary follows the edited text (read by the backend), not the answers.
  const edited = opts.advanced && !!preview && opts.text !== preview.configText;
  const [described, setDescribed] = useState<{ text: string; result: DescribedConfig } | null>(null);
  useEffect(() => {
    if (!edited || !opts.text) return;
    let live = true;
    const timer = setTimeout(() => {
      client.call('create.describe', { hostId, configText: opts.text }).then(
        (result) => live && setDescribed({ text: opts.text, result }),
        () => undefined, // the summary keeps what it showed; xl's check reports the text's errors
      );
    }, CHECK_AFTER_EDIT_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, hostId, edited, opts.text]);
  /** xl's own check (xl create -n) of the config text; `stale` drops an answer no longer wanted. */
  const runCheck = useCallback(
    async (stale: () => boolean = () => false) => {
      setCheck('busy');
      setCheckError(null);
      try {
        const r = await client.call('create.dryRun', { hostId, configText: checkText });
        if (!stale()) setCheck(r);
      } catch (e) {
        if (stale()) return;
        setCheck(null);
        setCheckError(toClientError(e));
      }
    },
    [client, hostId, checkText],
  );
  // The check runs as the page shows (and after an edit settles), so the create that follows
  // need not run it again for the same text.
  useEffect(() => {
    if (!checkText) return;
    let stale = false;
    const timer = setTimeout(() => void runCheck(() => stale), CHECK_AFTER_EDIT_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [runCheck, checkText]);
  if (!preview) return <Spinner size="lg" aria-label={t('create.review.loading')} />;
  const fromEdit = edited && described ? described.result : null;
  const s = fromEdit?.summary ?? answersSummary(a);
  const boot = s.boot;
  const bootText =
    boot.kind === 'kernel' ? t('create.review.bootKernel', { kernel: boot.kernel }) :
    boot.kind === 'bootloader' ? t('create.review.bootBootloader', { bootloader: boot.bootloader }) :
    boot.kind === 'iso' ? (boot.iso ? t('create.review.bootIso', { iso: boot.iso }) : t('create.review.bootCdrom')) :
    boot.kind === 'none' ? t('create.review.bootNone') : t(`create.boot.kind.${boot.kind}`);
  const orDefault = (n: number | null) => (n === null ? t('create.review.xlDefault') : String(n));
  const saveTemplate = async () => {
    setSaveError(null);
    try {
      const tpl = await client.call('create.saveTemplate', { label, answers: a });
      setSaved(tpl.label);
    } catch (e) {
      setSaveError(toClientError(e));
    }
  };
  return (
    <div className="domus-create-review">
      {edited && described && (
        <HelperText>
          <HelperTextItem variant={fromEdit?.summary ? 'default' : 'warning'}>
            {fromEdit?.summary ? t('create.review.summaryOfEdit') : t('create.review.summaryUnreadable', { problem: fromEdit?.problem ?? '' })}
          </HelperTextItem>
        </HelperText>
      )}
      <DescriptionList isHorizontal isCompact aria-label={t('create.review.summary')}>
        <DescriptionListGroup>
          <DescriptionListTerm>{t('create.review.guest')}</DescriptionListTerm>
          <DescriptionListDescription>{t('create.review.guestIs', { name: s.name ?? '', type: s.type.toUpperCase() })}</DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
          <DescriptionListTerm>{t('create.review.boot')}</DescriptionListTerm>
          <DescriptionListDescription>{bootText}</DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
          <DescriptionListTerm>{t('create.review.cpuMemory')}</DescriptionListTerm>
          <DescriptionListDescription>{t('create.review.cpuMemoryIs', { vcpus: orDefault(s.vcpus), maxVcpus: orDefault(s.maxVcpus ?? s.vcpus), memory: orDefault(s.memoryMiB), maxMemory: orDefault(s.maxMemoryMiB ?? s.memoryMiB) })}</DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
          <DescriptionListTerm>{t('create.review.network')}</DescriptionListTerm>
          <DescriptionListDescription>
            {s.nics.length
              ? s.nics.map((n) => `${n.bridge ?? t('create.review.xlDefault')} (${n.mac ?? t('create.review.randomMac')}${n.model ? `, ${n.model}` : ''})`).join('; ')
              : t('create.network.none')}
          </DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
          <DescriptionListTerm>{t('create.review.config')}</DescriptionListTerm>
          <DescriptionListDescription className="domus-mono">{preview.configPath}</DescriptionListDescription>
        </DescriptionListGroup>
      </DescriptionList>
      {preview.disks.length > 0 && (
        <Table aria-label={t('create.review.disks')} variant="compact" role="table">
          <Thead>
            <Tr>
              <Th>{t('create.review.vdev')}</Th>
              <Th>{t('create.review.action')}</Th>
              <Th>{t('create.storage.path')}</Th>
              <Th>{t('create.storage.format')}</Th>
              <Th>{t('create.storage.size')}</Th>
            </Tr>
          </Thead>
          <Tbody>
            {preview.disks.map((d) => (
              <Tr key={d.vdev}>
                <Td className="domus-mono">{d.vdev}</Td>
                <Td>{t(`create.review.actions.${d.action}`)}</Td>
                <Td className="domus-mono">{d.target || t('create.review.empty')}</Td>
                <Td>{d.format ?? ''}</Td>
                <Td>{d.sizeMiB !== null ? `${d.sizeMiB} MiB` : ''}</Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      <Switch
        id="wz-advanced"
        label={t('create.review.advanced')}
        isChecked={opts.advanced}
        onChange={(_e, on) => {
          setCheck(null);
          setOpts({ ...opts, advanced: on, text: on ? (opts.text || preview.configText) : '' });
        }}
      />
      {opts.advanced ? (
        <>
          <TextArea aria-label={t('create.review.editor')} className="domus-mono" rows={16} value={opts.text} onChange={(_e, v) => { setCheck(null); setOpts({ ...opts, text: v }); }} />
          <Flex>
            <Button variant="secondary" onClick={() => void runCheck()} isLoading={check === 'busy'} isDisabled={check === 'busy'}>{t('create.review.check')}</Button>
            <Button variant="link" onClick={() => { setCheck(null); setOpts({ ...opts, text: preview.configText }); }}>{t('create.review.reset')}</Button>
          </Flex>
          {checkError && <ErrorAlert error={checkError} />}
          {check && check !== 'busy' && (check.ok
            ? <Alert isInline variant="success" title={t('create.review.checkOk')} />
            : <Alert isInline variant="danger" title={t('create.review.checkFailed')}><pre className="domus-mono">{check.detail}</pre></Alert>)}
        </>
      ) : (
        <ClipboardCopy isCode isReadOnly isExpanded variant="expansion" hoverTip={t('create.review.copy')} clickTip={t('create.review.copied')} aria-label={t('create.review.configText')}>
          {preview.configText}
        </ClipboardCopy>
      )}
      <Checkbox id="wz-start" label={t('create.review.start')} isChecked={opts.start} onChange={(_e, v) => setOpts({ ...opts, start: v, openConsole: v && opts.openConsole })} />
      <Checkbox id="wz-open-console" label={t('create.review.openConsole')} isDisabled={!opts.start} isChecked={opts.openConsole} onChange={(_e, v) => setOpts({ ...opts, openConsole: v })} />
      <Flex alignItems={{ default: 'alignItemsCenter' }}>
        <TextInput aria-label={t('create.review.templateName')} placeholder={t('create.review.templateName')} value={label} onChange={(_e, v) => setLabel(v)} style={{ maxWidth: 260 }} />
        <Button variant="secondary" isDisabled={!label.trim()} onClick={saveTemplate}>{t('create.review.saveTemplate')}</Button>
        {saved && <span role="status">{t('create.review.templateSaved', { label: saved })}</span>}
      </Flex>
      {saveError && <ErrorAlert error={saveError} />}
    </div>
  );
}

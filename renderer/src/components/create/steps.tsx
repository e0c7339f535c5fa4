// The wizard's pages (one component each): name and type, boot, CPU and memory, storage,
// network, devices and console. Each edits the one draft; the wizard validates per page.
import {
  Button,
  Checkbox,
  Flex,
  FlexItem,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  NumberInput,
  Radio,
  TextInput,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';
import { GuestType, ImageFormat, NicModel, type CreateAnswers, type CreateFacts, type CreateTemplate, type DiskAnswer } from '../../../../electron/api/create';
import { BOOT_KINDS, DEFAULT_CMDLINE, defaultImagePath, IMAGE_EXT } from '../../../../electron/api/createRules';
import { PciPicker } from '../pci/PciPicker';
import { HostPathField, parentOf } from './HostFileBrowser';
import { defaultBoot, diskPath, newDisk, randomMac, withType } from './draft';

export interface StepProps {
  hostId: string;
  connected: boolean;
  a: CreateAnswers;
  set(a: CreateAnswers): void;
  facts: CreateFacts;
}

const int = (v: string | number, fallback: number) => {
  const n = typeof v === 'number' ? v : parseInt(v, 10);
  return Number.isFinite(n) ? n : fallback;
};

export function NameStep({ a, set, facts, templates, onTemplate }: StepProps & { templates: CreateTemplate[]; onTemplate(t: CreateTemplate): void }) {
  const { t } = useTranslation();
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      {templates.length > 0 && (
        <FormGroup label={t('create.name.template')} fieldId="wz-template">
          <FormSelect
            id="wz-template"
            aria-label={t('create.name.template')}
            value=""
            onChange={(_e, id) => {
              const tpl = templates.find((x) => x.id === id);
              if (tpl) onTemplate(tpl);
            }}
          >
            <FormSelectOption value="" label={t('create.name.templateNone')} />
            {templates.map((x) => (
              <FormSelectOption key={x.id} value={x.id} label={x.label} />
            ))}
          </FormSelect>
        </FormGroup>
      )}
      <FormGroup label={t('create.name.name')} isRequired fieldId="wz-name">
        <TextInput id="wz-name" aria-label={t('create.name.name')} isRequired value={a.name} onChange={(_e, v) => set({ ...a, name: v.trim() })} />
        <FormHelperText>
          <HelperText>
            <HelperTextItem>{t('create.name.nameHelp')}</HelperTextItem>
          </HelperText>
        </FormHelperText>
      </FormGroup>
      <FormGroup label={t('create.name.type')} role="radiogroup" isStack fieldId="wz-type">
        {GuestType.options.map((ty) => (
          <Radio
            key={ty}
            id={`wz-type-${ty}`}
            name="wz-type"
            label={t(`create.type.${ty}`)}
            description={facts.types[ty].available ? t(`create.type.${ty}Help`) : t('create.type.unavailable', { reason: facts.types[ty].reason ?? '' })}
            isDisabled={!facts.types[ty].available}
            isChecked={a.type === ty}
            onChange={() => set(withType(a, ty))}
          />
        ))}
      </FormGroup>
    </Form>
  );
}

export function BootStep({ hostId, a, set, facts }: StepProps) {
  const { t } = useTranslation();
  const b = a.boot;
  const importDisk = a.disks[0]?.kind === 'existing' || a.disks[0]?.kind === 'copy' ? a.disks[0] : null;
  const setImport = (d: DiskAnswer | null) => {
    const rest = importDisk ? a.disks.slice(1) : a.disks;
    set({ ...a, disks: d ? [d, ...rest] : rest });
  };
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      <FormGroup label={t('create.boot.method')} role="radiogroup" isStack fieldId="wz-boot">
        {BOOT_KINDS[a.type].map((k) => (
          <Radio
            key={k}
            id={`wz-boot-${k}`}
            name="wz-boot"
            label={t(`create.boot.kind.${k}`)}
            isChecked={b.kind === k}
            onChange={() => set({ ...a, boot: defaultBoot(a.type, k) })}
          />
        ))}
      </FormGroup>
      {b.kind === 'kernel' && (
        <>
          <FormGroup label={t('create.boot.kernel')} isRequired fieldId="wz-kernel">
            <HostPathField hostId={hostId} id="wz-kernel" label={t('create.boot.kernel')} isRequired value={b.kernel} startDir="/boot" onChange={(v) => set({ ...a, boot: { ...b, kernel: v } })} />
          </FormGroup>
          <FormGroup label={t('create.boot.ramdisk')} fieldId="wz-ramdisk">
            {/* The ramdisk usually sits beside its kernel. */}
            <HostPathField hostId={hostId} id="wz-ramdisk" label={t('create.boot.ramdisk')} value={b.ramdisk ?? ''} startDir={b.kernel.startsWith('/') ? parentOf(b.kernel) : '/boot'}
              onChange={(v) => set({ ...a, boot: { ...b, ramdisk: v || null } })} />
          </FormGroup>
          <FormGroup label={t('create.boot.cmdline')} fieldId="wz-cmdline">
            <TextInput id="wz-cmdline" aria-label={t('create.boot.cmdline')} aria-describedby="wz-cmdline-hint" value={b.cmdline} onChange={(_e, v) => set({ ...a, boot: { ...b, cmdline: v } })} />
            <FormHelperText>
              <HelperText id="wz-cmdline-hint">
                <HelperTextItem>{a.type === 'hvm' ? t('create.boot.cmdlineHintHvm', { console: DEFAULT_CMDLINE.hvm }) : t('create.boot.cmdlineHintPv', { console: DEFAULT_CMDLINE[a.type] })}</HelperTextItem>
              </HelperText>
            </FormHelperText>
          </FormGroup>
        </>
      )}
      {b.kind === 'firmware' && (
        <FormGroup label={t('create.boot.firmware')} isRequired fieldId="wz-firmware">
          <HostPathField hostId={hostId} id="wz-firmware" label={t('create.boot.firmware')} isRequired value={b.path} startDir="/usr/lib" onChange={(v) => set({ ...a, boot: { kind: 'firmware', path: v } })} />
        </FormGroup>
      )}
      {b.kind === 'iso' && (
        <FormGroup label={t('create.boot.iso')} isRequired fieldId="wz-iso">
          <HostPathField hostId={hostId} id="wz-iso" label={t('create.boot.iso')} isRequired value={b.iso} startDir={facts.storageDir} onChange={(v) => set({ ...a, boot: { kind: 'iso', iso: v } })} />
        </FormGroup>
      )}
      <FormGroup label={t('create.boot.import')} fieldId="wz-import" isStack>
        <Checkbox
          id="wz-import"
          label={t('create.boot.importLabel')}
          isChecked={importDisk !== null}
          onChange={(_e, on) => setImport(on ? { kind: 'existing', path: '', format: 'raw' } : null)}
        />
        {importDisk && (
          <>
            <HostPathField hostId={hostId} id="wz-import-path" label={t('create.boot.importPath')} value={importDisk.kind === 'copy' ? importDisk.source : importDisk.path} startDir={facts.storageDir}
              onChange={(v) => setImport(importDisk.kind === 'copy' ? { ...importDisk, source: v } : { ...importDisk, path: v })} />
            <Flex>
              <FlexItem>
                <FormSelect aria-label={t('create.boot.importFormat')} value={(importDisk.kind === 'copy' ? importDisk.format : importDisk.format) ?? 'raw'}
                  onChange={(_e, v) => setImport({ ...importDisk, format: v as ImageFormat })}>
                  {ImageFormat.options.map((f) => <FormSelectOption key={f} value={f} label={f} />)}
                </FormSelect>
              </FlexItem>
              <FlexItem>
                <Checkbox id="wz-import-copy" label={t('create.boot.importCopy')} isChecked={importDisk.kind === 'copy'}
                  onChange={(_e, on) => setImport(on
                    ? { kind: 'copy', source: importDisk.kind === 'existing' ? importDisk.path : '', path: defaultImagePath(a.name || 'guest', 0, importDisk.format ?? 'raw', facts.storageDir), format: importDisk.format ?? 'raw' }
                    : { kind: 'existing', path: importDisk.kind === 'copy' ? importDisk.source : '', format: importDisk.format })} />
              </FlexItem>
            </Flex>
          </>
        )}
      </FormGroup>
    </Form>
  );
}

export function CpuStep({ a, set, facts }: StepProps) {
  const { t } = useTranslation();
  const num = (id: string, label: string, value: number, onSet: (n: number) => void, unit?: string) => (
    <FormGroup label={label} fieldId={id}>
      <NumberInput
        id={id}
        value={value}
        min={1}
        unit={unit}
        inputAriaLabel={label}
        minusBtnAriaLabel={t('create.cpu.less', { what: label })}
        plusBtnAriaLabel={t('create.cpu.more', { what: label })}
        onMinus={() => onSet(Math.max(1, value - 1))}
        onPlus={() => onSet(value + 1)}
        onChange={(e) => onSet(int((e.target as HTMLInputElement).value, value))}
      />
    </FormGroup>
  );
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      <HelperText>
        <HelperTextItem>{t('create.cpu.host', { cpus: facts.nrCpus, free: facts.freeMemoryMiB, total: facts.totalMemoryMiB })}</HelperTextItem>
      </HelperText>
      {num('wz-vcpus', t('create.cpu.vcpus'), a.vcpus, (n) => set({ ...a, vcpus: n, maxVcpus: Math.max(n, a.maxVcpus === a.vcpus ? n : a.maxVcpus) }))}
      {num('wz-maxvcpus', t('create.cpu.maxVcpus'), a.maxVcpus, (n) => set({ ...a, maxVcpus: n }))}
      {num('wz-memory', t('create.cpu.memory'), a.memoryMiB, (n) => set({ ...a, memoryMiB: n, maxMemoryMiB: a.maxMemoryMiB === a.memoryMiB ? n : Math.max(n, a.maxMemoryMiB) }), 'MiB')}
      {num('wz-maxmemory', t('create.cpu.maxMemory'), a.maxMemoryMiB, (n) => set({ ...a, maxMemoryMiB: n }), 'MiB')}
    </Form>
  );
}

function DiskRow({ hostId, a, set, facts, i }: StepProps & { i: number }) {
  const { t } = useTranslation();
  const d = a.disks[i];
  const put = (nd: DiskAnswer) => set({ ...a, disks: a.disks.map((x, j) => (j === i ? nd : x)) });
  const n = i + 1;
  const kinds: DiskAnswer['kind'][] = ['new', 'existing', ...(facts.volumeGroups.length ? (['lvm'] as const) : []), ...(a.type === 'hvm' ? (['cdrom'] as const) : [])];
  const switchKind = (k: DiskAnswer['kind']) => {
    if (k === 'new') put(newDisk({ ...a, disks: a.disks.slice(0, i) }, facts));
    else if (k === 'existing') put({ kind: 'existing', path: '', format: 'raw' });
    else if (k === 'lvm') put({ kind: 'lvm', vg: facts.volumeGroups[0]?.name ?? '', lv: `${a.name || 'guest'}-disk${n}`, sizeMiB: 8192 });
    else if (k === 'cdrom') put({ kind: 'cdrom', path: null });
  };
  return (
    <Tr>
      <Td dataLabel={t('create.storage.kind')}>
        <FormSelect aria-label={t('create.storage.kindOf', { n })} value={d.kind} onChange={(_e, v) => switchKind(v as DiskAnswer['kind'])}>
          {[...new Set([...kinds, d.kind])].map((k) => <FormSelectOption key={k} value={k} label={t(`create.storage.kinds.${k}`)} />)}
        </FormSelect>
      </Td>
      <Td dataLabel={t('create.storage.path')} style={{ minWidth: 340 }}>
        {d.kind === 'lvm' ? (
          <Flex>
            <FormSelect aria-label={t('create.storage.vgOf', { n })} value={d.vg} onChange={(_e, v) => put({ ...d, vg: v })}>
              {facts.volumeGroups.map((v) => <FormSelectOption key={v.name} value={v.name} label={t('create.storage.vgFree', { vg: v.name, free: v.freeMiB })} />)}
            </FormSelect>
            <TextInput aria-label={t('create.storage.lvOf', { n })} value={d.lv} onChange={(_e, v) => put({ ...d, lv: v })} />
          </Flex>
        ) : d.kind === 'copy' ? (
          <TextInput aria-label={t('create.storage.pathOf', { n })} value={d.path} onChange={(_e, v) => put({ ...d, path: v })} />
        ) : d.kind === 'new' ? (
          <TextInput aria-label={t('create.storage.pathOf', { n })} value={d.path} onChange={(_e, v) => put({ ...d, path: v })} />
        ) : (
          <HostPathField hostId={hostId} id={`wz-disk-${i}`} label={t('create.storage.pathOf', { n })} value={diskPath(d)} startDir={facts.storageDir}
            onChange={(v) => put(d.kind === 'cdrom' ? { ...d, path: v || null } : { ...d, path: v })} />
        )}
      </Td>
      <Td dataLabel={t('create.storage.format')}>
        {(d.kind === 'new' || d.kind === 'existing' || d.kind === 'copy') && (
          <FormSelect aria-label={t('create.storage.formatOf', { n })} value={d.format ?? 'raw'}
            onChange={(_e, v) => {
              const f = v as ImageFormat;
              // A suggested path follows the format's extension; a typed one is left alone.
              if (d.kind === 'new' && /\.(img|qcow2|vhd)$/.test(d.path)) put({ ...d, format: f, path: d.path.replace(/\.(img|qcow2|vhd)$/, `.${IMAGE_EXT[f]}`) });
              else put({ ...d, format: f });
            }}>
            {ImageFormat.options.map((f) => <FormSelectOption key={f} value={f} label={f} />)}
          </FormSelect>
        )}
      </Td>
      <Td dataLabel={t('create.storage.size')}>
        {(d.kind === 'new' || d.kind === 'lvm') && (
          <TextInput type="number" aria-label={t('create.storage.sizeOf', { n })} value={d.sizeMiB} onChange={(_e, v) => put({ ...d, sizeMiB: int(v, d.sizeMiB) })} />
        )}
      </Td>
      <Td>
        <Button variant="link" isDanger onClick={() => set({ ...a, disks: a.disks.filter((_x, j) => j !== i) })} aria-label={t('create.storage.removeOf', { n })}>
          {t('create.remove')}
        </Button>
      </Td>
    </Tr>
  );
}

export function StorageStep(p: StepProps) {
  const { t } = useTranslation();
  const { a, set, facts } = p;
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      <HelperText>
        <HelperTextItem>{t('create.storage.help', { dir: facts.storageDir })}</HelperTextItem>
        {!facts.volumeGroups.length && <HelperTextItem>{t('create.storage.noLvm')}</HelperTextItem>}
      </HelperText>
      {a.disks.length > 0 && (
        <Table aria-label={t('create.storage.table')} variant="compact" role="table">
          <Thead>
            <Tr>
              <Th>{t('create.storage.kind')}</Th>
              <Th>{t('create.storage.path')}</Th>
              <Th>{t('create.storage.format')}</Th>
              <Th>{t('create.storage.size')}</Th>
              <Th screenReaderText={t('create.storage.actions')} />
            </Tr>
          </Thead>
          <Tbody>
            {a.disks.map((_d, i) => <DiskRow key={i} {...p} i={i} />)}
          </Tbody>
        </Table>
      )}
      <Flex>
        <Button variant="secondary" onClick={() => set({ ...a, disks: [...a.disks, newDisk(a, facts)] })}>{t('create.storage.add')}</Button>
        {a.type === 'hvm' && !a.disks.some((d) => d.kind === 'cdrom') && a.boot.kind !== 'iso' && (
          <Button variant="secondary" onClick={() => set({ ...a, disks: [...a.disks, { kind: 'cdrom', path: null }] })}>{t('create.storage.addCdrom')}</Button>
        )}
      </Flex>
    </Form>
  );
}

export function NetworkStep({ a, set, facts }: StepProps) {
  const { t } = useTranslation();
  const put = (i: number, n: CreateAnswers['nics'][number]) => set({ ...a, nics: a.nics.map((x, j) => (j === i ? n : x)) });
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      {!facts.bridges.length && (
        <HelperText>
          <HelperTextItem variant="warning">{t('create.network.noBridges')}</HelperTextItem>
        </HelperText>
      )}
      {a.nics.length === 0 && <p>{t('create.network.none')}</p>}
      {a.nics.map((n, i) => (
        <FormGroup key={i} label={t('create.network.card', { n: i + 1 })} fieldId={`wz-nic-${i}`} role="group">
          <Flex>
            <FormSelect id={`wz-nic-${i}`} aria-label={t('create.network.bridgeOf', { n: i + 1 })} value={n.bridge} onChange={(_e, v) => put(i, { ...n, bridge: v })}>
              {[...new Set([...facts.bridges, n.bridge])].map((b) => <FormSelectOption key={b} value={b} label={b} />)}
            </FormSelect>
            <TextInput aria-label={t('create.network.macOf', { n: i + 1 })} value={n.mac} onChange={(_e, v) => put(i, { ...n, mac: v.trim() })} />
            <Button variant="secondary" onClick={() => put(i, { ...n, mac: randomMac() })} aria-label={t('create.network.newMacOf', { n: i + 1 })}>{t('create.network.newMac')}</Button>
            {a.type === 'hvm' && (
              <FormSelect aria-label={t('create.network.modelOf', { n: i + 1 })} value={n.model ?? ''} onChange={(_e, v) => put(i, { ...n, model: v === '' ? null : (v as 'e1000' | 'rtl8139') })}>
                <FormSelectOption value="" label={t('create.network.modelDefault')} />
                {NicModel.options.map((m) => <FormSelectOption key={m} value={m} label={m} />)}
              </FormSelect>
            )}
            <Button variant="link" isDanger onClick={() => set({ ...a, nics: a.nics.filter((_x, j) => j !== i) })} aria-label={t('create.network.removeOf', { n: i + 1 })}>{t('create.remove')}</Button>
          </Flex>
        </FormGroup>
      ))}
      <div>
        <Button variant="secondary" isDisabled={!facts.bridges.length} onClick={() => set({ ...a, nics: [...a.nics, { bridge: facts.bridges[0], mac: randomMac(), model: null }] })}>
          {t('create.network.add')}
        </Button>
      </div>
    </Form>
  );
}

export function DevicesStep({ hostId, connected, a, set }: StepProps) {
  const { t } = useTranslation();
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      <FormGroup label={t('create.devices.pci')} fieldId="wz-pci">
        <PciPicker hostId={hostId} connected={connected} value={a.pci} onChange={(v) => set({ ...a, pci: v.map((s) => ({ address: s.address, options: s.options })) })} />
        <Checkbox id="wz-passthrough" label={t('create.devices.passthrough')} description={t('create.devices.passthroughHelp')} isChecked={a.passthroughEnabled || a.pci.length > 0} isDisabled={a.pci.length > 0}
          onChange={(_e, v) => set({ ...a, passthroughEnabled: v })} />
      </FormGroup>
      <FormGroup label={t('create.devices.console')} fieldId="wz-console">
        <HelperText>
          <HelperTextItem>{a.type === 'hvm' ? t('create.devices.consoleHvm') : t('create.devices.consolePv')}</HelperTextItem>
        </HelperText>
      </FormGroup>
      {a.type === 'hvm' && (
        <FormGroup label={t('create.devices.vnc')} fieldId="wz-vnc">
          <Checkbox id="wz-vnc" label={t('create.devices.vncOn')} isChecked={a.vnc} onChange={(_e, v) => set({ ...a, vnc: v, vncPassword: v ? a.vncPassword : null })} />
          {a.vnc && (
            <TextInput type="password" aria-label={t('create.devices.vncPassword')} placeholder={t('create.devices.vncPasswordHint')} value={a.vncPassword ?? ''} onChange={(_e, v) => set({ ...a, vncPassword: v || null })} />
          )}
        </FormGroup>
      )}
    </Form>
  );
}

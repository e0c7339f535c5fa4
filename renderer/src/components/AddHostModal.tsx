import {
  Button,
  ClipboardCopy,
  Checkbox,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  ModalBody,
  ModalFooter,
  ModalHeader,
  Radio,
  TextInput,
} from '@patternfly/react-core';
import { Modal } from './Modal';
import { Alert } from './Alert';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { HostProfileInput, type HostSummary, type SshConfigAlias } from '../../../electron/api/hosts';
import type { LocalXen } from '../../../electron/api/hostMethods';
import { toClientError, type ApiClientError } from '../api/client';
import { useClient } from '../api/context';
import { useStoreInstance } from '../state/context';
import { ErrorAlert } from './ErrorAlert';

type AuthMethod = 'agent' | 'key' | 'password';
type Field = 'name' | 'address' | 'port' | 'user' | 'keyPath' | 'passphrase' | 'password';

interface FormState {
  kind: 'ssh' | 'local';
  alias: string;
  name: string;
  address: string;
  port: string;
  user: string;
  auth: AuthMethod;
  keyPath: string;
  passphrase: string;
  password: string;
  sudo: boolean;
}

const initial: FormState = {
  kind: 'ssh',
  alias: '',
  name: '',
  address: '',
  port: '22',
  user: 'root',
  auth: 'agent',
  keyPath: '',
  passphrase: '',
  password: '',
  sudo: false,
};

/** The edit dialog starts from the host as it is; saved secrets are never sent back, so stay empty. */
function fromHost(h: HostSummary): FormState {
  return {
    ...initial,
    kind: h.kind,
    name: h.name,
    address: h.address ?? '',
    port: String(h.port ?? 22),
    user: h.user ?? 'root',
    auth: h.authMethod ?? 'agent',
    keyPath: h.keyPath ?? '',
    sudo: h.sudo ?? false,
  };
}

/** Builds the contract's input from the form; validation is the contract's own zod schema. */
export function buildProfile(f: FormState): unknown {
  if (f.kind === 'local') return { kind: 'local', name: f.name };
  const port = f.port.trim() === '' ? Number.NaN : Number(f.port);
  const auth =
    f.auth === 'agent'
      ? { method: 'agent' }
      : f.auth === 'key'
        ? { method: 'key', keyPath: f.keyPath.trim(), ...(f.passphrase ? { passphrase: f.passphrase } : {}) }
        : { method: 'password', ...(f.password ? { password: f.password } : {}) };
  return {
    kind: 'ssh',
    name: f.name,
    address: f.address.trim(),
    port,
    user: f.user.trim(),
    auth,
    sudo: f.sudo,
    ...(f.alias ? { sshConfigAlias: f.alias } : {}),
  };
}

export function validateProfile(f: FormState): { profile?: HostProfileInput; errors: Partial<Record<Field, true>> } {
  const r = HostProfileInput.safeParse(buildProfile(f));
  if (r.success) return { profile: r.data, errors: {} };
  const errors: Partial<Record<Field, true>> = {};
  for (const issue of r.error.issues) {
    const [first, second] = issue.path;
    const field = (first === 'auth' ? second : first) as Field | undefined;
    if (field) errors[field] = true;
  }
  return { errors };
}

function FieldError({ show, id, text }: { show: boolean; id: string; text: string }) {
  if (!show) return null;
  return (
    <FormHelperText>
      <HelperText>
        <HelperTextItem variant="error" id={id}>
          {text}
        </HelperTextItem>
      </HelperText>
    </FormHelperText>
  );
}

function AddHostForm({ onClose, onAdded, editing }: { onClose: () => void; onAdded: (hostId: string) => void; editing?: HostSummary }) {
  const { t } = useTranslation();
  const client = useClient();
  const store = useStoreInstance();
  const [f, setF] = useState<FormState>(() => (editing ? fromHost(editing) : initial));
  // A saved password stays unless a new one is typed; a newly chosen password method needs one.
  const keepsPassword = editing?.authMethod === 'password';
  const [aliases, setAliases] = useState<SshConfigAlias[] | null>(null);
  const [local, setLocal] = useState<LocalXen | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);

  useEffect(() => {
    let live = true;
    client
      .call('hosts.sshConfigAliases', {})
      .then((a) => live && setAliases(a))
      .catch(() => live && setAliases([]));
    client
      .call('app.info', {})
      .then((i) => live && setLocal(i.local ?? { offered: i.localXen, available: i.localXen, reason: null, sudoRule: null }))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [client]);

  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((prev) => ({ ...prev, [k]: v }));
  const { errors, profile } = validateProfile(f);
  const err = (field: Field) => submitted && !!errors[field];
  const v = (field: Field) => (err(field) ? 'error' : 'default');

  const pickAlias = (aliasName: string) => {
    const a = aliases?.find((x) => x.alias === aliasName);
    if (!a) {
      set('alias', '');
      return;
    }
    setF((prev) => ({
      ...prev,
      kind: 'ssh',
      alias: a.alias,
      name: a.alias,
      address: a.hostName,
      port: String(a.port),
      user: a.user ?? prev.user,
      auth: a.identityFile ? 'key' : 'agent',
      keyPath: a.identityFile ?? '',
    }));
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setSubmitted(true);
    if (!profile || busy) return;
    setBusy(true);
    setError(null);
    if (editing) {
      try {
        store.upsertHost(await client.call('hosts.update', { hostId: editing.id, profile }));
        onClose();
      } catch (x) {
        setError(toClientError(x));
        setBusy(false);
      }
      return;
    }
    try {
      const summary = await client.call('hosts.add', { profile });
      store.upsertHost(summary);
      onAdded(summary.id);
      onClose();
      try {
        store.upsertHost(await client.call('hosts.connect', { hostId: summary.id }));
      } catch {
        // The connection's failure arrives as a connection.state event and shows on the host.
      }
    } catch (x) {
      setError(toClientError(x));
      setBusy(false);
    }
  };

  const ssh = f.kind === 'ssh';
  return (
    <>
      <ModalHeader
        title={editing ? t('editHost.title', { host: editing.name }) : t('addHost.title')}
        labelId="add-host-title"
        descriptorId="add-host-description"
        description={editing ? t('editHost.description') : t('addHost.description')}
      />
      <ModalBody>
        {error && <ErrorAlert error={error} />}
        <Form id="add-host-form" onSubmit={submit} noValidate>
          {!editing && local?.offered && (
            <FormGroup role="radiogroup" isInline fieldId="add-host-kind" label={t('addHost.kind')} isStack={false}>
              <Radio id="add-host-kind-ssh" name="kind" label={t('addHost.kindSsh')} isChecked={ssh} onChange={() => set('kind', 'ssh')} />
              <Radio id="add-host-kind-local" name="kind" label={t('addHost.kindLocal')} isChecked={!ssh} onChange={() => set('kind', 'local')} />
            </FormGroup>
          )}
          {!editing && local && !local.offered && local.reason && (
            <HelperText>
              <HelperTextItem>{local.reason}</HelperTextItem>
            </HelperText>
          )}
          {!ssh && local && !local.available && (
            <Alert variant="warning" isInline title={t('addHost.localRights')}>
              <p>{local.reason}</p>
              {local.sudoRule && (
                <ClipboardCopy isReadOnly hoverTip={t('addHost.copy')} clickTip={t('addHost.copied')} textAriaLabel={t('addHost.sudoRule')}>
                  {local.sudoRule}
                </ClipboardCopy>
              )}
            </Alert>
          )}
          {ssh && !editing && (
            <FormGroup label={t('addHost.alias')} fieldId="add-host-alias">
              <FormSelect id="add-host-alias" value={f.alias} onChange={(_e, val) => pickAlias(val)} isDisabled={!aliases?.length}>
                <FormSelectOption
                  value=""
                  label={aliases === null ? t('addHost.aliasLoading') : aliases.length ? t('addHost.aliasNone') : t('addHost.aliasEmpty')}
                />
                {aliases?.map((a) => (
                  <FormSelectOption key={a.alias} value={a.alias} label={t('addHost.aliasOption', { alias: a.alias, host: a.hostName })} />
                ))}
              </FormSelect>
              <FormHelperText>
                <HelperText>
                  <HelperTextItem>{t('addHost.aliasHelp')}</HelperTextItem>
                </HelperText>
              </FormHelperText>
            </FormGroup>
          )}
          <FormGroup label={t('addHost.name')} isRequired fieldId="add-host-name">
            <TextInput id="add-host-name" value={f.name} onChange={(_e, val) => set('name', val)} validated={v('name')} aria-describedby={err('name') ? 'add-host-name-error' : undefined} autoFocus />
            <FieldError show={err('name')} id="add-host-name-error" text={t('addHost.errors.name')} />
          </FormGroup>
          {ssh && (
            <>
              <FormGroup label={t('addHost.address')} isRequired fieldId="add-host-address">
                <TextInput id="add-host-address" value={f.address} onChange={(_e, val) => set('address', val)} validated={v('address')} aria-describedby={err('address') ? 'add-host-address-error' : undefined} spellCheck={false} />
                <FieldError show={err('address')} id="add-host-address-error" text={t('addHost.errors.address')} />
              </FormGroup>
              <FormGroup label={t('addHost.port')} isRequired fieldId="add-host-port">
                <TextInput id="add-host-port" type="number" min={1} max={65535} value={f.port} onChange={(_e, val) => set('port', val)} validated={v('port')} aria-describedby={err('port') ? 'add-host-port-error' : undefined} />
                <FieldError show={err('port')} id="add-host-port-error" text={t('addHost.errors.port')} />
              </FormGroup>
              <FormGroup label={t('addHost.user')} isRequired fieldId="add-host-user">
                <TextInput id="add-host-user" value={f.user} onChange={(_e, val) => set('user', val)} validated={v('user')} aria-describedby={err('user') ? 'add-host-user-error' : undefined} spellCheck={false} />
                <FieldError show={err('user')} id="add-host-user-error" text={t('addHost.errors.user')} />
              </FormGroup>
              <FormGroup role="radiogroup" fieldId="add-host-auth" label={t('addHost.auth')} isStack>
                <Radio id="add-host-auth-agent" name="auth" label={t('addHost.authAgent')} description={t('addHost.authAgentHelp')} isChecked={f.auth === 'agent'} onChange={() => set('auth', 'agent')} />
                <Radio id="add-host-auth-key" name="auth" label={t('addHost.authKey')} isChecked={f.auth === 'key'} onChange={() => set('auth', 'key')} />
                <Radio id="add-host-auth-password" name="auth" label={t('addHost.authPassword')} description={t('addHost.authPasswordHelp')} isChecked={f.auth === 'password'} onChange={() => set('auth', 'password')} />
              </FormGroup>
              {f.auth === 'key' && (
                <>
                  <FormGroup label={t('addHost.keyPath')} isRequired fieldId="add-host-key-path">
                    <TextInput id="add-host-key-path" value={f.keyPath} placeholder={t('addHost.keyPathPlaceholder')} onChange={(_e, val) => set('keyPath', val)} validated={v('keyPath')} aria-describedby={err('keyPath') ? 'add-host-key-path-error' : undefined} spellCheck={false} />
                    <FieldError show={err('keyPath')} id="add-host-key-path-error" text={t('addHost.errors.keyPath')} />
                  </FormGroup>
                  <FormGroup label={t('addHost.passphrase')} fieldId="add-host-passphrase">
                    <TextInput id="add-host-passphrase" type="password" autoComplete="off" value={f.passphrase} onChange={(_e, val) => set('passphrase', val)} validated={v('passphrase')} />
                    <FieldError show={err('passphrase')} id="add-host-passphrase-error" text={t('addHost.errors.secret')} />
                  </FormGroup>
                </>
              )}
              {f.auth === 'password' && (
                <FormGroup label={t('addHost.password')} fieldId="add-host-password">
                  <TextInput id="add-host-password" type="password" autoComplete="off" value={f.password} onChange={(_e, val) => set('password', val)} validated={v('password')} />
                  <FieldError show={err('password')} id="add-host-password-error" text={t('addHost.errors.secret')} />
                  {keepsPassword && (
                    <FormHelperText>
                      <HelperText>
                        <HelperTextItem>{t('editHost.keepPassword')}</HelperTextItem>
                      </HelperText>
                    </FormHelperText>
                  )}
                </FormGroup>
              )}
              <Checkbox id="add-host-sudo" label={t('addHost.sudo')} description={t('addHost.sudoHelp')} isChecked={f.sudo} onChange={(_e, val) => set('sudo', val)} />
            </>
          )}
          {/* Enter in any field submits; the visible buttons are in the footer. */}
          <button type="submit" hidden tabIndex={-1} />
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={() => void submit()} isLoading={busy} isDisabled={busy}>
          {editing ? t('editHost.submit') : t('addHost.submit')}
        </Button>
        <Button variant="link" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </ModalFooter>
    </>
  );
}

/** Adds a host, or with `editing` changes that host's profile in place (hosts.update). */
export function AddHostModal({
  isOpen,
  onClose,
  onAdded,
  editing,
}: {
  isOpen: boolean;
  onClose: () => void;
  onAdded: (hostId: string) => void;
  editing?: HostSummary;
}) {
  return (
    <Modal variant="medium" isOpen={isOpen} onClose={onClose} aria-labelledby="add-host-title" aria-describedby="add-host-description">
      {isOpen && <AddHostForm onClose={onClose} onAdded={onAdded} {...(editing ? { editing } : {})} />}
    </Modal>
  );
}

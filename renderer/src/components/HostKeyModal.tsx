import {
  Button,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Form,
  FormGroup,
  List,
  ListItem,
  ModalBody,
  ModalFooter,
  ModalHeader,
  TextInput,
  Title,
} from '@patternfly/react-core';
import { Alert } from './Alert';
import { Modal } from './Modal';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostSummary } from '../../../electron/api/hosts';
import { toClientError, type ApiClientError } from '../api/client';
import { useClient } from '../api/context';
import { useStoreInstance } from '../state/context';
import { ErrorAlert } from './ErrorAlert';

function hostLabel(h: HostSummary) {
  return h.address ? `${h.user ? `${h.user}@` : ''}${h.address}${h.port && h.port !== 22 ? `:${h.port}` : ''}` : h.name;
}

/** The key type as ssh-keygen names the file on the host (ssh-ed25519 → ed25519). */
function keyFile(keyType: string): string {
  const k = keyType.toLowerCase();
  if (k.includes('ed25519')) return 'ed25519';
  if (k.includes('ecdsa')) return 'ecdsa';
  if (k.includes('rsa')) return 'rsa';
  return 'ed25519';
}

/** How known_hosts names the host: [addr]:port for a port other than 22. */
function knownHostsName(h: HostSummary): string {
  const addr = h.address ?? h.name;
  return h.port && h.port !== 22 ? `'[${addr}]:${h.port}'` : addr;
}

function Fingerprint({ value, label }: { value: string; label: string }) {
  return (
    <code className="domus-mono domus-fingerprint" aria-label={label}>
      {value}
    </code>
  );
}

/**
 * Clears Domus's own record of a changed key once the user typed the host's name, then Domus
 * connects again and asks about the new key. OpenSSH's ~/.ssh/known_hosts is not Domus's to edit.
 */
function ForgetKey({ host, onForgotten }: { host: HostSummary; onForgotten: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const store = useStoreInstance();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);
  const [nothing, setNothing] = useState(false);
  const confirmed = typed.trim() === host.name.trim();

  const forget = async () => {
    if (!confirmed || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('hosts.forgetKey', { hostId: host.id, confirmName: typed });
      if (r.removed > 0) {
        store.upsertHost(r.host);
        return onForgotten();
      }
      setNothing(true);
    } catch (x) {
      setError(toClientError(x));
    }
    setBusy(false);
  };

  return (
    <section aria-labelledby="host-key-forget-title" className="domus-gap">
      <Title headingLevel="h3" size="md" id="host-key-forget-title">
        {t('hostKey.forgetHeading')}
      </Title>
      <Content>
        <p>{t('hostKey.forgetIntro', { host: host.name })}</p>
      </Content>
      {error && <ErrorAlert error={error} />}
      {nothing && <Alert isInline variant="info" title={t('hostKey.forgetNothing')} />}
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void forget();
        }}
      >
        <FormGroup label={t('hostKey.forgetLabel', { host: host.name })} fieldId="host-key-forget-name">
          <TextInput id="host-key-forget-name" value={typed} onChange={(_e, v) => setTyped(v)} autoComplete="off" spellCheck={false} />
        </FormGroup>
        <div>
          <Button variant="danger" type="submit" isDisabled={!confirmed || busy} isLoading={busy}>
            {t('hostKey.forget')}
          </Button>
        </div>
      </Form>
    </section>
  );
}

/** Asks before trusting an unknown host key; refuses (no override) a changed or revoked one. */
export function HostKeyModal({ host, onClose }: { host: HostSummary; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const store = useStoreInstance();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError | null>(null);
  const problem = host.hostKey;
  if (!problem) return null;
  const kind = problem.kind;
  const where = hostLabel(host);
  const verifyCmd = `ssh-keygen -lf /etc/ssh/ssh_host_${keyFile(problem.keyType)}_key.pub`;

  const trust = async () => {
    setBusy(true);
    setError(null);
    try {
      store.upsertHost(await client.call('hosts.trustKey', { hostId: host.id, fingerprint: problem.fingerprint }));
      onClose();
    } catch (x) {
      setError(toClientError(x));
      setBusy(false);
    }
  };

  const facts = (
    <DescriptionList isHorizontal isCompact>
      <DescriptionListGroup>
        <DescriptionListTerm>{t('hostKey.host')}</DescriptionListTerm>
        <DescriptionListDescription>
          {host.name} <span className="domus-muted">({where})</span>
        </DescriptionListDescription>
      </DescriptionListGroup>
      <DescriptionListGroup>
        <DescriptionListTerm>{t('hostKey.keyType')}</DescriptionListTerm>
        <DescriptionListDescription>
          <code className="domus-mono">{problem.keyType}</code>
        </DescriptionListDescription>
      </DescriptionListGroup>
      <DescriptionListGroup>
        <DescriptionListTerm>{kind === 'changed' ? t('hostKey.presented') : t('hostKey.fingerprint')}</DescriptionListTerm>
        <DescriptionListDescription>
          <Fingerprint value={problem.fingerprint} label={kind === 'changed' ? t('hostKey.presented') : t('hostKey.fingerprint')} />
        </DescriptionListDescription>
      </DescriptionListGroup>
      {kind === 'changed' && (
        <DescriptionListGroup>
          <DescriptionListTerm>{t('hostKey.known')}</DescriptionListTerm>
          <DescriptionListDescription>
            {problem.knownFingerprints.length ? (
              <List isPlain>
                {problem.knownFingerprints.map((fp) => (
                  <ListItem key={fp}>
                    <Fingerprint value={fp} label={t('hostKey.known')} />
                  </ListItem>
                ))}
              </List>
            ) : (
              t('hostKey.knownNone')
            )}
          </DescriptionListDescription>
        </DescriptionListGroup>
      )}
    </DescriptionList>
  );

  const verify = (
    <Content className="domus-gap">
      <p>{t('hostKey.verifyIntro')}</p>
      <pre className="domus-mono domus-command">{verifyCmd}</pre>
      <p>{t('hostKey.verifyCompare')}</p>
    </Content>
  );

  const titleId = 'host-key-title';
  const descId = 'host-key-description';

  if (kind === 'unknown') {
    return (
      <Modal variant="medium" isOpen onClose={onClose} aria-labelledby={titleId} aria-describedby={descId}>
        <ModalHeader title={t('hostKey.unknownTitle', { host: host.name })} labelId={titleId} titleIconVariant="warning" descriptorId={descId} description={t('hostKey.unknownIntro')} />
        <ModalBody>
          {error && <ErrorAlert error={error} />}
          {facts}
          {verify}
        </ModalBody>
        <ModalFooter>
          <Button variant="primary" onClick={() => void trust()} isLoading={busy} isDisabled={busy}>
            {t('hostKey.trust')}
          </Button>
          <Button variant="link" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </ModalFooter>
      </Modal>
    );
  }

  // changed or revoked: refused. There is deliberately no button that overrides it.
  return (
    <Modal variant="medium" isOpen onClose={onClose} aria-labelledby={titleId} aria-describedby={descId}>
      <ModalHeader
        title={kind === 'changed' ? t('hostKey.changedTitle', { host: host.name }) : t('hostKey.revokedTitle', { host: host.name })}
        labelId={titleId}
        titleIconVariant="danger"
        descriptorId={descId}
        description={kind === 'changed' ? t('hostKey.changedIntro') : t('hostKey.revokedIntro')}
      />
      <ModalBody>
        {facts}
        {kind === 'changed' ? (
          <Content className="domus-gap">
            <p>{t('hostKey.changedWhy')}</p>
            <List>
              <ListItem>{t('hostKey.changedMitm')}</ListItem>
              <ListItem>{t('hostKey.changedReinstall')}</ListItem>
            </List>
            <p>{t('hostKey.changedFix')}</p>
            <pre className="domus-mono domus-command">{verifyCmd}</pre>
            <p>{t('hostKey.changedFixThen')}</p>
          </Content>
        ) : (
          <Content className="domus-gap">
            <p>{t('hostKey.revokedWhy')}</p>
          </Content>
        )}
        {kind === 'changed' && <ForgetKey host={host} onForgotten={onClose} />}
        {kind === 'changed' && (
          <section aria-labelledby="host-key-openssh-title" className="domus-gap">
            <Title headingLevel="h3" size="md" id="host-key-openssh-title">
              {t('hostKey.opensshHeading')}
            </Title>
            <Content>
              <p>{t('hostKey.opensshIntro')}</p>
              <pre className="domus-mono domus-command">{`ssh-keygen -R ${knownHostsName(host)}`}</pre>
            </Content>
          </section>
        )}
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}

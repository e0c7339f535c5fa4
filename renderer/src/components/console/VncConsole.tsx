// A guest's graphical console: noVNC on a byte stream tunnelled through the host connection to
// the device model's VNC server. Scaling, Ctrl-Alt-Del, clipboard both ways, a password prompt
// when the server asks, and reconnect (by itself once the guest runs again).
import {
  Button,
  Checkbox,
  ModalBody,
  ModalFooter,
  ModalHeader,
  TextArea,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { Modal } from '../Modal';
import { Alert } from '../Alert';
import RFB from '@novnc/novnc';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { StreamRfbChannel } from './rfbChannel';
import { useGuestLive } from './useGuestLive';
import { ConsolePhaseLabel, type ConsolePhase } from './ConsolePhaseLabel';

type Phase = ConsolePhase;

export function VncConsole({ hostId, guest, fill }: { hostId: string; guest: string; /** Fill the window (its own window). */ fill?: boolean }) {
  const { t } = useTranslation();
  const tRef = useRef(t);
  tRef.current = t;
  const client = useClient();
  const live = useGuestLive(hostId, guest);
  const screen = useRef<HTMLDivElement>(null);
  const rfb = useRef<RFB | null>(null);
  const [phase, setPhase] = useState<Phase>('connecting');
  const [attempt, setAttempt] = useState(0);
  const [note, setNote] = useState<string | null>(null);
  const [scale, setScale] = useState(true);
  const [askPassword, setAskPassword] = useState(false);
  const [password, setPassword] = useState('');
  const [remoteClip, setRemoteClip] = useState('');
  const [localClip, setLocalClip] = useState('');

  useEffect(() => {
    setPhase('connecting');
    let cancelled = false;
    let r: RFB | null = null;
    let channel: StreamRfbChannel | null = null;
    client
      .call('console.open', { hostId, guest, kind: 'vnc' })
      .then((opened) => {
        if (cancelled) {
          void client.call('console.close', { streamId: opened.streamId }).catch(() => {});
          return;
        }
        const stream = client.openStream(opened.streamId, opened.token);
        channel = new StreamRfbChannel(stream);
        r = new RFB(screen.current!, channel, { shared: true });
        r.scaleViewport = scale;
        r.background = '#000';
        rfb.current = r;
        r.addEventListener('connect', () => {
          setPhase('open');
          setNote(null);
        });
        r.addEventListener('disconnect', () => {
          if (rfb.current === r) rfb.current = null;
          if (cancelled) return;
          setNote(tRef.current('console.vncEnded'));
          setPhase((p) => (p === 'detached' ? p : 'waiting'));
        });
        r.addEventListener('credentialsrequired', () => setAskPassword(true));
        r.addEventListener('clipboard', (e: Event) => setRemoteClip((e as CustomEvent<{ text: string }>).detail.text));
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setNote(toClientError(err).message);
        setPhase('waiting');
      });
    return () => {
      cancelled = true;
      r?.disconnect();
      channel?.close();
    };
    // scale is applied by its own effect
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt, client, hostId, guest]);

  useEffect(() => {
    if (rfb.current) rfb.current.scaleViewport = scale;
  }, [scale]);

  useEffect(() => {
    if (phase !== 'waiting' || !live.running || !live.connected) return;
    const timer = setTimeout(() => setAttempt((a) => a + 1), 3000);
    return () => clearTimeout(timer);
  }, [phase, live.running, live.connected, live.domid]);

  const detach = () => {
    setPhase('detached');
    rfb.current?.disconnect();
    setNote(null);
  };

  return (
    <div
      className="domus-vnc"
      data-console-guest={guest}
      data-console-phase={phase}
      style={fill ? { display: 'flex', flexDirection: 'column', height: '100%' } : undefined}
    >
      <Toolbar aria-label={t('console.toolbar', { guest })}>
        <ToolbarContent>
          <ToolbarItem>
            <ConsolePhaseLabel phase={phase} />
          </ToolbarItem>
          <ToolbarItem>
            {phase === 'open' || phase === 'connecting' ? (
              <Button variant="secondary" onClick={detach} aria-label={t('console.detach')}>
                {t('console.detach')}
              </Button>
            ) : (
              <Button variant="secondary" onClick={() => setAttempt((a) => a + 1)} aria-label={t('console.reconnect')}>
                {t('console.reconnect')}
              </Button>
            )}
          </ToolbarItem>
          <ToolbarItem>
            <Button variant="secondary" onClick={() => rfb.current?.sendCtrlAltDel()} isDisabled={phase !== 'open'} aria-label={t('console.ctrlAltDel')}>
              {t('console.ctrlAltDel')}
            </Button>
          </ToolbarItem>
          <ToolbarItem>
            <Checkbox id={`vnc-scale-${guest}`} label={t('console.scale')} isChecked={scale} onChange={(_e, v) => setScale(v)} aria-label={t('console.scale')} />
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {note && phase === 'waiting' && <Alert isInline variant="warning" title={note} aria-label={t('console.notice')} />}
      <div
        ref={screen}
        className="domus-vnc-screen"
        role="application"
        aria-label={t('console.screen', { guest })}
        style={fill ? { flex: 1, minHeight: 240, background: '#000' } : { height: '60vh', minHeight: 240, background: '#000' }}
      />
      <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
        <TextArea aria-label={t('console.remoteClipboard')} value={remoteClip} readOnly rows={2} placeholder={t('console.remoteClipboard')} />
        <TextArea aria-label={t('console.localClipboard')} value={localClip} onChange={(_e, v) => setLocalClip(v)} rows={2} placeholder={t('console.localClipboard')} />
        <Button variant="secondary" onClick={() => rfb.current?.clipboardPasteFrom(localClip)} isDisabled={phase !== 'open' || !localClip} aria-label={t('console.sendClipboard')}>
          {t('console.sendClipboard')}
        </Button>
      </div>
      <Modal isOpen={askPassword} onClose={() => setAskPassword(false)} variant="small" aria-label={t('console.passwordTitle')}>
        <ModalHeader title={t('console.passwordTitle')} />
        <ModalBody>
          <TextInput type="password" value={password} onChange={(_e, v) => setPassword(v)} aria-label={t('console.password')} />
        </ModalBody>
        <ModalFooter>
          <Button
            variant="primary"
            onClick={() => {
              rfb.current?.sendCredentials({ password });
              setPassword('');
              setAskPassword(false);
            }}
          >
            {t('console.send')}
          </Button>
          <Button variant="link" onClick={() => setAskPassword(false)}>
            {t('console.cancel')}
          </Button>
        </ModalFooter>
      </Modal>
    </div>
  );
}

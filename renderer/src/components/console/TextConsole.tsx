// A guest's text console: xterm.js on a byte stream running `xl console` on the host. Bytes are
// acknowledged after xterm has parsed them (flow control). The console reattaches by itself
// when the guest comes back from a reboot or the connection returns, and says so meanwhile.
import {
  Button,
  FormSelect,
  FormSelectOption,
  ModalBody,
  ModalFooter,
  ModalHeader,
  SearchInput,
  TextArea,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { Modal } from '../Modal';
import { Alert } from '../Alert';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { SerializeAddon } from '@xterm/addon-serialize';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TextConsoleType } from '../../../../electron/api/consoles';
import { toClientError } from '../../api/client';
import { useClient } from '../../api/context';
import type { ByteStream, StreamEnd } from '../../api/streams';
import { typeSlowly } from './keystrokes';
import { TERMINAL_FONT } from './terminalFont';
import { saveSnapshot, takeSnapshot } from './sessions';
import { useGuestLive } from './useGuestLive';
import { ConsolePhaseLabel, type ConsolePhase } from './ConsolePhaseLabel';

type Phase = ConsolePhase;

/** Test hook: when a test defines it, it sees every byte xterm has parsed, in order. */
type Tap = (guest: string, bytes: Uint8Array) => void;
declare global {
  interface Window {
    __domusConsoleTap?: Tap;
  }
}

const CTRL_RIGHT_BRACKET = '\u001d';
const SYSRQ_KEYS = ['h', 's', 'u', 'b', 'o', 'c', 'e', 'i', 'm', 't', 'w', 'l', 'p'];

/**
 * Acknowledgements are gathered and sent once per burst of parsed writes (xterm parses in ~12 ms
 * slices and calls back for each write in a slice), or at once when this much is pending: one
 * control message per slice instead of one per frame, well below the backend's high watermark.
 */
const ACK_BATCH = 64 * 1024;

export function TextConsole({
  consoleKey,
  hostId,
  guest,
  textType,
  fill,
}: {
  consoleKey: string;
  hostId: string;
  guest: string;
  /** Undefined: the backend picks the guest's own (serial for HVM guests). */
  textType?: TextConsoleType;
  /** Fill the window (a console in its own window) instead of a fixed share of it. */
  fill?: boolean;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const live = useGuestLive(hostId, guest);
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const fit = useRef<FitAddon | null>(null);
  const search = useRef<SearchAddon | null>(null);
  const serialize = useRef<SerializeAddon | null>(null);
  const stream = useRef<ByteStream | null>(null);
  const [phase, setPhase] = useState<Phase>('connecting');
  const [attempt, setAttempt] = useState(0);
  const [note, setNote] = useState<string | null>(null);
  const [hint, setHint] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [pasteOpen, setPasteOpen] = useState(false);
  const [pasteText, setPasteText] = useState('');
  const [typing, setTyping] = useState(false);
  const [sysrq, setSysrq] = useState('s');
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const stopTyping = useRef<(() => void) | null>(null);

  // The terminal lives as long as this component.
  useEffect(() => {
    const el = box.current!;
    // xterm.js's own words for screen readers (its input's label, its notice when output is too
    // fast to read out) are English unless set; they are global, so set before each terminal.
    Terminal.strings.promptLabel = t('console.terminalInput');
    Terminal.strings.tooMuchOutput = t('console.tooMuchOutput');
    const x = new Terminal({ scrollback: 10_000, allowProposedApi: true, cursorBlink: true, ...TERMINAL_FONT });
    const f = new FitAddon();
    const s = new SearchAddon();
    const ser = new SerializeAddon();
    x.loadAddon(f);
    x.loadAddon(s);
    x.loadAddon(ser);
    x.loadAddon(new Unicode11Addon());
    x.unicode.activeVersion = '11';
    // Links open only after the user confirms where they lead.
    x.loadAddon(new WebLinksAddon((_e, uri) => setLink(uri)));
    x.open(el);
    const restored = takeSnapshot(consoleKey);
    if (restored) x.write(restored);
    // Ctrl-] would detach `xl console`: never sent; detaching is a button.
    x.attachCustomKeyEventHandler((e) => {
      if (e.ctrlKey && (e.key === ']' || e.code === 'BracketRight')) {
        if (e.type === 'keydown') setHint(true);
        return false;
      }
      return true;
    });
    const typed = x.onData((d) => stream.current?.send(d.split(CTRL_RIGHT_BRACKET).join('')));
    const binary = x.onBinary((d) => stream.current?.send(Uint8Array.from(d, (c) => c.charCodeAt(0) & 0xff)));
    const resized = x.onResize(({ cols, rows }) => stream.current?.resize(cols, rows));
    term.current = x;
    fit.current = f;
    search.current = s;
    serialize.current = ser;
    try {
      f.fit();
    } catch {
      /* not laid out yet */
    }
    const ro = new ResizeObserver(() => {
      try {
        f.fit();
      } catch {
        /* hidden */
      }
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      typed.dispose();
      binary.dispose();
      resized.dispose();
      saveSnapshot(consoleKey, ser.serialize({ scrollback: 2000 }));
      x.dispose();
      term.current = null;
    };
  }, [consoleKey]);

  const tRef = useRef(t);
  tRef.current = t;

  // One attach per attempt (the first on mount; detaching ends it; reattaching starts another).
  useEffect(() => {
    setPhase('connecting');
    let cancelled = false;
    let s: ByteStream | null = null;
    const x = term.current!;
    client
      .call('console.open', { hostId, guest, kind: 'text', textType, cols: x.cols, rows: x.rows })
      .then((opened) => {
        if (cancelled) {
          void client.call('console.close', { streamId: opened.streamId }).catch(() => {});
          return;
        }
        s = client.openStream(opened.streamId, opened.token);
        stream.current = s;
        const stream_ = s;
        s.onOpen(() => {
          setPhase('open');
          setNote(null);
          stream_.resize(x.cols, x.rows);
        });
        let pendingAck = 0;
        let ackTimer: ReturnType<typeof setTimeout> | null = null;
        const flushAck = () => {
          if (ackTimer) clearTimeout(ackTimer);
          ackTimer = null;
          const n = pendingAck;
          pendingAck = 0;
          if (n > 0) stream_.ack(n);
        };
        s.onData((bytes) => {
          x.write(bytes, () => {
            window.__domusConsoleTap?.(guest, bytes);
            pendingAck += bytes.length;
            if (pendingAck >= ACK_BATCH) flushAck();
            else ackTimer ??= setTimeout(flushAck, 0);
          });
        });
        s.onEnd((end: StreamEnd) => {
          if (stream.current === stream_) stream.current = null;
          if (cancelled || end.reason === 'closed') return;
          // 'error' carries the backend's own sentence (for instance: the console is open elsewhere).
          setNote(end.reason === 'connection_lost' ? tRef.current('console.lost') : end.reason === 'error' ? end.message : tRef.current('console.ended'));
          setPhase('waiting');
        });
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setNote(toClientError(err).message);
        setPhase('waiting');
      });
    return () => {
      cancelled = true;
      s?.close();
    };
  }, [attempt, client, hostId, guest, textType]);

  // Waiting: reattach once the guest runs and the host is connected again.
  useEffect(() => {
    if (phase !== 'waiting' || !live.running || !live.connected) return;
    const timer = setTimeout(() => setAttempt((a) => a + 1), 2000);
    return () => clearTimeout(timer);
  }, [phase, live.running, live.connected, live.domid]);

  const detach = () => {
    stream.current?.close();
    stream.current = null;
    setNote(null);
    setPhase('detached');
  };
  const reattach = () => setAttempt((a) => a + 1);

  const copy = useCallback(() => {
    const sel = term.current?.getSelection();
    if (sel) void navigator.clipboard?.writeText(sel);
  }, []);
  const paste = useCallback(async () => {
    try {
      const text = await navigator.clipboard.readText();
      if (text) term.current?.paste(text);
    } catch {
      setError(t('console.clipboardDenied'));
    }
  }, [t]);

  const startTyping = () => {
    setPasteOpen(false);
    setTyping(true);
    stopTyping.current = typeSlowly(pasteText, (k) => stream.current?.send(k), undefined, () => setTyping(false));
  };
  useEffect(() => () => stopTyping.current?.(), []);

  const saveLog = () => {
    const x = term.current;
    if (!x) return;
    const buf = x.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
    const blob = new Blob([lines.join('\n') + '\n'], { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${guest}-console-${new Date().toISOString().replace(/[:.]/g, '-')}.log`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  const run = (p: Promise<unknown>) => p.catch((err: unknown) => setError(toClientError(err).message));

  return (
    <div
      className="domus-console"
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
            {phase === 'detached' ? (
              <Button variant="secondary" onClick={reattach} aria-label={t('console.reattach')}>
                {t('console.reattach')}
              </Button>
            ) : (
              <Button variant="secondary" onClick={detach} aria-label={t('console.detach')}>
                {t('console.detach')}
              </Button>
            )}
          </ToolbarItem>
          <ToolbarItem>
            <SearchInput
              aria-label={t('console.search')}
              placeholder={t('console.search')}
              value={query}
              onChange={(_e, v) => setQuery(v)}
              submitSearchButtonLabel={t('console.searchSubmit')}
              resetButtonLabel={t('console.searchClear')}
              nextNavigationButtonAriaLabel={t('console.searchNext')}
              previousNavigationButtonAriaLabel={t('console.searchPrevious')}
              onSearch={() => search.current?.findNext(query)}
              onNextClick={() => search.current?.findNext(query)}
              onPreviousClick={() => search.current?.findPrevious(query)}
              onClear={() => {
                setQuery('');
                search.current?.clearDecorations();
              }}
            />
          </ToolbarItem>
          <ToolbarItem>
            <Button variant="plain" onClick={copy} aria-label={t('console.copy')}>
              {t('console.copy')}
            </Button>
            <Button variant="plain" onClick={() => void paste()} aria-label={t('console.paste')}>
              {t('console.paste')}
            </Button>
            <Button variant="plain" onClick={() => setPasteOpen(true)} aria-label={t('console.pasteKeys')} isDisabled={phase !== 'open' || typing}>
              {typing ? t('console.typing') : t('console.pasteKeys')}
            </Button>
            <Button variant="plain" onClick={saveLog} aria-label={t('console.save')}>
              {t('console.save')}
            </Button>
          </ToolbarItem>
          <ToolbarItem>
            {live.hvm && (
              <Button variant="secondary" onClick={() => void run(client.call('console.ctrlAltDel', { hostId, guest }))} aria-label={t('console.ctrlAltDel')}>
                {t('console.ctrlAltDel')}
              </Button>
            )}
            <FormSelect value={sysrq} onChange={(_e, v) => setSysrq(v)} aria-label={t('console.sysrqKey')} style={{ width: '5em', display: 'inline-block' }}>
              {SYSRQ_KEYS.map((k) => (
                <FormSelectOption key={k} value={k} label={k} />
              ))}
            </FormSelect>
            <Button variant="secondary" onClick={() => void run(client.call('console.sysrq', { hostId, guest, key: sysrq }))} aria-label={t('console.sysrq')}>
              {t('console.sysrq')}
            </Button>
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {note && phase === 'waiting' && <Alert isInline variant="warning" title={note} aria-label={t('console.notice')} />}
      {hint && <Alert isInline variant="info" title={t('console.ctrlBracket')} actionClose={<Button variant="plain" onClick={() => setHint(false)} aria-label={t('console.dismiss')}>×</Button>} />}
      {error && <Alert isInline variant="danger" title={error} actionClose={<Button variant="plain" onClick={() => setError(null)} aria-label={t('console.dismiss')}>×</Button>} />}
      <div ref={box} className="domus-console-term" role="application" aria-label={t('console.terminal', { guest })} style={fill ? { flex: 1, minHeight: 200 } : { height: '60vh', minHeight: 200 }} />
      <Modal isOpen={link !== null} onClose={() => setLink(null)} variant="small" aria-label={t('console.openLinkTitle')}>
        <ModalHeader title={t('console.openLinkTitle')} />
        <ModalBody>
          {t('console.openLinkBody')}
          <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{link}</pre>
        </ModalBody>
        <ModalFooter>
          <Button
            variant="primary"
            onClick={() => {
              if (link && /^https?:\/\//i.test(link)) window.open(link, '_blank', 'noopener,noreferrer');
              setLink(null);
            }}
          >
            {t('console.openLink')}
          </Button>
          <Button variant="link" onClick={() => setLink(null)}>
            {t('console.cancel')}
          </Button>
        </ModalFooter>
      </Modal>
      <Modal isOpen={pasteOpen} onClose={() => setPasteOpen(false)} variant="medium" aria-label={t('console.pasteKeys')}>
        <ModalHeader title={t('console.pasteKeys')} description={t('console.pasteKeysHelp')} />
        <ModalBody>
          <TextArea value={pasteText} onChange={(_e, v) => setPasteText(v)} aria-label={t('console.pasteKeysText')} rows={8} />
        </ModalBody>
        <ModalFooter>
          <Button variant="primary" onClick={startTyping} isDisabled={!pasteText}>
            {t('console.type_')}
          </Button>
          <Button variant="link" onClick={() => setPasteOpen(false)}>
            {t('console.cancel')}
          </Button>
        </ModalFooter>
      </Modal>
    </div>
  );
}

// The xl driver's live inventory. One connection, three kinds of traffic:
// - a long-lived monitor stream (monitor.ts): state, CPU, memory and counters of every domain and
//   each physical CPU's load, every second; `xentop -b -d 1` where the host cannot run it;
// - long-lived `xenstore-watch @introduceDomain` / `@releaseDomain` streams: a domain appeared or
//   went away (about a second before `xl create` returns), which triggers a re-list;
// - a re-list (`xl list`, `xl list -l`, the config index, `xl info`) only when something changed:
//   on a watch event, when a sample shows a domain we do not know (or misses one), or on request.
// No command is started per refresh tick.
// The host checks of stopped guests' configs (configChecks, the guest list's warning badge) run
// after a re-list only for configs whose content changed (the index's stat stamp): one command reads
// those configs, one check script checks them all.
import { EventEmitter } from 'node:events';
import { DomusError } from '../../api/errors';
import type { ConfigProblem, Guest } from '../../api/guests';
import type { HostInfo } from '../../api/hosts';
import type { CommandStream, Transport } from '../../transport/types';
import type { DriverEvents, HostDriver } from '../types';
import { checkConfigs } from './configChecks';
import { CONFIG_DIR, readConfigIndex } from './configIndex';
import { buildGuests, diffGuests, type DomainSnapshot } from './guestModel';
import { liveRateLine, monitorArgv } from './monitor';
import { LineReader } from '../../transport/lineReader';
import {
  MonitorRates,
  MonitorStream,
  PcpuUsage,
  XentopStream,
  parseXenstoreWatchLine,
  parseXlError,
  parseXlInfo,
  parseXlList,
  parseXlListLong,
  saneSample,
  xentopSamples,
  xlCapabilities,
  type DomainSample,
} from './parse';

/** How long after the last xentop output a sample counts as complete (xentop prints it at once). */
const FRAME_SETTLE_MS = 60;
/** Coalesces bursts of watch events (create fires several) into one re-list. */
const RELIST_DEBOUNCE_MS = 50;
/** At most one warning about dropped samples this often: a broken host must not flood the log. */
const DROP_LOG_INTERVAL_MS = 60_000;

export interface XlDriverOptions {
  /** Where warnings go (the hosts layer names the host in them). */
  log?: (line: string) => void;
}

/**
 * All xenstore watches in one stream (one SSH session, not three; hosts allow ten by default):
 * - @introduceDomain / @releaseDomain, printed as "I …" / "R …": a domain appeared or went; each
 *   watch prints its path once on registration, then once per event, with no domid;
 * - "gone: <domid>": libxl removes a domain's /local/domain/<id> node while it destroys it (on the
 *   lab about 0.2 s before `xl destroy` returns, before @releaseDomain fires), so the guest is shown
 *   gone at once; the re-list that follows confirms it.
 * A fixed script: nothing from outside is ever put into it.
 */
const WATCHES = selfEndingScript([
  "xenstore-watch @introduceDomain | sed -u 's/^/I /' &",
  "xenstore-watch @releaseDomain | sed -u 's/^/R /' &",
  "xenstore-watch /local/domain | grep --line-buffered -xE '/local/domain/[0-9]+' |",
  '  while read -r p; do xenstore-exists "$p" || echo "gone: ${p##*/}"; done &',
]);

/**
 * "configs" whenever a guest config in `dir` is written, added, renamed or removed (in a shell,
 * by another tool), for hosts watched through xentop: the monitor script says so itself. A
 * stopped guest exists only as its config, and xenstore says nothing about files. inotifywait
 * where the host has it; otherwise the directory's and the configs' stat lines, compared every
 * 3 s on the host, so nothing crosses the connection unless they change.
 */
export function configWatch(dir: string, everySeconds = 3): string[] {
  const q = `'${dir}'`;
  return [
    'if command -v inotifywait >/dev/null 2>&1; then',
    `  inotifywait -m -q -e close_write,create,delete,moved_to,moved_from --format configs ${q} 2>/dev/null &`,
    'else',
    `  ( s() { stat -c '%n %.9Y %s %i' ${q} ${q}/*.cfg 2>/dev/null; }; a=$(s)`,
    `    while sleep ${Math.max(1, Math.round(everySeconds))}; do b=$(s); [ "$a" = "$b" ] || { echo configs; a=$b; }; done ) &`,
    'fi',
  ];
}

/**
 * `sh -c` running background jobs that end with the stream. sshd neither kills a no-pty session's
 * children nor delivers a signal beyond the shell, and a watch that sees no event never writes, so
 * it would never notice a closed pipe: the shell waits for its stdin to close (the channel or the
 * connection went away) and then ends its whole process group (sshd made the session its own).
 * A SIGTERM that reaches the shell alone (sudo passes Domus's signal on to its command only, and
 * Domus may not signal root's jobs itself) ends the group too, once `cat` has seen stdin close.
 */
export function selfEndingScript(jobs: string[]): string[] {
  return ['sh', '-c', ["trap 'trap - TERM; kill 0' TERM", ...jobs, 'cat >/dev/null', 'kill 0'].join('\n')];
}

/** Lines of a host stream; an over-long one is dropped and said so on stderr. */
function lineReader(what: string): LineReader {
  return new LineReader((limit) =>
    console.error(`domus: the ${what} stream from the host sent a line longer than ${limit} characters; it was dropped.`),
  );
}

/**
 * Complete lines for the xentop and monitor parsers, which keep their own unfinished line: given
 * only whole lines, theirs stays empty and they never re-split what was already read.
 */
function wholeLines(lines: string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

export class XlDriver extends EventEmitter<DriverEvents> implements HostDriver {
  private info: HostInfo | null = null;
  private snapshot: DomainSnapshot | null = null;
  private live: Map<string, DomainSample> | null = null;
  private current = new Map<string, Guest>();
  private streams: CommandStream[] = [];
  private stopped = false;
  /** Whether someone looks at live figures now (the monitor then samples once a second). */
  private watched = false;
  /** The monitor script's stdin, where its interval is set (not with xentop). */
  private monitorIn: CommandStream['stdin'] | null = null;
  private relistTimer: NodeJS.Timeout | null = null;
  private relisting: Promise<void> | null = null;
  private relistAgain = false;
  /** Host-check results of stopped guests' configs, by path, with the stamp they were made for. */
  private checks = new Map<string, { stamp: string; problems: ConfigProblem[] }>();
  private checking = false;
  private checkAgain = false;

  private readonly log: (line: string) => void;
  private dropped = 0;
  private lastDropLog = -Infinity;

  constructor(
    private readonly transport: Transport,
    opts: XlDriverOptions = {},
  ) {
    super();
    this.log = opts.log ?? ((line) => console.warn(`domus: ${line}`));
  }

  /**
   * Live samples (one domain in one second, or a whole second) dropped since the driver started
   * because a value was not a number the UI can show: NaN, infinite, negative, beyond 2^53.
   */
  get droppedSamples(): number {
    return this.dropped;
  }

  hostInfo(): HostInfo | null {
    return this.info;
  }

  guests(): Guest[] {
    return [...this.current.values()];
  }

  async start(): Promise<void> {
    await this.relist(true);
    await Promise.all([this.startMonitor(), this.startWatches()]);
  }

  /** Live figures once a second while someone looks at them, a slower rate otherwise. */
  setWatched(watched: boolean): void {
    if (watched === this.watched) return;
    this.watched = watched;
    this.sampleNow();
  }

  /** A fresh sample now (the line also (re)sets the interval). */
  private sampleNow(): void {
    if (this.monitorIn && !this.monitorIn.destroyed) this.monitorIn.write(liveRateLine(this.watched));
  }

  stop(): void {
    this.stopped = true;
    this.monitorIn = null;
    if (this.relistTimer) clearTimeout(this.relistTimer);
    for (const s of this.streams) s.close();
    this.streams = [];
  }

  /**
   * Re-reads everything now (after an operation Domus itself ran, for instance) and resolves once
   * one re-list that started after the call has been published — not when the re-list loop ends,
   * which under a steady stream of xenstore events may take as long as the events last.
   */
  refresh(): Promise<void> {
    // The re-list about to run covers one a watch event scheduled a moment ago.
    if (this.relistTimer) {
      clearTimeout(this.relistTimer);
      this.relistTimer = null;
    }
    // A state that no xenstore event announces (paused) comes with the monitor's next sample.
    this.sampleNow();
    const target = this.passesStarted + 1;
    const loop = this.relist(false);
    return new Promise((resolve, reject) => {
      this.passWaiters.push({ target, resolve });
      loop.then(() => resolve(), reject);
    });
  }
  private passesStarted = 0;
  private passWaiters: { target: number; resolve: () => void }[] = [];

  private async run(argv: string[]): Promise<string> {
    const r = await this.transport.exec(argv, { timeoutMs: 120_000 });
    if (r.code !== 0) {
      const err = parseXlError(r.stderr);
      throw new DomusError('command_failed', `The host could not answer ${argv.join(' ')}.`, err.summary || r.stderr.trim());
    }
    return r.stdout;
  }

  private async loadHostInfo(): Promise<HostInfo> {
    const info = parseXlInfo(await this.run(['xl', 'info']));
    const caps = xlCapabilities(info);
    return {
      hostname: info.host,
      xenVersion: info.xenVersion,
      toolstack: 'xl',
      nrCpus: info.nrCpus,
      cpuMhz: info.cpuMhz ?? undefined,
      nrNodes: info.nrNodes ?? undefined,
      totalMemoryMiB: info.totalMemoryMiB,
      freeMemoryMiB: info.freeMemoryMiB,
      scheduler: info.xenScheduler,
      capabilities: { pv: caps.pv, pvh: caps.pvh, hvm: caps.hvm, passthrough: caps.passthrough.any },
      virtCaps: info.virtCaps,
      dom0Kernel: info.release ?? undefined,
      updatedAt: Date.now(),
    };
  }

  private relist(initial: boolean): Promise<void> {
    if (this.relisting) {
      // One re-list at a time; a request during one runs once more afterwards.
      this.relistAgain = true;
      return this.relisting;
    }
    this.relisting = (async () => {
      try {
        do {
          this.relistAgain = false;
          const pass = ++this.passesStarted;
          const [list, long, configs, info] = await Promise.all([
            this.run(['xl', 'list']).then(parseXlList),
            this.run(['xl', 'list', '-l']).then(parseXlListLong),
            readConfigIndex(this.transport),
            this.loadHostInfo(),
          ]);
          if (this.stopped) return;
          this.snapshot = { list, long, configs };
          this.relistFailures = 0;
          this.setInfo(info);
          this.publish(initial);
          initial = false;
          void this.checkStoppedConfigs();
          this.passWaiters = this.passWaiters.filter((w) => (w.target <= pass ? (w.resolve(), false) : true));
        } while (this.relistAgain && !this.stopped);
      } finally {
        this.relisting = null;
      }
    })();
    return this.relisting;
  }

  private scheduleRelist(): void {
    if (this.stopped || this.relistTimer) return;
    this.relistTimer = setTimeout(() => {
      this.relistTimer = null;
      this.relist(false).catch((err) => this.relistFailed(err));
    }, RELIST_DEBOUNCE_MS);
  }

  /**
   * xl can fail transiently while a domain is half created or half destroyed. The live streams
   * are fine, so try again shortly instead of dropping the connection; a dead connection shows
   * up as the streams ending.
   */
  private relistFailed(err: unknown): void {
    if (this.stopped) return;
    this.relistFailures++;
    if (this.relistFailures > 5) return this.fail(err);
    setTimeout(() => this.scheduleRelist(), 500 * this.relistFailures);
  }
  private relistFailures = 0;

  private setInfo(info: HostInfo): void {
    const before = this.info;
    this.info = info;
    const { updatedAt: _a, ...a } = info;
    const b = before ? (({ updatedAt: _b, ...rest }) => rest)(before) : null;
    if (!b || JSON.stringify(a) !== JSON.stringify(b)) this.emit('host', info);
  }

  /**
   * Re-checks the configs of stopped guests that changed since they were last checked. A failure
   * leaves the badges as they were (the check is advice; the next change tries again).
   */
  private async checkStoppedConfigs(): Promise<void> {
    if (this.checking) return void (this.checkAgain = true);
    this.checking = true;
    try {
      do {
        this.checkAgain = false;
        const stamps = new Map((this.snapshot?.configs ?? []).map((c) => [c.path, c.stamp]));
        for (const p of [...this.checks.keys()]) if (!stamps.has(p)) this.checks.delete(p);
        const todo = this.guests().filter((g): g is Guest & { configPath: string } => {
          if (g.domid !== null || !g.configPath) return false;
          const stamp = stamps.get(g.configPath);
          return !!stamp && this.checks.get(g.configPath)?.stamp !== stamp;
        });
        if (!todo.length || this.stopped) continue;
        const run = (argv: readonly string[]) => this.transport.exec(argv, { timeoutMs: 60_000 });
        const texts = await readConfigTexts(run, todo.map((g) => g.configPath));
        const subjects = todo.filter((g) => texts.has(g.configPath)).map((g) => ({ currentName: g.name, configPath: g.configPath, text: texts.get(g.configPath)! }));
        const results = await checkConfigs(run, subjects);
        for (const s of subjects) this.checks.set(s.configPath, { stamp: stamps.get(s.configPath)!, problems: results.get(s.configPath) ?? [] });
        if (!this.stopped) this.publish(false);
      } while (this.checkAgain && !this.stopped);
    } catch {
      // Advice only: no badge change, the connection is not at fault.
    } finally {
      this.checking = false;
    }
  }

  private publish(reset: boolean): void {
    if (!this.snapshot) return;
    const guests = buildGuests(this.snapshot, this.live);
    for (const g of guests) {
      const found = g.domid === null && g.configPath ? this.checks.get(g.configPath)?.problems : undefined;
      if (found?.length) g.configProblems = found;
    }
    const { upserted, removed, stats } = diffGuests(this.current, guests);
    this.current = new Map(guests.map((g) => [g.id, g]));
    if (reset) return void this.emit('guests', { upserted: guests, removed: [], reset: true });
    if (upserted.length || removed.length) this.emit('guests', { upserted, removed, reset: false });
    if (stats) this.emit('stats', stats);
  }

  /**
   * A sample with a value that is not a sane number is dropped: the guest keeps its previous
   * figures, the count goes up, and a warning goes to the log (once a minute at most).
   */
  private countDropped(n: number): void {
    this.dropped += n;
    const now = Date.now();
    if (now - this.lastDropLog < DROP_LOG_INTERVAL_MS) return;
    this.lastDropLog = now;
    this.log(`the host sent ${n} live sample(s) with a value that is not a usable number; dropped, previous figures kept (${this.dropped} dropped since connecting).`);
  }

  /** `droppedUpstream`: lines the stream's parser could not read as a domain's sample. */
  private onSample(samples: DomainSample[], droppedUpstream = 0): void {
    const domains = samples.filter(saneSample);
    const dropped = droppedUpstream + samples.length - domains.length;
    const known = new Set(this.snapshot?.list.map((d) => d.name) ?? []);
    const live = new Map(domains.map((d) => [d.name, d]));
    if (dropped) {
      this.countDropped(dropped);
      for (const [name, prev] of this.live ?? []) if (known.has(name) && !live.has(name)) live.set(name, prev);
    }
    this.live = live;
    const mismatch = domains.some((d) => !known.has(d.name)) || [...known].some((name) => !live.has(name));
    // A domain the sample shows that we don't know (or the reverse): the watch event may still be
    // on its way, but the list is stale either way.
    if (mismatch) this.scheduleRelist();
    this.publish(false);
  }

  /**
   * The monitor script, or xentop where it cannot run (no python3 — locally that is a failed
   * spawn — or no libxenstat, a sudo rule that allows only xentop): the script then says why (or
   * ends) before its first sample. Once it has given samples, its end drops the connection like
   * xentop's would, with its last error line as the detail.
   */
  private async startMonitor(): Promise<void> {
    let stream: CommandStream;
    try {
      stream = await this.transport.stream(monitorArgv());
    } catch {
      return this.startXentop();
    }
    if (this.stopped) return stream.close();
    this.streams.push(stream);
    stream.stdin.on('error', () => undefined); // the channel's end says why
    this.monitorIn = stream.stdin;
    this.sampleNow();
    const parser = new MonitorStream();
    const rates = new MonitorRates();
    const pcpu = new PcpuUsage();
    let sampled = false;
    let fellBack = false;
    let lastError: string | undefined;
    const fallBack = () => {
      if (fellBack || this.stopped) return;
      fellBack = true;
      this.monitorIn = null;
      stream.close();
      this.streams = this.streams.filter((s) => s !== stream);
      this.startXentop().catch((err) => this.fail(err));
    };
    const reader = lineReader('monitor');
    stream.stdout.on('data', (chunk: Buffer) => {
      if (fellBack) return;
      for (const item of parser.push(wholeLines(reader.push(chunk)))) {
        if (item.kind === 'configs') {
          this.scheduleRelist();
          continue;
        }
        if (item.kind === 'error') {
          lastError = item.message;
          if (!sampled) fallBack();
          continue;
        }
        sampled = true;
        if (item.kind === 'dropped') {
          this.countDropped(1);
          continue;
        }
        this.onSample(rates.push(item.block), item.block.dropped);
        const busy = item.block.idleNs && pcpu.push({ timeNs: item.block.timeNs, idleNs: item.block.idleNs });
        if (busy && !this.stopped) this.emit('pcpus', busy);
      }
    });
    stream.stderr.resume();
    stream.done.then((r) => (sampled ? this.streamEnded('monitor', r.code, lastError) : fallBack()));
  }

  private async startXentop(): Promise<void> {
    await this.startLines(selfEndingScript(configWatch(CONFIG_DIR)), 'config watch', (line) => line === 'configs' && this.scheduleRelist());
    const stream = await this.transport.stream(['xentop', '-b', '-d', '1']);
    if (this.stopped) return stream.close();
    this.streams.push(stream);
    const parser = new XentopStream();
    let settle: NodeJS.Timeout | null = null;
    const reader = lineReader('xentop');
    stream.stdout.on('data', (chunk: Buffer) => {
      for (const f of parser.push(wholeLines(reader.push(chunk)))) this.onSample(xentopSamples(f), f.dropped);
      // xentop writes a whole sample at once, then sleeps: a short quiet spell ends the sample,
      // so it is shown now rather than when the next one begins a second later.
      if (settle) clearTimeout(settle);
      settle = setTimeout(() => {
        for (const f of parser.flush()) this.onSample(xentopSamples(f), f.dropped);
      }, FRAME_SETTLE_MS);
    });
    stream.stderr.resume();
    stream.done.then((r) => this.streamEnded('xentop', r.code));
  }

  /** A line stream; by default its end drops the connection (the inventory depends on it). */
  private async startLines(
    argv: string[],
    what: string,
    onLine: (line: string) => void,
    onEnd: (code: number | null) => void = (code) => this.streamEnded(what, code),
  ): Promise<void> {
    const stream = await this.transport.stream(argv);
    if (this.stopped) return stream.close();
    this.streams.push(stream);
    const reader = lineReader(what);
    stream.stdout.on('data', (chunk: Buffer) => {
      for (const line of reader.push(chunk)) onLine(line);
    });
    stream.stderr.resume();
    stream.done.then((r) => onEnd(r.code));
  }

  private startWatches(): Promise<void> {
    const registered = { I: false, R: false };
    return this.startLines(WATCHES, 'xenstore watch', (line) => {
      const gone = /^gone: (\d+)$/.exec(line);
      if (gone) {
        this.dropDomain(Number(gone[1]));
        this.scheduleRelist();
        return;
      }
      const m = /^([IR]) (.*)$/.exec(line);
      if (!m || !parseXenstoreWatchLine(m[2])) return;
      const which = m[1] as 'I' | 'R';
      // Each watch prints its path once when it is registered: not an event.
      if (!registered[which]) registered[which] = true;
      else this.scheduleRelist();
    });
  }

  /** Shows a domain that left xenstore as gone now; the re-list that follows confirms it. */
  private dropDomain(domid: number): void {
    if (!this.snapshot || domid === 0) return;
    const list = this.snapshot.list.filter((d) => d.domid !== domid);
    if (list.length === this.snapshot.list.length) return;
    this.snapshot = { ...this.snapshot, list };
    this.publish(false);
  }

  private streamEnded(what: string, code: number | null, why?: string): void {
    if (this.stopped) return;
    this.fail(new DomusError('connection_lost', `The live ${what} stream from the host ended.`, why ? `${why} (exit code ${code})` : `exit code ${code}`));
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.emit('failed', err instanceof Error ? err : new Error(String(err)));
  }
}

// Prints each file as "@@<n>" then its text; fixed text, the paths are arguments.
const CAT_SCRIPT = 'i=0; for f; do echo "@@domus-config-$i@@"; cat -- "$f" 2>/dev/null; echo; i=$((i+1)); done';

/** The texts of several configs in one command (a file that cannot be read is left out). */
async function readConfigTexts(run: (argv: readonly string[]) => Promise<{ code: number | null; stdout: string }>, paths: string[]): Promise<Map<string, string>> {
  const r = await run(['sh', '-c', CAT_SCRIPT, 'domus-read-configs', ...paths]);
  const out = new Map<string, string>();
  const parts = r.stdout.split(/^@@domus-config-(\d+)@@\n/m);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const path = paths[Number(parts[i])];
    // The echo after each file ends it with one extra newline.
    if (path !== undefined) out.set(path, parts[i + 1].replace(/\n$/, ''));
  }
  return out;
}

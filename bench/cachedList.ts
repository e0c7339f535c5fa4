// inventory.cached_list_ms: the guest list of a 1,000-guest host from the backend's live cache, as
// the UI asks for it: a `guests.list` call from the page over browser mode's WebSocket (the
// dispatcher's checks, JSON both ways, the page's parse), timed in Chromium from the send to the
// parsed answer. The plain alternative is libvirt's cached answer on the same kind of host
// (11 ms, the goal). Beside it, the part spent in the backend's dispatcher alone.
import { createDispatcher } from '../electron/api/dispatcher';
import { WS_KEY_PREFIX, WS_PROTOCOL } from '../electron/api/wire';
import { API_PATH } from '../electron/serve';
import { openRendererWith } from '../test/e2e/browserApp';
import { fromSamples, type Figures } from './figures';
import { guest, syntheticBackend } from './renderer';

const N = 1000;
const CALLS = Number(process.env.BENCH_RUNS ?? 30);
const WARMUP = 5;

export async function benchCachedList(log: (s: string) => void): Promise<Figures> {
  // The cache: one array the backend holds, as HostConnection.guests() hands out.
  const cache = Array.from({ length: N }, (_, i) => guest(i, 1));
  const backend = syntheticBackend(() => cache);
  const app = await openRendererWith(backend);
  try {
    const { page } = app;
    await page.locator('tr[data-guest-id]').first().waitFor({ state: 'attached', timeout: 60_000 });
    // A socket of the page's own kind (its session cookie and page key), used by nothing else.
    const samples = (await page.evaluate(`(async () => {
      const key = sessionStorage.getItem('domus.pageKey');
      const ws = new WebSocket('ws://' + location.host + ${JSON.stringify(API_PATH)}, [${JSON.stringify(WS_PROTOCOL)}, ${JSON.stringify(WS_KEY_PREFIX)} + key]);
      await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail(new Error('no socket')); });
      let id = 1e6;
      const call = () => new Promise((resolve, reject) => {
        const mine = ++id;
        const t0 = performance.now();
        const on = (e) => {
          const m = JSON.parse(e.data);
          if (m.type !== 'result' || m.id !== mine) return;
          ws.removeEventListener('message', on);
          if (!m.ok || m.value.length !== ${N}) reject(new Error('unexpected answer'));
          else resolve(performance.now() - t0);
        };
        ws.addEventListener('message', on);
        ws.send(JSON.stringify({ type: 'call', id: mine, method: 'guests.list', params: { hostId: 'benchhost' } }));
      });
      const out = [];
      for (let i = 0; i < ${WARMUP + CALLS}; i++) out.push(await call());
      ws.close();
      return out.slice(${WARMUP});
    })()`)) as number[];
    // The dispatcher alone (input and output checks, the handler), in this process.
    const dispatch = createDispatcher(backend);
    const inBackend: number[] = [];
    for (let i = 0; i < WARMUP + CALLS; i++) {
      const t0 = performance.now();
      const r = await dispatch('guests.list', { hostId: 'benchhost' });
      JSON.stringify(r);
      if (i >= WARMUP) inBackend.push(performance.now() - t0);
    }
    const f = fromSamples(samples, 'ms', { libvirt_cached_ms: 11 });
    const d = fromSamples(inBackend, 'ms');
    log(`cached list: page round trip ${samples.map((s) => s.toFixed(1)).join(' ')} ms; dispatcher + JSON in the backend ${inBackend.map((s) => s.toFixed(1)).join(' ')} ms`);
    return {
      'inventory.cached_list_ms': { ...f, vs_libvirt: f.value / 11, backend_ms: d.value },
      'inventory.cached_list_backend_ms': d,
    };
  } finally {
    await app.close();
  }
}

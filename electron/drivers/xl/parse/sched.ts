// `xl sched-credit` / `xl sched-credit2`: per cpupool a line
//   "Cpupool Pool-0: tslice=30ms ratelimit=1000us migration-delay=0us"   (credit)
//   "Cpupool Pool-0: ratelimit=1000us"                                   (credit2)
// then "Name ID Weight Cap" and one row per domain. With -d <dom> there is no Cpupool line;
// with -s only the Cpupool lines are printed.
import { z } from 'zod';
import { XlParseError, amount, lines, reqCount, rowFromRight } from './util';

export const XlSchedDomain = z.object({
  name: z.string(),
  domid: z.number(),
  weight: z.number(),
  /** Percent of one CPU, 0 = no cap. Absent on old credit2 output without the Cap column. */
  cap: z.number().nullable(),
});
export const XlSchedPool = z.object({
  /** null for rows printed without a Cpupool line (xl sched-credit -d <dom>). */
  pool: z.string().nullable(),
  /** The pool parameters as printed: { tslice: "30ms", ratelimit: "1000us", ... }. */
  params: z.record(z.string(), z.string()),
  tsliceMs: z.number().nullable(),
  ratelimitUs: z.number().nullable(),
  migrationDelayUs: z.number().nullable(),
  domains: z.array(XlSchedDomain),
});
export const XlSched = z.object({ pools: z.array(XlSchedPool) });
export type XlSched = z.infer<typeof XlSched>;
export type XlSchedPool = z.infer<typeof XlSchedPool>;

/** "30ms" -> 30 (ms), "1000us" -> 1000 (us), converting between the two when needed. */
function duration(v: string | undefined, unit: 'ms' | 'us'): number | null {
  if (v === undefined) return null;
  const m = /^(\d+(?:\.\d+)?)(ms|us|s)?$/.exec(v);
  const n = m ? amount(m[1]) : null;
  if (!m || n === null) return null;
  const inUs = m[2] === 'ms' ? n * 1000 : m[2] === 's' ? n * 1_000_000 : n;
  return unit === 'us' ? inUs : inUs / 1000;
}

function pool(name: string | null, params: Record<string, string>): XlSchedPool {
  return {
    pool: name,
    params,
    tsliceMs: duration(params.tslice, 'ms'),
    ratelimitUs: duration(params.ratelimit, 'us'),
    migrationDelayUs: duration(params['migration-delay'], 'us'),
    domains: [],
  };
}

const DIGITS = /^\d+$/;

function parseSched(text: string, command: string): XlSched {
  const pools: XlSchedPool[] = [];
  let cur: XlSchedPool | null = null;
  let sawAnything = false;
  for (const line of lines(text)) {
    const p = /^Cpupool\s+(\S+?):\s*(.*)$/.exec(line);
    if (p) {
      const params: Record<string, string> = {};
      for (const kv of p[2].split(/\s+/).filter(Boolean)) {
        const eq = kv.indexOf('=');
        if (eq > 0) params[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      cur = pool(p[1], params);
      pools.push(cur);
      sawAnything = true;
      continue;
    }
    if (/^Name\s+ID\s+Weight/.test(line)) {
      sawAnything = true;
      if (!cur) {
        cur = pool(null, {});
        pools.push(cur);
      }
      continue;
    }
    // Name (may hold spaces), ID, Weight and, where printed, Cap.
    const row = cur && (rowFromRight(line, [DIGITS, DIGITS, DIGITS], true) ?? rowFromRight(line, [DIGITS, DIGITS], true));
    const r = row && ['', row.name, row.values[0], row.values[1], row.values[2]];
    if (r && cur) {
      const name = r[1].trim();
      cur.domains.push({
        name,
        domid: reqCount(r[2], `the ID of ${name}`, text),
        weight: reqCount(r[3], `the weight of ${name}`, text),
        cap: r[4] === undefined ? null : reqCount(r[4], `the cap of ${name}`, text),
      });
    }
  }
  if (!sawAnything && text.trim() !== '') throw new XlParseError(`not ${command} output`, text);
  return { pools };
}

export function parseSchedCredit(text: string): XlSched {
  return parseSched(text, 'xl sched-credit');
}

export function parseSchedCredit2(text: string): XlSched {
  return parseSched(text, 'xl sched-credit2');
}

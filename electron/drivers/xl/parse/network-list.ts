// `xl network-list <dom>`:
//   "Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path"
//   "0   0  00:16:3e:xx:xx:xx 0      4     17       768/769     /local/domain/0/backend/vif/3/0"
import { z } from 'zod';
import { XlParseError, lines, num, reqCount } from './util';

export const XlVif = z.object({
  idx: z.number(),
  backendDomid: z.number(),
  mac: z.string(),
  handle: z.number(),
  /** XenbusState: 4 = connected. */
  state: z.number(),
  eventChannel: z.number(),
  txRingRef: z.number(),
  rxRingRef: z.number(),
  backendPath: z.string(),
});
export type XlVif = z.infer<typeof XlVif>;

const ROW =
  /^\s*(\d+)\s+(\d+)\s+([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})\s+(\d+)\s+(\d+)\s+(-?\d+)\s+(-?\d+)\/(-?\d+)\s+(\S+)\s*$/;

export function parseNetworkList(text: string): XlVif[] {
  const ls = lines(text);
  if (!ls.some((l) => /^Idx\s+BE\s+Mac Addr\./.test(l)) && ls.some((l) => l.trim() !== '')) {
    throw new XlParseError('not xl network-list output: no "Idx BE Mac Addr." header', text);
  }
  const out: XlVif[] = [];
  for (const line of ls) {
    const m = ROW.exec(line);
    if (!m) continue;
    const what = `vif ${m[1].slice(0, 20)}`;
    // Event channel and ring references are -1 while a vif is not connected.
    const signed = (v: string, field: string) => {
      const n = num(v);
      if (n === null || !Number.isSafeInteger(n)) throw new XlParseError(`expected a whole number for the ${field} of ${what}, got ${JSON.stringify(v.slice(0, 40))}`, text);
      return n;
    };
    out.push({
      idx: reqCount(m[1], 'a vif index', text),
      backendDomid: reqCount(m[2], `the backend domain of ${what}`, text),
      mac: m[3].toLowerCase(),
      handle: reqCount(m[4], `the handle of ${what}`, text),
      state: reqCount(m[5], `the state of ${what}`, text),
      eventChannel: signed(m[6], 'event channel'),
      txRingRef: signed(m[7], 'tx ring reference'),
      rxRingRef: signed(m[8], 'rx ring reference'),
      backendPath: m[9],
    });
  }
  return out;
}

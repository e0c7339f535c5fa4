// `xl network-list <dom>`:
//   "Idx BE Mac Addr.         handle state evt-ch   tx-/rx-ring-ref BE-path"
//   "0   0  00:16:3e:xx:xx:xx 0      4     17       768/769     /local/domain/0/backend/vif/3/0"
import { z } from 'zod';
import { XlParseError, lines } from './util';

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
    out.push({
      idx: +m[1],
      backendDomid: +m[2],
      mac: m[3].toLowerCase(),
      handle: +m[4],
      state: +m[5],
      eventChannel: +m[6],
      txRingRef: +m[7],
      rxRingRef: +m[8],
      backendPath: m[9],
    });
  }
  return out;
}

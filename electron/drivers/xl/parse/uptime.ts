// `xl uptime [dom]`: a header, then "name  domid  [N day(s), ]H:MM:SS" per domain.
import { lines } from './util';

export interface XlUptime {
  name: string;
  domid: number;
  seconds: number;
}

const ROW = /^(\S+)\s+(\d+)\s+(?:(\d+) days?,\s*)?(\d+):(\d{2}):(\d{2})\s*$/;

export function parseXlUptime(stdout: string): XlUptime[] {
  const out: XlUptime[] = [];
  for (const line of lines(stdout)) {
    const m = ROW.exec(line.trim());
    if (!m) continue;
    const [, name, domid, days, h, mi, s] = m;
    out.push({ name, domid: Number(domid), seconds: Number(days ?? 0) * 86_400 + Number(h) * 3600 + Number(mi) * 60 + Number(s) });
  }
  return out;
}

// `xl uptime [dom]`: a header, then "name  domid  [N day(s), ]H:MM:SS" per domain.
import { count, lines } from './util';

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
    const id = count(domid);
    const seconds = (count(days ?? '0') ?? NaN) * 86_400 + (count(h) ?? NaN) * 3600 + Number(mi) * 60 + Number(s);
    // A row whose numbers are beyond any real uptime says nothing about the domain.
    if (id === null || !Number.isSafeInteger(seconds)) continue;
    out.push({ name, domid: id, seconds });
  }
  return out;
}

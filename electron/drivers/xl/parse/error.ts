// xl's stderr on failure: libxl log lines
//   "libxl: error: libxl_pci.c:1529:pci_add_dm_done: Domain 7:xc_assign_device failed: Operation not supported"
// (often a cascade: the first real error is the cause, later ones are consequences), plus xl's own
// lines ("pvtest is an invalid domain identifier (rc=-6)", "Parsing config from ...").
import { z } from 'zod';
import { count, lines } from './util';

export const XlLogLine = z.object({
  /** "libxl", "xc", "xl" (xl's own text) */
  origin: z.string(),
  level: z.enum(['critical', 'error', 'warning', 'notice', 'info', 'detail', 'verbose', 'debug']).nullable(),
  file: z.string().nullable(),
  line: z.number().nullable(),
  func: z.string().nullable(),
  domid: z.number().nullable(),
  /** The message without the "libxl: error: file.c:NNN:func: Domain N:" prefix. */
  message: z.string(),
  text: z.string(),
});
export type XlLogLine = z.infer<typeof XlLogLine>;

export const XlError = z.object({
  /** Every non-empty line as printed. */
  lines: z.array(z.string()),
  /** The line that best says what went wrong, without its libxl prefix. */
  summary: z.string(),
  /** The summary's line, parsed; null for empty stderr. */
  cause: XlLogLine.nullable(),
  messages: z.array(XlLogLine),
});
export type XlError = z.infer<typeof XlError>;

const LIB = /^(libxl|xc|libxc|xl):\s+(critical|error|warning|notice|info|detail|verbose|debug):\s+(.*)$/;
const WHERE = /^([\w.-]+\.c):(\d+):([\w]+):\s?(.*)$/;

export function parseXlLogLine(text: string): XlLogLine {
  const m = LIB.exec(text);
  if (!m) {
    return { origin: 'xl', level: null, file: null, line: null, func: null, domid: null, message: text, text };
  }
  let message = m[3];
  let file: string | null = null;
  let line: number | null = null;
  let func: string | null = null;
  const w = WHERE.exec(message);
  if (w) {
    file = w[1];
    line = count(w[2]);
    func = w[3];
    message = w[4];
  }
  let domid: number | null = null;
  const d = /^Domain (\d+):\s?(.*)$/.exec(message);
  if (d) {
    domid = count(d[1]);
    message = d[2];
  }
  return { origin: m[1], level: m[2] as XlLogLine['level'], file, line, func, domid, message, text };
}

// Lines libxl prints as errors even when the operation works (seen on every PCI attach/destroy
// in the lab), so they never make the summary while anything else is there.
const NOISE = [
  /doesn't support reset from sysfs for PCI device/,
  /libxl__wait_for_backend: Backend .* not ready/,
];
// xl's own progress lines.
const CHATTER = [/^Parsing config from /, /^Savefile contains xl domain config/, /^Loading new save file/];

const isNoise = (l: XlLogLine) => NOISE.some((re) => re.test(l.text));

export function parseXlError(stderr: string): XlError {
  const all = lines(stderr)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  const messages = all.map(parseXlLogLine);
  const pick =
    messages.find((m) => (m.level === 'error' || m.level === 'critical') && !isNoise(m)) ??
    messages.find((m) => m.origin === 'xl' && !CHATTER.some((re) => re.test(m.text))) ??
    messages.find((m) => m.level === 'warning' && !isNoise(m)) ??
    messages.find((m) => m.level === 'error' || m.level === 'critical') ??
    messages[0] ??
    null;
  return { lines: all, summary: pick ? pick.message : '', cause: pick, messages };
}

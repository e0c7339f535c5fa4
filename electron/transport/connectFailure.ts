// Why a connection attempt failed before SSH was up, as a sentence an admin acts on: the name does
// not resolve, nothing listens, the port speaks something else, or the host went silent. The
// error Node or ssh2 gave stays in the detail.
import { DomusError } from '../api/errors';

export interface AttemptFacts {
  host: string;
  port: number;
  /** The TCP connection was established. */
  tcpConnected: boolean;
  /** The first bytes the server sent (at most a few hundred), before any SSH identification. */
  heard: Buffer;
  readyTimeoutMs: number;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);

/** The server's first line, printable, for the headline ("HTTP/1.1 400 Bad Request"). */
function firstLine(heard: Buffer): string {
  const line = heard.toString('latin1').split(/\r?\n/)[0] ?? '';
  const printable = line.replace(/[^\x20-\x7e]/g, '?').trim();
  return printable.length > 80 ? `${printable.slice(0, 80)}…` : printable;
}

/** Whether the server said something other than an SSH identification. */
function spokeOtherProtocol(heard: Buffer): boolean {
  return heard.length > 0 && !heard.toString('latin1').split(/\r?\n/).some((l) => l.startsWith('SSH-'));
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** The error for a failure that is neither a host key decision nor refused credentials. */
export function describeConnectFailure(err: Error & { code?: string; level?: string }, facts: AttemptFacts): DomusError {
  const { host, port } = facts;
  const where = `${host}${port === 22 ? '' : `:${port}`}`;
  const raw = facts.heard.length ? `${err.message}\nThe server sent: ${JSON.stringify(facts.heard.toString('latin1'))}` : err.message;
  if ((err.code && DNS_CODES.has(err.code)) || err.level === 'client-dns') {
    return new DomusError('connection_failed', `The name ${host} does not resolve to an address: check its spelling, or the DNS settings of this computer.`, raw);
  }
  if (err.code === 'ECONNREFUSED') {
    return new DomusError('connection_failed', `Nothing listens on port ${port} of ${host}: check the port, and that sshd runs there.`, raw);
  }
  if (err.code && UNREACHABLE_CODES.has(err.code)) {
    return new DomusError('connection_failed', `${host} cannot be reached from this computer: there is no route to it (is it up, and on this network?).`, raw);
  }
  if (spokeOtherProtocol(facts.heard)) {
    return new DomusError('connection_failed', `Port ${port} of ${host} does not speak SSH: it answered "${firstLine(facts.heard)}". Check the port.`, raw);
  }
  if (err.level === 'client-timeout' || err.code === 'ETIMEDOUT') {
    if (!facts.tcpConnected) {
      return new DomusError('timeout', `${where} did not answer within ${seconds(facts.readyTimeoutMs)}: the host may be down, or a firewall drops the connection.`, raw);
    }
    if (facts.heard.length === 0) {
      return new DomusError('timeout', `${where} accepted the connection but said nothing for ${seconds(facts.readyTimeoutMs)}: the host may be overloaded, or something in between holds the connection.`, raw);
    }
    return new DomusError('timeout', `${where} did not complete the SSH handshake within ${seconds(facts.readyTimeoutMs)}.`, raw);
  }
  if (err.level === 'protocol' && facts.tcpConnected && facts.heard.length === 0) {
    return new DomusError('connection_failed', `Port ${port} of ${host} closed the connection without a word of SSH: check the port, and that sshd runs there.`, raw);
  }
  return new DomusError('connection_failed', `Domus could not connect to ${where}.`, raw);
}

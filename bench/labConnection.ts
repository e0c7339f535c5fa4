// Domus's own SSH connection (electron/transport/ssh.ts) to the lab, checked against the lab's
// host key, for benchmarks that measure what the app does.
import { readFileSync } from 'node:fs';
import { DomusError } from '../electron/api/errors';
import { fingerprintSha256 } from '../electron/store/knownHosts';
import { SshConnection } from '../electron/transport/ssh';
import { imagePaths } from '../test/lab/paths';
import type { LabState } from '../test/lab/vm';

export async function connectDomus(state: LabState): Promise<SshConnection> {
  const img = imagePaths();
  const expected = Buffer.from(readFileSync(img.hostKeyPub, 'utf8').trim().split(/\s+/)[1], 'base64');
  const conn = new SshConnection({
    host: '127.0.0.1',
    port: state.port,
    username: 'root',
    auth: { method: 'key', privateKey: readFileSync(img.key) },
    verifyHostKey: async (blob) =>
      blob.equals(expected)
        ? { status: 'trusted' }
        : { status: 'changed', fingerprint: fingerprintSha256(blob), knownFingerprints: [fingerprintSha256(expected)] },
  });
  await conn.connect();
  if (conn.state !== 'connected') throw new DomusError('connection_failed', 'no connection to the lab');
  return conn;
}

// A stand-in for Electron's Linux distribution (electron-vXX-linux-x64.zip unpacked), for
// electron-builder's `electronDist`: the binary cannot be downloaded here, and the package check
// must not download anything. The layout is what electron-builder copies and renames; the binary
// is a shell script that carries Electron's fuse wire, so electron-builder's `electronFuses`
// (through @electron/fuses) really flips it and the check can read it back.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The marker @electron/fuses searches for; the wire follows it (see @electron/fuses' constants). */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_WIRE_VERSION = 1;
const ENABLE = 0x31; // '1'
const DISABLE = 0x30; // '0'

/**
 * Electron's own defaults (shell/common/fuses.json5), in wire order: RunAsNode,
 * EnableCookieEncryption, EnableNodeOptionsEnvironmentVariable, EnableNodeCliInspectArguments,
 * EnableEmbeddedAsarIntegrityValidation, OnlyLoadAppFromAsar, LoadBrowserProcessSpecificV8Snapshot,
 * GrantFileProtocolExtraPrivileges. A build that sets no fuses keeps these.
 */
export const ELECTRON_DEFAULT_FUSES = [ENABLE, DISABLE, ENABLE, ENABLE, DISABLE, DISABLE, DISABLE, ENABLE];

export function writeStandInElectronDist(dir: string, version: string): void {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  mkdirSync(path.join(dir, 'locales'), { recursive: true });
  const script = Buffer.from('#!/bin/sh\necho "stand-in Electron: not runnable" >&2\nexit 1\n# ');
  const wire = Buffer.from([FUSE_WIRE_VERSION, ELECTRON_DEFAULT_FUSES.length, ...ELECTRON_DEFAULT_FUSES]);
  writeFileSync(path.join(dir, 'electron'), Buffer.concat([script, Buffer.from(FUSE_SENTINEL), wire, Buffer.from('\n')]));
  chmodSync(path.join(dir, 'electron'), 0o755);
  writeFileSync(path.join(dir, 'chrome-sandbox'), '');
  writeFileSync(path.join(dir, 'version'), version);
  writeFileSync(path.join(dir, 'LICENSE'), 'stand-in\n');
  writeFileSync(path.join(dir, 'LICENSES.chromium.html'), 'stand-in\n');
  writeFileSync(path.join(dir, 'locales', 'en-US.pak'), '');
}

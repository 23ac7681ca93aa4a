import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import {
  chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import type { DeviceIdentity } from '../../commands/ports.js';
import { uuidv7 } from '../ids.js';

const DeviceJson = z.object({
  id: z.uuid(),
  name: z.string().min(1),
  os: z.string().min(1),
  publicKey: z.string().min(1),
  createdAt: z.string(),
});

/**
 * `<data-dir>/device.json` (id, name, os, public key, created) and `<data-dir>/device.key` (the Ed25519 private
 * key, PKCS#8 PEM, mode 0600), created together on first run.
 */
export function loadOrCreateDeviceIdentity(dataDir: string): DeviceIdentity {
  mkdirSync(dataDir, { recursive: true });
  const jsonFile = path.join(dataDir, 'device.json');
  const keyFile = path.join(dataDir, 'device.key');
  if (!existsSync(jsonFile)) create(jsonFile, keyFile);
  return load(jsonFile, keyFile);
}

function load(jsonFile: string, keyFile: string): DeviceIdentity {
  let device: z.output<typeof DeviceJson>;
  try {
    device = DeviceJson.parse(JSON.parse(readFileSync(jsonFile, 'utf8')));
  } catch (err) {
    throw new DomainError('DEVICE_IDENTITY_CORRUPT', 'failure', `${jsonFile} is not a valid device identity (${(err as Error).message}): restore it from a backup`);
  }
  let publicKey: string;
  try {
    publicKey = rawPublicKey(readFileSync(keyFile, 'utf8'));
  } catch (err) {
    throw new DomainError('DEVICE_IDENTITY_CORRUPT', 'failure', `cannot read the device key ${keyFile} (${(err as Error).message}): restore it from a backup`);
  }
  if (publicKey !== device.publicKey) {
    throw new DomainError('DEVICE_IDENTITY_CORRUPT', 'failure', `${keyFile} does not belong to ${jsonFile}: restore both from the same backup`);
  }
  if ((statSync(keyFile).mode & 0o077) !== 0) chmodSync(keyFile, 0o600);
  return device;
}

function create(jsonFile: string, keyFile: string): void {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const device = {
    id: uuidv7(),
    name: os.hostname() || 'unnamed device',
    os: `${os.platform()} ${os.release()}`,
    publicKey: rawPublicKey(pem),
    createdAt: new Date().toISOString(),
  };
  // Two first runs at once: linking the key file is the atomic claim. The loser discards its never-used key
  // and waits for the winner's device.json.
  const suffix = `.tmp-${process.pid}`;
  writeNew(keyFile + suffix, pem, 0o600);
  writeNew(jsonFile + suffix, JSON.stringify(device, null, 2) + '\n', 0o644);
  try {
    linkSync(keyFile + suffix, keyFile);
    renameSync(jsonFile + suffix, jsonFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    rmSync(jsonFile + suffix, { force: true });
    const deadline = Date.now() + 2000;
    while (!existsSync(jsonFile) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  } finally {
    rmSync(keyFile + suffix, { force: true });
  }
}

function writeNew(file: string, content: string, mode: number): void {
  const fd = openSync(file, 'w', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(file, mode);
}

function rawPublicKey(privatePem: string): string {
  const spki = createPublicKey(privatePem).export({ type: 'spki', format: 'der' });
  return spki.subarray(spki.length - 32).toString('base64');
}

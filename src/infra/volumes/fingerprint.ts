import { blake3 } from 'hash-wasm';

/**
 * What identifies a volume, in the style of Spacedrive v2: each kind hashes a tagged input, so two kinds can never
 * collide. Every kind includes the Spacedrive device id (volumes are device-owned data, DESIGN §3).
 * - `system`: the OS's own and memory volumes, by their normalized mount path (they never move).
 * - `volume-id`: an external volume, by the UUID of the `.spacedrive-volume-id` file on it (survives remounts,
 *   other mount points, other device nodes).
 * - `filesystem`: an external volume we cannot write to, by its filesystem UUID (else label) and capacity.
 * - `network`: a network share by what it mounts (server and export), not where.
 */
export type FingerprintInput =
  | { kind: 'system'; deviceId: string; mountPoint: string }
  | { kind: 'volume-id'; deviceId: string; volumeId: string }
  | { kind: 'filesystem'; deviceId: string; uuidOrLabel: string; totalBytes: number }
  | { kind: 'network'; deviceId: string; source: string };

/** `/mnt/usb/` and `/mnt//usb` are `/mnt/usb`; `/` stays `/`. */
export function normalizeMountPoint(mountPoint: string): string {
  const collapsed = mountPoint.replace(/\/+/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

/** The tagged bytes: `tag:` then NUL-separated fields, so no field can run into the next. */
export function fingerprintBytes(input: FingerprintInput): Buffer {
  const fields: string[] = (() => {
    switch (input.kind) {
      case 'system':
        return [input.deviceId, normalizeMountPoint(input.mountPoint)];
      case 'volume-id':
        return [input.deviceId, input.volumeId.toLowerCase()];
      case 'filesystem':
        return [input.deviceId, input.uuidOrLabel, String(input.totalBytes)];
      case 'network':
        return [input.deviceId, input.source];
    }
  })();
  return Buffer.concat([Buffer.from(`${input.kind}:`), ...fields.flatMap((f, i) => (i ? [Buffer.from([0]), Buffer.from(f)] : [Buffer.from(f)]))]);
}

/** BLAKE3 of the tagged input, 64 lowercase hex digits. */
export function volumeFingerprint(input: FingerprintInput): Promise<string> {
  return blake3(fingerprintBytes(input));
}

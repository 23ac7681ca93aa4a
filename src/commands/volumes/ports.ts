import type { VolumeFacts } from '../../domain/volume/events.js';

/** How the fingerprint was derived (infra/volumes/fingerprint.ts). */
export type FingerprintKind = 'system' | 'volume-id' | 'filesystem' | 'network';

/** A mounted volume as detection sees it now. */
export interface DetectedVolume extends VolumeFacts {
  fingerprint: string;
  fingerprintKind: FingerprintKind;
  /** st_dev of the files on it: two paths with the same number are on the same filesystem (rename works). */
  deviceNumber: number;
  /** Kernel interfaces, system internals, bind-mount duplicates and empty filesystems: shown only with `--all`. */
  hidden: boolean;
}

export interface SpeedTestOptions {
  /** Bytes to write and read back; capped by the free space. */
  bytes: number;
  /** The directory on the volume to write the temporary file in (default: its mount point). */
  dir: string;
  /** Stops the test early: the temporary file is removed all the same. */
  signal?: AbortSignal;
  onPhase?(phase: 'write' | 'read', bytes: number, file: string): void;
}

export interface SpeedTestResult {
  bytes: number;
  writeMBps: number;
  readMBps: number;
  file: string;
}

/** The volumes of this device: detection, lookup by path, and speed tests. Platform adapters implement it. */
export interface VolumeProbe {
  /** Every mounted volume, hidden ones included (the caller filters). */
  detect(): Promise<DetectedVolume[]>;
  /** The volume holding `path` (for a path that does not exist yet, the volume of its nearest existing parent). */
  volumeOf(path: string): Promise<DetectedVolume>;
  speedTest(volume: DetectedVolume, options: SpeedTestOptions): Promise<SpeedTestResult>;
}

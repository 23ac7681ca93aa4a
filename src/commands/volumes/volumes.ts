import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import type { CommandBus } from '../bus.js';
import type { SpeedTestOptions, SpeedTestResult, VolumeProbe } from './ports.js';
import { recordSpeedTest, refreshVolume, renameVolume, trackVolume, untrackVolume } from './volume-commands.js';
import { factsOf, VolumeQueries, type VolumeView } from './volume-queries.js';

export interface VolumeChange {
  fingerprint: string;
  name: string;
  change: 'mounted' | 'unmounted' | 'updated';
  changed: string[];
}

/** The volumes of this device in one library: detect, track, untrack, rename, refresh, speed-test. */
export class Volumes extends VolumeQueries {
  constructor(
    private readonly bus: CommandBus,
    db: Database,
    probe: VolumeProbe,
    deviceId: string,
  ) {
    super(db, probe, deviceId);
  }

  async track(ref: string, name?: string): Promise<VolumeView> {
    const v = await this.resolve(ref);
    if (!v.detected && !v.record?.tracked) throw new DomainError('VOLUME_OFFLINE', 'user', `volume "${v.record?.name ?? ref}" is not mounted: mount it, then track it`);
    // an offline volume that is tracked goes to the decider too, which refuses it as already tracked
    const record = await this.bus.execute(trackVolume, { fingerprint: v.fingerprint, name, facts: factsOf((v.detected ?? v.record)!) });
    return this.view(v.detected, record);
  }

  async untrack(ref: string): Promise<VolumeView> {
    const v = await this.resolve(ref);
    await this.bus.execute(untrackVolume, { fingerprint: v.fingerprint });
    return this.view(v.detected, this.records().find((r) => r.fingerprint === v.fingerprint) ?? null);
  }

  async rename(ref: string, name: string): Promise<VolumeView> {
    const v = await this.resolve(ref);
    const record = await this.bus.execute(renameVolume, { fingerprint: v.fingerprint, name });
    return this.view(v.detected, record);
  }

  /** Compares the tracked volumes with what is mounted now and records mounts, unmounts and changed facts. */
  async refresh(): Promise<{ changes: VolumeChange[]; detected: number; tracked: number }> {
    const detected = await this.probe.detect();
    const now = new Map(detected.map((d) => [d.fingerprint, d]));
    const changes: VolumeChange[] = [];
    const tracked = this.records().filter((r) => r.tracked);
    for (const r of tracked) {
      const seen = now.get(r.fingerprint);
      const events = await this.bus.execute(refreshVolume, { fingerprint: r.fingerprint, seen: seen ? factsOf(seen) : null });
      for (const e of events) {
        const change = e.type === 'VolumeMounted' ? 'mounted' : e.type === 'VolumeUnmounted' ? 'unmounted' : 'updated';
        changes.push({ fingerprint: r.fingerprint, name: r.name, change, changed: e.type === 'VolumeUpdated' ? e.data.changed : [] });
      }
    }
    return { changes, detected: detected.filter((d) => !d.hidden).length, tracked: tracked.length };
  }

  /**
   * Writes and reads a temporary file on the volume (in `dir`, which must be on it; default its mount point) and
   * records the result. An interrupted or failed test records nothing.
   */
  async speedTest(ref: string, options: Omit<SpeedTestOptions, 'dir'> & { dir?: string }): Promise<{ volume: VolumeView; result: SpeedTestResult }> {
    const v = await this.resolve(ref);
    if (!v.detected) throw new DomainError('VOLUME_OFFLINE', 'user', `volume "${v.record?.name ?? ref}" is not mounted: mount it to test its speed`);
    const dir = path.resolve(options.dir ?? v.detected.mountPoint);
    const holder = await this.probe.volumeOf(dir);
    if (holder.fingerprint !== v.fingerprint) {
      throw new DomainError('VOLUME_DIR_ELSEWHERE', 'user', `${dir} is on the volume at ${holder.mountPoint}, not on "${v.detected.name}" (${v.detected.mountPoint})`);
    }
    const result = await this.probe.speedTest(v.detected, { ...options, dir });
    const record = await this.bus.execute(recordSpeedTest, {
      fingerprint: v.fingerprint,
      facts: factsOf(v.detected),
      bytes: result.bytes,
      writeMBps: result.writeMBps,
      readMBps: result.readMBps,
    });
    return { volume: this.view(v.detected, record), result };
  }
}

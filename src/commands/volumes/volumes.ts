import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import type { VolumeFacts } from '../../domain/volume/events.js';
import { listVolumeRecords, type VolumeRecord } from '../../projections/volumes/queries.js';
import type { CommandBus } from '../bus.js';
import type { DetectedVolume, SpeedTestOptions, SpeedTestResult, VolumeProbe } from './ports.js';
import { recordSpeedTest, refreshVolume, renameVolume, trackVolume, untrackVolume } from './volume-commands.js';

/** A volume as `volume list` shows it: detected now (online) or tracked here and absent (offline, last-known facts). */
export interface VolumeView extends VolumeFacts {
  fingerprint: string;
  tracked: boolean;
  online: boolean;
  hidden: boolean;
  /** st_dev of its files while mounted. */
  deviceNumber: number | null;
  fingerprintKind: DetectedVolume['fingerprintKind'] | null;
  trackedAt: string | null;
  lastSeenAt: string | null;
  speedTest: VolumeRecord['speedTest'];
}

export interface VolumeChange {
  fingerprint: string;
  name: string;
  change: 'mounted' | 'unmounted' | 'updated';
  changed: string[];
}

/** One volume found by a user's reference, with what is detected of it now and what this library recorded. */
interface Resolved {
  fingerprint: string;
  detected: DetectedVolume | null;
  record: VolumeRecord | null;
}

export function factsOf(v: VolumeFacts): VolumeFacts {
  const { name, mountPoint, source, fileSystem, totalBytes, availableBytes, mountType, diskType, readOnly, copyOnWrite } = v;
  return { name, mountPoint, source, fileSystem, totalBytes, availableBytes, mountType, diskType, readOnly, copyOnWrite };
}

/** The volumes of this device in one library: detect, track, untrack, rename, refresh, speed-test. */
export class Volumes {
  constructor(
    private readonly bus: CommandBus,
    private readonly db: Database,
    private readonly probe: VolumeProbe,
    private readonly deviceId: string,
  ) {}

  /** Detected volumes (hidden ones with `all`), then tracked volumes that are absent now. */
  async list(options: { all?: boolean } = {}): Promise<VolumeView[]> {
    const detected = await this.probe.detect();
    const records = this.records();
    const byFingerprint = new Map(records.map((r) => [r.fingerprint, r]));
    const online = detected.filter((d) => options.all || !d.hidden || byFingerprint.get(d.fingerprint)?.tracked).map((d) => this.view(d, byFingerprint.get(d.fingerprint) ?? null));
    const seen = new Set(detected.map((d) => d.fingerprint));
    const offline = records.filter((r) => r.tracked && !seen.has(r.fingerprint)).map((r) => this.view(null, r));
    return [...online, ...offline];
  }

  /** The volume holding a path (or its nearest existing parent). */
  async volumeFor(target: string): Promise<VolumeView> {
    const d = await this.probe.volumeOf(target);
    return this.view(d, this.records().find((r) => r.fingerprint === d.fingerprint) ?? null);
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

  /**
   * A volume by fingerprint, mount point, name, or unique fingerprint prefix: among the mounted volumes of this
   * device and the volumes this library recorded.
   */
  async resolve(ref: string): Promise<Resolved> {
    const detected = await this.probe.detect();
    const records = this.records();
    const all = new Map<string, Resolved>();
    for (const d of detected) all.set(d.fingerprint, { fingerprint: d.fingerprint, detected: d, record: null });
    for (const r of records) {
      const known = all.get(r.fingerprint);
      if (known) known.record = r;
      else all.set(r.fingerprint, { fingerprint: r.fingerprint, detected: null, record: r });
    }
    const candidates = [...all.values()];
    const mountPointOf = (c: Resolved) => c.detected?.mountPoint ?? c.record!.mountPoint;
    const pick = (found: Resolved[]): Resolved | null => {
      if (found.length === 1) return found[0];
      if (found.length === 0) return null;
      const visible = found.filter((c) => c.record?.tracked || (c.detected && !c.detected.hidden));
      if (visible.length === 1) return visible[0];
      throw new DomainError(
        'VOLUME_AMBIGUOUS',
        'user',
        `"${ref}" names several volumes (${found.map((c) => `${c.fingerprint.slice(0, 12)} at ${mountPointOf(c)}`).join(', ')}): use a fingerprint`,
      );
    };
    const exact = pick(candidates.filter((c) => c.fingerprint === ref));
    if (exact) return exact;
    if (ref.includes('/')) {
      const wanted = path.resolve(ref);
      const byMount = pick(candidates.filter((c) => c.detected?.mountPoint === wanted)) ?? pick(candidates.filter((c) => !c.detected && c.record?.tracked && c.record.mountPoint === wanted));
      if (byMount) return byMount;
      throw new DomainError('VOLUME_NOT_FOUND', 'user', `${wanted} is not the mount point of a volume: \`spacedrive volume for ${ref}\` tells which volume holds it`);
    }
    const byName =
      pick(candidates.filter((c) => c.record?.tracked && c.record.name === ref)) ??
      pick(candidates.filter((c) => (c.detected?.name ?? c.record?.name) === ref));
    if (byName) return byName;
    const byPrefix = /^[0-9a-f]{4,63}$/.test(ref) ? pick(candidates.filter((c) => c.fingerprint.startsWith(ref))) : null;
    if (byPrefix) return byPrefix;
    throw new DomainError('VOLUME_NOT_FOUND', 'user', `no volume "${ref}": \`spacedrive volume list --all\` lists them (by fingerprint, mount point or name)`);
  }

  /** The records of this device's volumes (other devices' volumes are theirs to track and refresh). */
  private records(): VolumeRecord[] {
    return listVolumeRecords(this.db).filter((r) => r.deviceId === this.deviceId);
  }

  private view(d: DetectedVolume | null, r: VolumeRecord | null): VolumeView {
    const facts = factsOf((d ?? r)!);
    return {
      fingerprint: (d?.fingerprint ?? r?.fingerprint)!,
      ...facts,
      name: r?.tracked ? r.name : facts.name,
      tracked: r?.tracked ?? false,
      online: d !== null,
      hidden: d?.hidden ?? false,
      deviceNumber: d?.deviceNumber ?? null,
      fingerprintKind: d?.fingerprintKind ?? null,
      trackedAt: r?.tracked ? r.trackedAt : null,
      lastSeenAt: r?.lastSeenAt ?? null,
      speedTest: r?.speedTest ?? null,
    };
  }
}

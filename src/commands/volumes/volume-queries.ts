import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import type { VolumeFacts } from '../../domain/volume/events.js';
import { listVolumeRecords, type VolumeRecord } from '../../projections/volumes/queries.js';
import type { DetectedVolume, VolumeProbe } from './ports.js';

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

/** One volume found by a user's reference, with what is detected of it now and what this library recorded. */
export interface ResolvedVolume {
  fingerprint: string;
  detected: DetectedVolume | null;
  record: VolumeRecord | null;
}

export function factsOf(v: VolumeFacts): VolumeFacts {
  const { name, mountPoint, source, fileSystem, totalBytes, availableBytes, mountType, diskType, readOnly, copyOnWrite } = v;
  return { name, mountPoint, source, fileSystem, totalBytes, availableBytes, mountType, diskType, readOnly, copyOnWrite };
}

/**
 * What is mounted on this device and what a library recorded of it: read-only, so it also serves while another
 * process holds the library.
 */
export class VolumeQueries {
  constructor(
    protected readonly db: Database,
    protected readonly probe: VolumeProbe,
    protected readonly deviceId: string,
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

  /**
   * A volume by fingerprint, mount point, name, or unique fingerprint prefix: among the mounted volumes of this
   * device and the volumes this library recorded.
   */
  async resolve(ref: string): Promise<ResolvedVolume> {
    const detected = await this.probe.detect();
    const records = this.records();
    const all = new Map<string, ResolvedVolume>();
    for (const d of detected) all.set(d.fingerprint, { fingerprint: d.fingerprint, detected: d, record: null });
    for (const r of records) {
      const known = all.get(r.fingerprint);
      if (known) known.record = r;
      else all.set(r.fingerprint, { fingerprint: r.fingerprint, detected: null, record: r });
    }
    const candidates = [...all.values()];
    const mountPointOf = (c: ResolvedVolume) => c.detected?.mountPoint ?? c.record!.mountPoint;
    const pick = (found: ResolvedVolume[]): ResolvedVolume | null => {
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
  protected records(): VolumeRecord[] {
    return listVolumeRecords(this.db).filter((r) => r.deviceId === this.deviceId);
  }

  protected view(d: DetectedVolume | null, r: VolumeRecord | null): VolumeView {
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

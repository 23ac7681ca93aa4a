import { statfs } from 'node:fs/promises';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { DetectedVolume, FingerprintKind } from '../../../commands/volumes/ports.js';
import type { DiskType, MountType } from '../../../domain/volume/events.js';
import { DomainError } from '../../../domain/errors.js';
import { volumeFingerprint, normalizeMountPoint, type FingerprintInput } from '../fingerprint.js';
import { isCopyOnWriteFileSystem, isNetworkFileSystem } from '../filesystems.js';
import { isHidden, isUnder, mountTypeOf } from './classify.js';
import { readOrCreateVolumeId } from '../volume-id-file.js';
import { blockDeviceOf } from './sysfs.js';
import { deviceNumber, readMountinfo, visibleMounts, type MountEntry } from './mountinfo.js';
import { readSuperblock } from './superblock.js';
import { existingRealPath } from '../portable.js';

export interface LinuxDetectionOptions {
  /** The Spacedrive device id every fingerprint includes. */
  deviceId: string;
  /** Another mountinfo file than this process's (tests describe bind mounts with it). */
  mountinfo?: string;
}

/** Volumes from /proc/self/mountinfo, statfs and /sys/block: no shelling out. */
export class LinuxVolumeDetector {
  constructor(private readonly options: LinuxDetectionOptions) {}

  async detect(): Promise<DetectedVolume[]> {
    const mounts = visibleMounts(readMountinfo(this.options.mountinfo));
    const duplicates = bindDuplicates(mounts);
    return Promise.all(mounts.map((m) => this.describe(m, duplicates.has(m))));
  }

  /** The volume holding `target`, or of its nearest existing parent when it does not exist yet. */
  async volumeOf(target: string): Promise<DetectedVolume> {
    const existing = existingRealPath(target);
    const dev = statSync(existing).dev;
    const mounts = visibleMounts(readMountinfo(this.options.mountinfo));
    const containing = mounts.filter((m) => isUnder(existing, m.mountPoint));
    const sameDevice = containing.filter((m) => deviceNumber(m.major, m.minor) === dev);
    const best = (sameDevice.length ? sameDevice : containing).reduce<MountEntry | null>(
      (a, m) => (a === null || m.mountPoint.length >= a.mountPoint.length ? m : a),
      null,
    );
    if (!best) throw new DomainError('VOLUME_NOT_FOUND', 'failure', `no mount holds ${existing}`);
    return this.describe(best, bindDuplicates(mounts).has(best));
  }

  private async describe(m: MountEntry, duplicate: boolean): Promise<DetectedVolume> {
    const sizes = await statfs(m.mountPointBytes, { bigint: true }).then(
      (s) => ({ total: Number(s.blocks * s.bsize), available: Number(s.bavail * s.bsize) }),
      () => ({ total: 0, available: 0 }), // EACCES, a stale network mount: listed, with nothing known of its size
    );
    const fs = m.fileSystem;
    const network = isNetworkFileSystem(fs);
    const block = network ? null : blockDeviceOf(m.major, m.minor, m.source);
    const superblock = block && m.source.startsWith('/dev/') ? readSuperblock(m.source, fs) : null;
    const mountType = mountTypeOf(m, block);
    const diskType: DiskType = network ? 'network' : !block || block.virtual ? 'virtual' : block.rotational === null ? 'unknown' : block.rotational ? 'hdd' : 'ssd';
    const hidden = duplicate || isHidden(m, sizes.total);
    const { kind, input } = this.identity(m, mountType, hidden, superblock?.uuid ?? superblock?.label ?? null, sizes.total);
    const mountPoint = normalizeMountPoint(m.mountPoint);
    return {
      fingerprint: await volumeFingerprint(input),
      fingerprintKind: kind,
      name: superblock?.label ?? (mountPoint === '/' ? 'Root' : path.basename(mountPoint)),
      mountPoint,
      source: m.source,
      fileSystem: fs,
      totalBytes: sizes.total,
      availableBytes: sizes.available,
      mountType,
      diskType,
      readOnly: m.readOnly,
      copyOnWrite: isCopyOnWriteFileSystem(fs) || (fs === 'xfs' && superblock?.reflink === true),
      deviceNumber: deviceNumber(m.major, m.minor),
      hidden,
    };
  }

  private identity(
    m: MountEntry,
    mountType: MountType,
    hidden: boolean,
    uuidOrLabel: string | null,
    totalBytes: number,
  ): { kind: FingerprintKind; input: FingerprintInput } {
    const deviceId = this.options.deviceId;
    if (mountType === 'network') return { kind: 'network', input: { kind: 'network', deviceId, source: m.source } };
    if (mountType === 'external') {
      const volumeId = readOrCreateVolumeId(m.mountPoint, !m.readOnly && !hidden, new Date());
      if (volumeId) return { kind: 'volume-id', input: { kind: 'volume-id', deviceId, volumeId } };
      if (uuidOrLabel) return { kind: 'filesystem', input: { kind: 'filesystem', deviceId, uuidOrLabel, totalBytes } };
    }
    return { kind: 'system', input: { kind: 'system', deviceId, mountPoint: m.mountPoint } };
  }
}

/**
 * Bind mounts show one filesystem at several places: per device, the mount of the filesystem's own root (else the
 * first) is the volume, the others are duplicates (files such as /etc/hosts bound into a container, too).
 */
function bindDuplicates(mounts: readonly MountEntry[]): Set<MountEntry> {
  const primary = new Map<number, MountEntry>();
  for (const m of mounts) {
    const dev = deviceNumber(m.major, m.minor);
    const current = primary.get(dev);
    if (!current || (current.root !== '/' && m.root === '/')) primary.set(dev, m);
  }
  return new Set(mounts.filter((m) => primary.get(deviceNumber(m.major, m.minor)) !== m));
}

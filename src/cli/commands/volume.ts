import { Command, Option } from 'clipanion';
import { DomainError } from '../../domain/errors.js';
import type { VolumeView } from '../../commands/volumes/volume-queries.js';
import { SpacedriveCommand } from '../base-command.js';

/** DESIGN §6 fields first, then the rest. */
export const volumeJson = (v: VolumeView) => ({
  fingerprint: v.fingerprint,
  name: v.name,
  mountPoint: v.mountPoint,
  fileSystem: v.fileSystem,
  totalBytes: v.totalBytes,
  availableBytes: v.availableBytes,
  mountType: v.mountType,
  diskType: v.diskType,
  readOnly: v.readOnly,
  tracked: v.tracked,
  online: v.online,
  source: v.source,
  copyOnWrite: v.copyOnWrite,
  hidden: v.hidden,
  deviceNumber: v.deviceNumber,
  fingerprintKind: v.fingerprintKind,
  trackedAt: v.trackedAt,
  lastSeenAt: v.lastSeenAt,
  speedTest: v.speedTest,
});

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1e6, mib: 1024 ** 2, g: 1024 ** 3, gb: 1e9, gib: 1024 ** 3 };

/** `4096`, `64M`, `64MiB`, `1.5GB`: K/M/G and KiB/MiB/GiB are powers of 1024, kB/MB/GB of 1000. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  const bytes = m && unit ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new DomainError('INVALID_SIZE', 'user', `invalid size "${text}": give bytes or a number with K, M, G (e.g. 64M)`);
  }
  return bytes;
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

function humanLine(v: VolumeView): string {
  const state = v.online ? (v.tracked ? 'tracked' : 'untracked') : 'tracked, offline';
  const flags = [v.readOnly ? 'read-only' : null, v.copyOnWrite ? 'copy-on-write' : null].filter(Boolean).join(', ');
  return `${v.fingerprint.slice(0, 12)}  ${v.name}  ${v.mountPoint}  ${v.fileSystem}  ${bytes(v.availableBytes)} free of ${bytes(v.totalBytes)}  ${v.mountType}/${v.diskType}  ${state}${flags ? `  (${flags})` : ''}`;
}

export class VolumeListCommand extends SpacedriveCommand {
  static override paths = [['volume', 'list']];
  static override usage = Command.Usage({
    description: 'List the volumes of this device, and tracked volumes that are offline',
    examples: [['List', '$0 volume list'], ['Include kernel and system mounts', '$0 volume list --all']],
  });
  all = Option.Boolean('--all', false, { description: 'Include pseudo filesystems, system internals and bind-mount duplicates' });

  async run() {
    await this.withQueries(async (library) => {
      const volumes = await library.volumes.list({ all: this.all });
      this.out.result(volumes.map(volumeJson), () => (volumes.length === 0 ? 'No volumes detected.' : volumes.map(humanLine)));
    });
  }
}

export class VolumeForCommand extends SpacedriveCommand {
  static override paths = [['volume', 'for']];
  static override usage = Command.Usage({ description: 'Tell which volume holds a path', examples: [['Which volume', '$0 volume for ~/Pictures']] });
  target = Option.String({ required: true });

  async run() {
    await this.withQueries(async (library) => {
      const v = await library.volumes.volumeFor(this.target);
      this.out.result(volumeJson(v), () => humanLine(v));
    });
  }
}

export class VolumeTrackCommand extends SpacedriveCommand {
  static override paths = [['volume', 'track']];
  static override usage = Command.Usage({
    description: 'Track a volume in this library (by fingerprint, unique prefix, mount point or name)',
    examples: [['Track', '$0 volume track /mnt/usb --name "Photo disk"']],
  });
  volume = Option.String({ required: true });
  name = Option.String('--name', { description: 'Display name (default: the volume label or mount point name)' });

  async run() {
    await this.withLibrary(async (library) => {
      const v = await library.volumes.track(this.volume, this.name);
      this.out.result(volumeJson(v), () => `Tracking volume "${v.name}" (${v.fingerprint.slice(0, 12)}) at ${v.mountPoint}`);
    });
  }
}

export class VolumeUntrackCommand extends SpacedriveCommand {
  static override paths = [['volume', 'untrack']];
  static override usage = Command.Usage({ description: 'Stop tracking a volume in this library', examples: [['Untrack', '$0 volume untrack "Photo disk"']] });
  volume = Option.String({ required: true });

  async run() {
    await this.withLibrary(async (library) => {
      const v = await library.volumes.untrack(this.volume);
      this.out.result(volumeJson(v), () => `Stopped tracking volume "${v.name}" (${v.fingerprint.slice(0, 12)})`);
    });
  }
}

export class VolumeRenameCommand extends SpacedriveCommand {
  static override paths = [['volume', 'rename']];
  static override usage = Command.Usage({ description: 'Rename a tracked volume', examples: [['Rename', '$0 volume rename "Photo disk" Archive']] });
  volume = Option.String({ required: true });
  name = Option.String({ required: true });

  async run() {
    await this.withLibrary(async (library) => {
      const v = await library.volumes.rename(this.volume, this.name);
      this.out.result(volumeJson(v), () => `Renamed volume to "${v.name}"`);
    });
  }
}

export class VolumeRefreshCommand extends SpacedriveCommand {
  static override paths = [['volume', 'refresh']];
  static override usage = Command.Usage({
    description: 'Detect mounts, unmounts and capacity changes of tracked volumes and record them',
    examples: [['Refresh', '$0 volume refresh']],
  });

  async run() {
    await this.withLibrary(async (library) => {
      const r = await library.volumes.refresh();
      this.out.result(r, () => [
        ...r.changes.map((c) => `${c.name} (${c.fingerprint.slice(0, 12)}): ${c.change}${c.changed.length ? ` (${c.changed.join(', ')})` : ''}`),
        `${r.detected} volumes mounted, ${r.tracked} tracked, ${r.changes.length} changes recorded`,
      ]);
    });
  }
}

export class VolumeSpeedTestCommand extends SpacedriveCommand {
  static override paths = [['volume', 'speed-test']];
  static override usage = Command.Usage({
    description: 'Measure write and read speed with a temporary file, and record the result',
    details: 'The file is fsynced before the write is timed as done; it is removed afterwards, also on failure or Ctrl-C. Reads may come from the page cache.',
    examples: [['Default 256 MiB', '$0 volume speed-test /'], ['Small, in a folder of the volume', '$0 volume speed-test / --size 16M --dir /var/tmp']],
  });
  volume = Option.String({ required: true });
  size = Option.String('--size', '256MiB', { description: 'Bytes to write and read (K/M/G; capped by free space)' });
  dir = Option.String('--dir', { description: 'Folder on the volume for the temporary file (default: its mount point)' });

  async run() {
    const bytes = parseSize(this.size);
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      return await this.withLibrary(async (library) => {
        const { volume, result } = await library.volumes.speedTest(this.volume, {
          bytes,
          dir: this.dir,
          signal: abort.signal,
          onPhase: (phase, n, file) => {
            if (!this.json && !this.quiet) this.context.stderr.write(`${phase === 'write' ? 'writing' : 'reading'} ${n} bytes ${phase === 'write' ? 'to' : 'from'} ${file}\n`);
          },
        });
        this.out.result({ volume: volumeJson(volume), bytes: result.bytes, writeMBps: result.writeMBps, readMBps: result.readMBps }, () =>
          `${volume.name} (${volume.mountPoint}): write ${result.writeMBps} MB/s, read ${result.readMBps} MB/s (${result.bytes} bytes)`,
        );
      });
    } catch (err) {
      if (err instanceof DomainError && err.code === 'SPEED_TEST_INTERRUPTED') {
        this.out.error(err);
        return 130;
      }
      throw err;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
}

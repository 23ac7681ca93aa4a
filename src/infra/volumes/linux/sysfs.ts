import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { splitDeviceNumber } from './mountinfo.js';

/** The block device behind a mount, as /sys/dev/block describes it. */
export interface BlockDevice {
  /** Kernel name of the whole disk (vda, sda, nvme0n1, loop3). */
  disk: string;
  /** Null when the queue does not say (no `queue/rotational`). */
  rotational: boolean | null;
  removable: boolean;
  usb: boolean;
  /** loop, zram, ram: backed by a file or memory, not a disk. */
  virtual: boolean;
}

const readText = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
};

/**
 * The block device of a mount: by its major:minor, or — for filesystems that report an anonymous device (btrfs) —
 * by the device node named as its source.
 */
export function blockDeviceOf(major: number, minor: number, source: string): BlockDevice | null {
  let dir = major !== 0 ? sysDir(major, minor) : null;
  if (!dir && source.startsWith('/dev/')) {
    try {
      const st = statSync(source);
      if (st.isBlockDevice()) {
        const { major: M, minor: m } = splitDeviceNumber(st.rdev);
        dir = sysDir(M, m);
      }
    } catch {
      dir = null;
    }
  }
  if (!dir) return null;
  const diskDir = existsSync(path.join(dir, 'partition')) ? path.dirname(dir) : dir;
  const disk = path.basename(diskDir);
  const rotational = readText(path.join(diskDir, 'queue', 'rotational'));
  return {
    disk,
    rotational: rotational === null ? null : rotational === '1',
    removable: readText(path.join(diskDir, 'removable')) === '1',
    usb: diskDir.includes('/usb'),
    virtual: /^(loop|zram|ram)\d+$/.test(disk),
  };
}

function sysDir(major: number, minor: number): string | null {
  try {
    return realpathSync(`/sys/dev/block/${major}:${minor}`);
  } catch {
    return null;
  }
}

import { closeSync, openSync, readSync } from 'node:fs';

/** Identity and features a filesystem records in its superblock (read directly: there is no udev in containers). */
export interface Superblock {
  uuid: string | null;
  label: string | null;
  /** xfs only: whether the filesystem was made with reflink (clone) support. */
  reflink: boolean;
}

function readAt(device: string, offset: number, length: number): Buffer | null {
  let fd: number | undefined;
  try {
    fd = openSync(device, 'r');
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, offset);
    return n === length ? buf : null;
  } catch {
    return null; // not readable (not root, no device node in this namespace): the caller falls back
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const uuidOf = (b: Buffer): string | null => {
  if (b.every((x) => x === 0)) return null;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const labelOf = (b: Buffer): string | null => {
  const end = b.indexOf(0);
  const text = b.subarray(0, end < 0 ? b.length : end).toString('utf8').trim();
  return text || null;
};

/** ext2/3/4, xfs and btrfs superblocks; null for other filesystems or an unreadable device. */
export function readSuperblock(device: string, fileSystem: string): Superblock | null {
  if (fileSystem === 'ext2' || fileSystem === 'ext3' || fileSystem === 'ext4') {
    const sb = readAt(device, 1024, 256);
    if (!sb || sb.readUInt16LE(0x38) !== 0xef53) return null;
    return { uuid: uuidOf(sb.subarray(0x68, 0x78)), label: labelOf(sb.subarray(0x78, 0x88)), reflink: false };
  }
  if (fileSystem === 'xfs') {
    const sb = readAt(device, 0, 512);
    if (!sb || sb.toString('latin1', 0, 4) !== 'XFSB') return null;
    const v5 = (sb.readUInt16BE(100) & 0xf) === 5;
    const REFLINK = 1 << 2; // XFS_SB_FEAT_RO_COMPAT_REFLINK in sb_features_ro_compat
    return { uuid: uuidOf(sb.subarray(32, 48)), label: labelOf(sb.subarray(108, 120)), reflink: v5 && (sb.readUInt32BE(212) & REFLINK) !== 0 };
  }
  if (fileSystem === 'btrfs') {
    const sb = readAt(device, 0x10000, 0x22b);
    if (!sb || sb.toString('latin1', 0x40, 0x48) !== '_BHRfS_M') return null;
    return { uuid: uuidOf(sb.subarray(0x20, 0x30)), label: labelOf(sb.subarray(0x12b, 0x22b)), reflink: true };
  }
  return null;
}

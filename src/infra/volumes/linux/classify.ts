/** How a Linux mount is classified: its mount type and whether `volume list` hides it by default. */
import type { MountType } from '../../../domain/volume/events.js';
import { isNetworkFileSystem, isPseudoFileSystem, isVirtualFileSystem } from '../filesystems.js';
import type { MountEntry } from './mountinfo.js';
import type { BlockDevice } from './sysfs.js';

/** Where desktops and users mount removable and extra disks. */
const EXTERNAL_ROOTS = ['/media', '/run/media', '/mnt', '/Volumes'];
/** Kernel and runtime trees: whatever is mounted there is plumbing, not storage a user browses. */
const SYSTEM_TREES = ['/proc', '/sys', '/dev', '/run'];

export const isUnder = (p: string, root: string): boolean => p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`);

/** Network by filesystem; virtual without a disk of its own; external when removable, USB, a loop image or mounted where desktops mount such disks. */
export function mountTypeOf(m: MountEntry, block: BlockDevice | null): MountType {
  if (isNetworkFileSystem(m.fileSystem)) return 'network';
  if (!block || isVirtualFileSystem(m.fileSystem)) return 'virtual';
  if (block.removable || block.usb || block.disk.startsWith('loop')) return 'external';
  if (EXTERNAL_ROOTS.some((r) => isUnder(m.mountPoint, r))) return 'external';
  return 'system';
}

/** Kernel interfaces and runtime plumbing, container layers, snap images and empty filesystems: shown only with `--all`. */
export function isHidden(m: MountEntry, totalBytes: number): boolean {
  const fs = m.fileSystem;
  if (isPseudoFileSystem(fs) || totalBytes === 0) return true;
  if (SYSTEM_TREES.some((t) => isUnder(m.mountPoint, t)) && !EXTERNAL_ROOTS.some((r) => isUnder(m.mountPoint, r))) return true;
  if ((fs === 'overlay' || fs === 'aufs') && m.mountPoint !== '/') return true; // container layers
  if (fs === 'squashfs' && isUnder(m.mountPoint, '/snap')) return true; // snap packages
  return false;
}


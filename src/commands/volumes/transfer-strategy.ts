import type { DetectedVolume } from './ports.js';

export type TransferStrategy = 'rename' | 'clone' | 'stream';

type Placement = Pick<DetectedVolume, 'mountPoint' | 'deviceNumber' | 'copyOnWrite'>;

/**
 * How to bring a file from one volume to another (Spacedrive's copy strategies). rename(2) only works within one
 * mount (EXDEV across mount points, even of the same filesystem), so a move renames when both paths are under the
 * same mount; a reflink clone needs the same filesystem and one that can share extents; anything else is streamed.
 * The caller still falls back to streaming when a clone fails (kernels before 5.18 refuse FICLONE across mounts).
 */
export function transferStrategy(operation: 'copy' | 'move', source: Placement, destination: Placement): TransferStrategy {
  const sameFileSystem = source.deviceNumber === destination.deviceNumber;
  if (operation === 'move' && sameFileSystem && source.mountPoint === destination.mountPoint) return 'rename';
  if (sameFileSystem && source.copyOnWrite) return 'clone';
  return 'stream';
}

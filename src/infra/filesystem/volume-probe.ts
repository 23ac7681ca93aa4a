import { accessSync, constants, lstatSync, readFileSync, realpathSync, statfsSync, statSync } from 'node:fs';
import type { DiskPath, VolumeProbe } from '../../commands/files/ports.js';

/**
 * Volumes as stat(2) and statfs(2) see them: one filesystem per st_dev, free space for unprivileged writers
 * (f_bavail), and read-only mounts from /proc/self/mountinfo. The volume layer can take its place behind the port.
 */
export class StatVolumeProbe implements VolumeProbe {
  sameFilesystem(a: DiskPath, b: DiskPath): boolean {
    return lstatSync(a).dev === lstatSync(b).dev;
  }

  freeBytes(dir: DiskPath): number {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  }

  isReadOnly(dir: DiskPath): boolean {
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return true;
    }
    // root passes access(2) everywhere but on a read-only mount
    const mount = mountOf(realpathSync(dir).toString());
    return mount?.options.split(',').includes('ro') ?? false;
  }
}

interface Mount {
  point: string;
  options: string;
  dev: number;
}

/** The mount holding `real` (a resolved path): the deepest mount point above it on the same device. */
function mountOf(real: string): Mount | null {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return null;
  }
  const dev = statSync(real).dev;
  let best: Mount | null = null;
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length < 6) continue;
    const point = f[4].replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    const inside = point === '/' || real === point || real.startsWith(`${point}/`);
    if (!inside || (best && best.point.length > point.length)) continue;
    let pointDev: number;
    try {
      pointDev = statSync(point).dev;
    } catch {
      continue;
    }
    if (pointDev === dev) best = { point, options: f[5], dev };
  }
  return best;
}

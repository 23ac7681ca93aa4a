import { spawnSync } from 'node:child_process';

/**
 * Real mounts for volume tests (we run as root in CI). Each helper returns null on success, else why it could not
 * (no privilege, no loop devices in this sandbox, a missing tool): the caller logs that reason and skips.
 */
function run(command: string, args: string[]): string | null {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) return `${command} could not run: ${r.error.message}`;
  if (r.status !== 0) return `\`${command} ${args.join(' ')}\` failed: ${(r.stderr || r.stdout).trim() || `exit ${r.status}`}`;
  return null;
}

export function mountTmpfs(dir: string, size = '8m'): string | null {
  return run('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'sd-test-volume', dir]);
}

/** An ext4 image file of `megabytes` MiB, ready to loop-mount. */
export function makeExt4Image(file: string, megabytes = 16): string | null {
  return run('truncate', ['-s', `${megabytes}M`, file]) ?? run('mkfs.ext4', ['-q', '-F', file]);
}

/** An image of `megabytes` MiB made by `mkfs.<type> <args…> <file>` (xfs needs at least 300 MiB; the file is sparse). */
export function makeImage(file: string, type: string, megabytes: number, args: string[] = []): string | null {
  return run('truncate', ['-s', `${megabytes}M`, file]) ?? run(`mkfs.${type}`, [...args, file]);
}

/** What blkid reads from an image or device (UUID, LABEL), or null without blkid. */
export function blkid(file: string, tag: 'UUID' | 'LABEL'): string | null {
  const r = spawnSync('blkid', ['-s', tag, '-o', 'value', file], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function mountLoop(image: string, dir: string, readOnly = false): string | null {
  return run('mount', ['-o', readOnly ? 'loop,ro' : 'loop', image, dir]);
}

/** Unmounts if mounted; a busy mount is detached lazily so a failing test never leaves it behind. */
export function unmount(dir: string): void {
  if (run('umount', [dir]) !== null) run('umount', ['-l', dir]);
}

export function skipped(test: string, reason: string): void {
  console.log(`\n  SKIPPED ${test}: ${reason}`);
}

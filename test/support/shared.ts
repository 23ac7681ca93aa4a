import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's shared folder (`../shared` beside the repository): golden data and the reference tree tool. */
export function sharedPath(relative: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, '..', 'shared', relative);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`../shared/${relative} not found above ${fileURLToPath(import.meta.url)}`);
}

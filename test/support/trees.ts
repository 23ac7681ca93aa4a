import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes a tree: keys are relative paths (a trailing '/' makes a directory), values file contents. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    if (rel.endsWith('/')) {
      mkdirSync(full, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

import { spawnSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A tree for duplicate detection, shaped like the reference tree (../shared/tools/gen-tree.mjs: mostly small files,
 * some medium, a few over 100 KiB, ~15% copies of earlier files) plus the hostile cases: odd names (spaces, emoji,
 * quotes, a leading dash, invalid UTF-8 in a file and a folder name, a newline), hidden folders, empty files, hard
 * links, symlinks to files and folders, a fifo. Deterministic.
 */
export function writeDupesTree(root: string, files = 400): { sampledTwins: [string, string] } {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const dirs = ['', 'a', 'a/b', 'a/b/c', 'd e', 'émoji 📁', '.hidden', '-dash', "q'uote\"s"];
  const badDir = Buffer.concat([Buffer.from(`${root}/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('-dir')]);
  mkdirSync(root, { recursive: true });
  for (const d of dirs) mkdirSync(path.join(root, d), { recursive: true });
  mkdirSync(badDir);
  const written: (string | Buffer)[] = [];
  const place = (i: number): string | Buffer => {
    const slot = Math.floor(rnd() * (dirs.length + 1));
    const name = [`file_${i}.txt`, `f ${i} 🎞.jpg`, `-${i}.md`, `x'${i}".bin`][i % 4];
    if (slot === dirs.length) return Buffer.concat([badDir, Buffer.from(`/${name}`)]);
    return path.join(root, dirs[slot], name);
  };
  for (let i = 0; i < files; i++) {
    const target = place(i);
    if (written.length && rnd() < 0.15) {
      const from = written[Math.floor(rnd() * written.length)];
      copyFileSync(from, target);
      continue;
    }
    const r = rnd();
    const size = r < 0.8 ? 512 + Math.floor(rnd() * 7.5 * 1024) : r < 0.97 ? 8192 + Math.floor(rnd() * 56 * 1024) : 110_000 + Math.floor(rnd() * 100_000);
    const b = Buffer.alloc(size);
    b.writeUInt32LE(i, 0);
    b.writeUInt32LE(size, size - 4);
    for (let k = 8; k < size - 8; k += 4096) b[k] = (i * 31 + k) & 255;
    writeFileSync(target, b);
    written.push(target);
  }
  // same size, both small: differ only in their last byte (a prefix check alone would group them)
  const tail = Buffer.alloc(6000, 1);
  writeFileSync(path.join(root, 'a', 'tail-1.dat'), tail);
  writeFileSync(path.join(root, 'a/b', 'tail-2.dat'), Buffer.concat([tail.subarray(0, 5999), Buffer.from([2])]));
  // and a copy of the second: whichever of the three a full hash reads first, only the two copies are alike
  writeFileSync(path.join(root, 'd e', 'tail-3.dat'), Buffer.concat([tail.subarray(0, 5999), Buffer.from([2])]));
  // large files equal in every byte a sampled casId reads, different in one byte it skips: content groups them,
  // deep (and fdupes) do not
  const big = Buffer.alloc(300_000, 9);
  const twinA = path.join(root, 'twin-a.bin');
  const twinB = path.join(root, 'a', 'twin-b.bin');
  writeFileSync(twinA, big);
  big[120_000] = 10; // the samples start at 8192 + k·70_904 (10 KiB each): 120_000 lies between the second and the third
  writeFileSync(twinB, big);
  // one name and size in three folders, two of them copies: name-size groups three, content two
  writeFileSync(path.join(root, 'a', 'report.txt'), 'quarterly report, final\n'.repeat(40));
  writeFileSync(path.join(root, 'd e', 'report.txt'), 'quarterly report, final\n'.repeat(40));
  writeFileSync(path.join(root, 'a/b/c', 'report.txt'), 'quarterly report, draft\n'.repeat(40));
  // empty files are duplicates of each other (fdupes without -n)
  for (const p of ['empty-1', 'a/empty-2', '.hidden/empty 3']) writeFileSync(path.join(root, p), '');
  // hard links: one file with two names is not a duplicate of itself; with a real copy, one name stands for it
  writeFileSync(path.join(root, 'linked.txt'), 'linked content\n'.repeat(100));
  linkSync(path.join(root, 'linked.txt'), path.join(root, 'a', 'linked-again.txt'));
  writeFileSync(path.join(root, 'alone.txt'), 'only linked, never copied\n'.repeat(50));
  linkSync(path.join(root, 'alone.txt'), path.join(root, 'd e', 'alone-link.txt'));
  writeFileSync(path.join(root, 'd e', 'linked copy.txt'), 'linked content\n'.repeat(100));
  // symlinks are not followed: not to a file, not to a folder of duplicates
  symlinkSync(path.join(root, 'linked.txt'), path.join(root, 'link-to-file'));
  symlinkSync(path.join(root, 'a'), path.join(root, 'link-to-dir'));
  // a newline in a name: unique content, since fdupes' output cannot show such a name unambiguously
  writeFileSync(path.join(root, 'new\nline.txt'), 'a name with a newline, and content of its own');
  spawnSync('mkfifo', [path.join(root, 'a-fifo')]);
  return { sampledTwins: [twinA, twinB] };
}

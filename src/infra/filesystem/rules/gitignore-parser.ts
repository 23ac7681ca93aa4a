import { GitignoreRun, NameMatcher, type AnchoredPattern } from './gitignore-run.js';
import { escapeRegex, wildmatchToRegexSource } from './wildmatch-regex.js';

/**
 * Compiles one .gitignore (or .git/info/exclude) found in `dir`, the directory's path relative to the location root
 * ('' for the root), into runs in file order. Anchored lines get `dir` baked into their regex, so every pattern in
 * scope tests the same root-relative path.
 */
export function parseGitignore(text: string, dir: string): GitignoreRun[] {
  const prefix = dir === '' ? '' : `${dir}/`;
  const runs: GitignoreRun[] = [];
  let current: RunLines | null = null;
  for (const rawLine of text.replace(/^\uFEFF/, '').split('\n')) {
    let line = trimTrailingSpaces(rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine);
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const directoryOnly = line.endsWith('/');
    if (directoryOnly) line = line.slice(0, -1);
    if (line === '') continue;
    let matchesName = !line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    // `**/name` is a name line in disguise; as one it skips the per-directory path tests.
    if (line.startsWith('**/') && !line.includes('/', 3)) {
      line = line.slice(3);
      matchesName = true;
    }
    const source = wildmatchToRegexSource(line);
    if (source === null) continue;
    if (current === null || current.negated !== negated) {
      if (current !== null) runs.push(toRun(current));
      current = { negated, name: [], directoryName: [], anchored: [] };
    }
    if (matchesName) {
      (directoryOnly ? current.directoryName : current.name).push({ pattern: line, source });
    } else {
      current.anchored.push({
        base: prefix + literalLeadingSegments(line),
        regex: new RegExp(`^${escapeRegex(prefix)}${source}$`),
        directoryOnly,
      });
    }
  }
  if (current !== null) runs.push(toRun(current));
  return runs;
}

interface RunLines {
  negated: boolean;
  name: NameLine[];
  directoryName: NameLine[];
  anchored: AnchoredPattern[];
}

/** A name line's glob (for the plain-name and suffix shortcuts) and its regex source. */
interface NameLine {
  pattern: string;
  source: string;
}

function toRun(lines: RunLines): GitignoreRun {
  return new GitignoreRun(lines.negated, nameMatcher(lines.name), nameMatcher(lines.directoryName), lines.anchored);
}

const WILDCARD = /[*?[\\]/;

function nameMatcher(lines: readonly NameLine[]): NameMatcher | null {
  if (lines.length === 0) return null;
  const exact = new Set<string>();
  const suffixes: string[] = [];
  const rest: string[] = [];
  for (const { pattern, source } of lines) {
    if (!WILDCARD.test(pattern)) exact.add(pattern);
    else if (pattern.startsWith('*') && !WILDCARD.test(pattern.slice(1))) suffixes.push(pattern.slice(1));
    else rest.push(source);
  }
  return new NameMatcher(exact, suffixes, rest.length === 0 ? null : new RegExp(`^(?:${rest.join('|')})$`));
}

/** `docs/2024/*.pdf` → `docs/2024`: the directory every match of an anchored line lies in or below. */
function literalLeadingSegments(pattern: string): string {
  const segments = pattern.split('/');
  const firstWild = segments.findIndex((segment) => WILDCARD.test(segment));
  return (firstWild === -1 ? segments : segments.slice(0, firstWild)).join('/');
}

/** Git drops trailing spaces unless a backslash escapes them. */
function trimTrailingSpaces(line: string): string {
  let end = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') {
      i++;
      end = Math.min(i + 1, line.length);
    } else if (line[i] !== ' ') {
      end = i + 1;
    }
  }
  return line.slice(0, end);
}

import type { GitignoreRun } from './gitignore-run.js';
import type { PathGlob } from './path-globs.js';
import type { SkippedNames } from './skipped-names.js';

/** What a location's rules compile to once; every directory of the walk shares it. */
export interface CompiledRules {
  readonly files: SkippedNames;
  readonly directories: SkippedNames;
  readonly includeHidden: boolean;
  readonly reject: readonly PathGlob[];
  readonly accept: readonly PathGlob[];
}

/** The rules for one directory's children: the shared compiled rules plus the .gitignore patterns in scope here. */
export class DirectoryScope {
  /** `gitignore` cut down to the lines that can match a child of this directory. */
  private readonly reachableGitignore: readonly GitignoreRun[];

  constructor(
    readonly rules: CompiledRules,
    /** This directory's path relative to the location root with a trailing slash; '' for the root. */
    readonly prefix: string,
    /** Every run in scope, outermost first (git's precedence puts later lines and deeper files above earlier ones). */
    readonly gitignore: readonly GitignoreRun[],
  ) {
    this.reachableGitignore = gitignore.length === 0 ? gitignore : reachable(gitignore, prefix);
  }

  // Hot path (every entry of the walk): cheapest checks first, and the child's relative path is built only when
  // a pattern in scope needs it.
  skipReason(name: string, isDirectory: boolean): string | null {
    const rules = this.rules;
    const names = isDirectory ? rules.directories : rules.files;
    const listed = names.exact.get(name);
    if (listed !== undefined) return listed;
    for (const [prefix, reason] of names.prefixes) {
      if (name.startsWith(prefix)) return reason;
    }
    if (!rules.includeHidden && name.charCodeAt(0) === 0x2e /* . */) return 'hidden';

    let relPath: string | undefined;
    for (const glob of rules.reject) {
      if (glob.directoryOnly && !isDirectory) continue;
      if (glob.regex.test(glob.matchesName ? name : (relPath ??= this.prefix + name))) return `rejected by glob ${glob.glob}`;
    }
    const gitignore = this.reachableGitignore;
    for (let i = gitignore.length - 1; i >= 0; i--) {
      const run = gitignore[i]!;
      if (run.matches(name, this.prefix, isDirectory)) {
        if (run.negated) break;
        return 'gitignore';
      }
    }
    // Directories are always descended so that accepted files deep inside are found.
    if (rules.accept.length === 0 || isDirectory) return null;
    for (const glob of rules.accept) {
      if (glob.directoryOnly) continue;
      if (glob.regex.test(glob.matchesName ? name : (relPath ??= this.prefix + name))) return null;
    }
    return 'not accepted';
  }
}

function reachable(runs: readonly GitignoreRun[], prefix: string): GitignoreRun[] {
  const out: GitignoreRun[] = [];
  for (const run of runs) {
    const here = run.inDirectory(prefix);
    if (here !== null) out.push(here);
  }
  return out;
}

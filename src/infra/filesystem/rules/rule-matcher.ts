import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IndexerRules } from '../../../domain/location/indexer-rules.js';
import { DirectoryScope, type CompiledRules } from './directory-scope.js';
import { parseGitignore } from './gitignore-parser.js';
import type { GitignoreRun } from './gitignore-run.js';
import { compilePathGlobs } from './path-globs.js';
import { skippedNames } from './skipped-names.js';

export interface DirectoryRules {
  /** Why `name` (a direct child of this directory) is skipped, or null if it is indexed. */
  skipReason(name: string, isDirectory: boolean): string | null;
}

/**
 * Decides, while the walker walks, which entries of a location are indexed. The rules are compiled once here; each
 * directory adds only the patterns of its own .gitignore, so no parent's file is read or compiled twice. Ignore
 * files outside the location, and the user's global excludes file, are never read: a location indexes the same
 * wherever it is mounted and whoever runs the daemon.
 */
export class RuleMatcher {
  private readonly compiled: CompiledRules;
  private readonly respectGitignore: boolean;

  constructor(
    rules: IndexerRules,
    private readonly rootPath: string /* absolute location path */,
  ) {
    const { files, directories } = skippedNames(rules);
    this.compiled = {
      files,
      directories,
      includeHidden: rules.includeHidden,
      reject: compilePathGlobs(rules.reject),
      accept: compilePathGlobs(rules.accept),
    };
    this.respectGitignore = rules.respectGitignore;
  }

  /** Rules for the location root directory. `names` are the root's child names (from readdir) so the matcher knows whether a .gitignore exists without an extra syscall. */
  root(names: readonly string[]): DirectoryRules {
    return new DirectoryScope(this.compiled, '', this.gitignoreIn('', names, []));
  }

  /** Rules for a subdirectory `relPath` (POSIX-style, relative to root, e.g. "a/b"), given its parent's rules and its child names. Reads `<dir>/.gitignore` only when names include it. */
  child(parent: DirectoryRules, relPath: string, names: readonly string[]): DirectoryRules {
    if (!(parent instanceof DirectoryScope) || parent.rules !== this.compiled) {
      throw new TypeError('RuleMatcher.child: parent must come from root() or child() of this matcher');
    }
    return new DirectoryScope(this.compiled, `${relPath}/`, this.gitignoreIn(relPath, names, parent.gitignore));
  }

  /** The ignore rules in scope in `relPath`: the inherited ones, then the directory's own, which take precedence. */
  private gitignoreIn(relPath: string, names: readonly string[], inherited: readonly GitignoreRun[]): readonly GitignoreRun[] {
    if (!this.respectGitignore) return inherited;
    const isRepository = names.includes('.git');
    const hasGitignore = names.includes('.gitignore');
    if (!isRepository && !hasGitignore) return inherited;
    const dir = path.join(this.rootPath, relPath);
    // A repository's own exclude file ranks below its .gitignore files, as in git.
    const own = [
      ...(isRepository ? parseGitignore(readOptional(path.join(dir, '.git', 'info', 'exclude')), relPath) : []),
      ...(hasGitignore ? parseGitignore(readOptional(path.join(dir, '.gitignore')), relPath) : []),
    ];
    return own.length === 0 ? inherited : [...inherited, ...own];
  }
}

/** An unreadable ignore file (a directory, no permission, a worktree's `.git` file) ignores nothing, as in git. */
function readOptional(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

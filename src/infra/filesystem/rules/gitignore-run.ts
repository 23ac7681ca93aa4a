/** An anchored line: its regex tests the path relative to the location root, and every match is `base` or below it. */
export interface AnchoredPattern {
  readonly base: string;
  readonly regex: RegExp;
  readonly directoryOnly: boolean;
}

/**
 * Most name lines are plain names (`logs`) or `*` and a plain suffix (`*.log`): a Set lookup and `endsWith` spare
 * them the regex, where every alternative starting with `*` would scan the name again.
 */
export class NameMatcher {
  constructor(
    private readonly exact: ReadonlySet<string>,
    private readonly suffixes: readonly string[],
    private readonly regex: RegExp | null,
  ) {}

  matches(name: string): boolean {
    if (this.exact.has(name)) return true;
    for (const suffix of this.suffixes) {
      if (name.endsWith(suffix)) return true;
    }
    return this.regex !== null && this.regex.test(name);
  }
}

/**
 * Consecutive lines of one ignore file that share a polarity (all ignoring, or all `!` re-including). Git lets the
 * last matching line decide; inside a run every line decides the same way, so a run answers as a whole.
 */
export class GitignoreRun {
  constructor(
    readonly negated: boolean,
    /** Lines without a slash (a trailing one aside) match a name at any depth below their ignore file. */
    private readonly name: NameMatcher | null,
    private readonly directoryName: NameMatcher | null,
    private readonly anchored: readonly AnchoredPattern[],
  ) {}

  /**
   * This run as seen by the children of `prefix` (a directory relative to the location root with a trailing slash,
   * '' for the root): anchored lines that cannot reach them are dropped, so most directories test none. Null when
   * nothing is left.
   */
  inDirectory(prefix: string): GitignoreRun | null {
    if (this.anchored.length === 0) return this;
    const reachable = this.anchored.filter((pattern) => reachesChildrenOf(pattern.base, prefix));
    if (reachable.length === this.anchored.length) return this;
    if (reachable.length === 0 && this.name === null && this.directoryName === null) return null;
    return new GitignoreRun(this.negated, this.name, this.directoryName, reachable);
  }

  /** Whether a line of this run matches `name`, a child of the directory `prefix`. */
  matches(name: string, prefix: string, isDirectory: boolean): boolean {
    if (this.name !== null && this.name.matches(name)) return true;
    if (isDirectory && this.directoryName !== null && this.directoryName.matches(name)) return true;
    if (this.anchored.length === 0) return false;
    const relPath = prefix + name;
    for (const pattern of this.anchored) {
      if ((isDirectory || !pattern.directoryOnly) && pattern.regex.test(relPath)) return true;
    }
    return false;
  }
}

/** Whether some child of `prefix` is `base` or lies below it. */
function reachesChildrenOf(base: string, prefix: string): boolean {
  if (prefix.startsWith(base) && (base === '' || prefix[base.length] === '/')) return true;
  return base.startsWith(prefix) && !base.includes('/', prefix.length);
}

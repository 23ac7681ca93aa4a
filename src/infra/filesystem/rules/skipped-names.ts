import {
  DEV_DIRECTORY_NAMES,
  SYSTEM_DIRECTORY_NAMES,
  SYSTEM_FILE_NAMES,
  VCS_DIRECTORY_NAMES,
  type IndexerRules,
} from '../../../domain/location/indexer-rules.js';

/** The enabled default name lists, split into exact names (one Map lookup per entry) and the few `prefix*` entries. */
export interface SkippedNames {
  readonly exact: ReadonlyMap<string, string>;
  readonly prefixes: ReadonlyArray<readonly [prefix: string, reason: string]>;
}

export function skippedNames(rules: IndexerRules): { files: SkippedNames; directories: SkippedNames } {
  const files = new SkippedNamesBuilder();
  const directories = new SkippedNamesBuilder();
  if (rules.skipSystemFiles) {
    files.add(SYSTEM_FILE_NAMES, 'system file');
    directories.add(SYSTEM_DIRECTORY_NAMES, 'system directory');
  }
  if (rules.skipVcsDirs) directories.add(VCS_DIRECTORY_NAMES, 'vcs directory');
  if (rules.skipDevDirs) directories.add(DEV_DIRECTORY_NAMES, 'dev directory');
  return { files, directories };
}

class SkippedNamesBuilder implements SkippedNames {
  readonly exact = new Map<string, string>();
  readonly prefixes: Array<readonly [string, string]> = [];

  add(names: readonly string[], reason: string): void {
    for (const name of names) {
      if (name.endsWith('*')) this.prefixes.push([name.slice(0, -1), reason]);
      else this.exact.set(name, reason);
    }
  }
}

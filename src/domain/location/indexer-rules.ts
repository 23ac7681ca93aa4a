import { z } from 'zod';

const PathGlob = z.string().regex(/[^/]/, 'a glob must name more than slashes');

/**
 * What a location's indexer skips. Every toggle is explicit (no defaults in the schema) so a location's recorded
 * rules mean the same thing after the defaults below change.
 */
export const IndexerRulesSchema = z.object({
  skipSystemFiles: z.boolean(),
  skipVcsDirs: z.boolean(),
  skipDevDirs: z.boolean(),
  respectGitignore: z.boolean(),
  includeHidden: z.boolean(),
  /**
   * Globs, case-insensitive: one without a slash matches names at any depth, one with a slash the path relative to
   * the location root, one ending in a slash only directories. When any is given, only matching files are indexed;
   * directories are still descended.
   */
  accept: z.array(PathGlob),
  /** Same glob syntax as `accept`; a match (file or directory) is skipped, and wins over `accept`. */
  reject: z.array(PathGlob),
});
export type IndexerRules = z.output<typeof IndexerRulesSchema>;

export const DEFAULT_INDEXER_RULES: Readonly<IndexerRules> = Object.freeze({
  skipSystemFiles: true,
  skipVcsDirs: true,
  skipDevDirs: true,
  respectGitignore: true,
  includeHidden: true,
  accept: [],
  reject: [],
});

// In the name lists below an entry ending in `*` is a name prefix (`.Trash-*` covers `.Trash-1000`); every other
// entry is an exact, case-sensitive name. The lists hold only clutter the OS, a VCS or a toolchain writes for
// itself: user data such as logs, lock files, backups or shared libraries stays indexed.

/** Files an operating system leaves beside the user's own (Finder, Explorer, Spotlight, KDE, AppleDouble). */
export const SYSTEM_FILE_NAMES: readonly string[] = Object.freeze([
  '.DS_Store',
  '._*',
  '.localized',
  '.apdisk',
  '.VolumeIcon.icns',
  '.com.apple.timemachine.donotpresent',
  'Icon\r',
  'Thumbs.db',
  'ehthumbs.db',
  'ehthumbs_vista.db',
  'desktop.ini',
  'Desktop.ini',
  '.directory',
  '.fuse_hidden*',
]);

/** Directories an operating system keeps for itself: trash cans, search indexes, fsck's lost+found. */
export const SYSTEM_DIRECTORY_NAMES: readonly string[] = Object.freeze([
  'lost+found',
  '.Trash',
  '.Trash-*',
  '.Trashes',
  '$RECYCLE.BIN',
  'System Volume Information',
  '.Spotlight-V100',
  '.fseventsd',
  '.TemporaryItems',
  '.DocumentRevisions-V100',
  '.AppleDouble',
  '.AppleDB',
  '.AppleDesktop',
  'Network Trash Folder',
  'Temporary Items',
]);

/** Version-control metadata directories. */
export const VCS_DIRECTORY_NAMES: readonly string[] = Object.freeze([
  '.git',
  '.hg',
  '.svn',
  '.bzr',
  '.jj',
  '.pijul',
  '.sl',
  '_darcs',
  'CVS',
]);

/** Directories that build tools and package managers regenerate: dependencies, build output, caches. */
export const DEV_DIRECTORY_NAMES: readonly string[] = Object.freeze([
  'node_modules',
  'bower_components',
  '.pnpm-store',
  '.npm',
  'target',
  'dist',
  'build',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
  '.tox',
  '.nox',
  '.venv',
  '.cache',
  '.parcel-cache',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.gradle',
  '.dart_tool',
  '.terraform',
  '.stack-work',
  '.zig-cache',
]);

import { joinPath } from '../../domain/location/entry-path.js';
import type { ContentFacts, EntryFacts } from '../../domain/location/events.js';
import { DEFAULT_INDEXER_RULES, type IndexerRules } from '../../domain/location/indexer-rules.js';
import type { IndexerFileSystem, WalkError } from './ports.js';

export interface BrowsedEntry extends Omit<EntryFacts, 'content' | 'rawName'> {
  /** Relative to the browsed folder, POSIX. */
  relativePath: string;
  content: ContentFacts | null;
}

export interface BrowseOptions {
  recursive: boolean;
  /** Identify files (casId, kind, MIME) as the content indexing mode would. */
  content: boolean;
  rules?: Partial<IndexerRules>;
}

/**
 * Lists any folder the way the indexer sees it — same rules, same facts — without a location and without writing
 * anything: an ephemeral, in-memory index of one walk, streamed a directory at a time.
 */
export async function* browse(
  fs: IndexerFileSystem,
  folder: string,
  options: BrowseOptions,
  onError: (error: WalkError) => void = () => undefined,
): AsyncGenerator<BrowsedEntry[]> {
  const root = fs.inspectRoot(folder);
  const rules = { ...DEFAULT_INDEXER_RULES, ...options.rules };
  for (const listing of fs.walk(root, { rules, maxDepth: options.recursive ? undefined : 0 })) {
    listing.entryErrors.forEach(onError);
    if (listing.error) {
      onError(listing.error);
      continue;
    }
    const files = options.content ? listing.entries.filter((e) => e.kind === 'file' && e.size > 0) : [];
    const identified = new Map<string, ContentFacts>();
    if (files.length) {
      const results = await fs.identifyMany(files.map((f) => ({ diskPath: f.diskPath, name: f.name, expected: { size: f.size, modifiedAt: f.modifiedAt } })), false);
      files.forEach((f, i) => {
        const r = results[i];
        if ('error' in r) onError({ path: joinPath(listing.relPath, f.name), code: r.error.code, message: r.error.message });
        else if (r.content) identified.set(f.name, r.content);
      });
    }
    yield listing.entries.map((e) => ({
      name: e.name,
      relativePath: joinPath(listing.relPath, e.name),
      kind: e.kind,
      size: e.size,
      inode: e.inode,
      modifiedAt: e.modifiedAt,
      hidden: e.hidden,
      content: identified.get(e.name) ?? null,
    }));
  }
}

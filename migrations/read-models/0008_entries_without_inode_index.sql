-- Entries are no longer indexed by inode. Only the indexer's move detection looks entries up by inode, and only on a
-- rescan that meets a name the index lacks; it then reads the location's inodes once into memory. Keeping the index
-- cost every indexed entry a random B-tree insert (inodes follow no order a walk produces): about a sixth of the
-- indexer's main-thread time per file.
DROP INDEX IF EXISTS entries_by_inode;

-- The search index keeps the facts the sort orders need, and names in a form that answers 1-2 character queries.
-- It is deferred (0004): it is emptied here and caught up in full by the next search.
DELETE FROM search_pending;
DELETE FROM search_dirs;
UPDATE search_state SET intact_to = 0;
DROP TABLE entry_names;
DROP TABLE search_names;

-- `extension` answers --ext without the entry row; `size` (files only: a directory's size is its aggregate, which
-- every change below it moves) and `modified_at` give the sort orders an index to walk, so a sort over a common
-- word reads the first page in order rather than sorting every match.
CREATE TABLE search_names (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  cas_id       TEXT,
  extension    TEXT,
  size         INTEGER, -- NULL for directories
  modified_at  INTEGER NOT NULL
);
-- The name index covers --ext and --modified-*: the relevance tiers of names read it alone.
CREATE INDEX search_names_by_name ON search_names (name COLLATE NOCASE, extension, modified_at);
CREATE INDEX search_names_by_cas ON search_names (cas_id) WHERE cas_id IS NOT NULL;
CREATE INDEX search_names_by_size ON search_names (size) WHERE size IS NOT NULL;
CREATE INDEX search_names_by_modified ON search_names (modified_at);

-- The indexes of search_names a bulk catch-up dropped, to be created again when it ends (also after a crash).
CREATE TABLE search_deferred_indexes (
  name  TEXT PRIMARY KEY,
  sql   TEXT NOT NULL
) WITHOUT ROWID;

-- Names are indexed with two U+0001 after them, so every 1-2 character substring of a name starts one of its
-- trigrams ("zq" in "…zq" is in "zq\1"): the trigrams a short query could be part of are a range of the terms
-- (search_terms), and their rows the candidates of the query. A query holding U+0001 never uses the index.
CREATE VIRTUAL TABLE entry_names USING fts5 (name, content = '', contentless_delete = 1, tokenize = 'trigram');
CREATE VIRTUAL TABLE search_terms USING fts5vocab (entry_names, 'row');

-- Size and modification time are indexed too now: their changes put the entry in search_pending.
DROP TRIGGER search_track_update;
CREATE TRIGGER search_track_update AFTER UPDATE OF parent, name, cas_id, size, modified_at ON entries
  WHEN (old.parent IS NOT new.parent OR old.name IS NOT new.name OR old.cas_id IS NOT new.cas_id
      OR old.size IS NOT new.size OR old.modified_at IS NOT new.modified_at)
    AND old.id <= (SELECT intact_to FROM search_state) BEGIN
  INSERT OR IGNORE INTO search_pending (id) VALUES (old.id);
END;

-- The index events of a location that name a directory (events are batched per directory; a move names the
-- directories it leaves and enters), by stream version: `meta show` reads these events, not the whole stream.
-- One row per event and directory, never per entry.
CREATE TABLE index_history (
  location_id  TEXT NOT NULL,
  parent       TEXT NOT NULL,
  version      INTEGER NOT NULL,
  PRIMARY KEY (location_id, parent, version)
) WITHOUT ROWID;

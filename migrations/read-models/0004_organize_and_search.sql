-- Tags, notes, favourites and hidden flags are shared data (DESIGN §3): any device may write them, so the rows are
-- order-insensitive folds. Every field is a last-writer-wins register kept with its stamp `<hlc> <device>` (a total
-- order: one device never issues an HLC twice); applications are an add-set keyed by event, removals the set of
-- applications each TagRemoved saw. Targets name entries by what is stable across devices: the location id and the
-- path inside it, or the casId for every copy of a content.

-- A tag is live while its last TagCreated is newer than its last TagDeleted.
CREATE TABLE tags (
  id             TEXT PRIMARY KEY,
  name           TEXT,
  name_stamp     TEXT,
  color          TEXT,
  color_stamp    TEXT,
  icon           TEXT,
  icon_stamp     TEXT,
  parent_id      TEXT,
  parent_stamp   TEXT,
  created_stamp  TEXT,
  deleted_stamp  TEXT
) WITHOUT ROWID;
CREATE INDEX tags_by_parent ON tags (parent_id);

-- `target` is the key ('entry:<locationId>:<path>' or 'content:<casId>'); the other columns let SQL join entries.
CREATE TABLE tag_applications (
  event_id     TEXT NOT NULL,
  target       TEXT NOT NULL,
  tag_id       TEXT NOT NULL,
  stamp        TEXT NOT NULL,
  location_id  TEXT,
  parent       TEXT,
  name         TEXT,
  cas_id       TEXT,
  PRIMARY KEY (event_id, target)
) WITHOUT ROWID;
-- Covers what a search by tag reads, so finding a tag's entries touches no table row.
CREATE INDEX tag_applications_by_tag ON tag_applications (tag_id, location_id, parent, name, cas_id, stamp);
CREATE INDEX tag_applications_by_target ON tag_applications (target);

CREATE TABLE tag_removals (
  application_event_id  TEXT NOT NULL,
  target                TEXT NOT NULL,
  removal_event_id      TEXT NOT NULL,
  PRIMARY KEY (application_event_id, target, removal_event_id)
) WITHOUT ROWID;

-- Notes, favourite and hidden flags of an entry (target 'entry:<locationId>:<path>').
CREATE TABLE user_metadata (
  target          TEXT PRIMARY KEY,
  location_id     TEXT NOT NULL,
  parent          TEXT NOT NULL,
  name            TEXT NOT NULL,
  note            TEXT,
  note_stamp      TEXT,
  favorite        INTEGER NOT NULL DEFAULT 0,
  favorite_stamp  TEXT,
  hidden          INTEGER NOT NULL DEFAULT 0,
  hidden_stamp    TEXT
) WITHOUT ROWID;
CREATE INDEX user_metadata_favorites ON user_metadata (location_id) WHERE favorite = 1;
CREATE INDEX user_metadata_hidden ON user_metadata (location_id) WHERE hidden = 1;

-- Search. A deferred index over `entries`, caught up before it is read (src/projections/search/search-index.ts):
-- keeping it inside the indexer's writes (trigram names, a name-order index and a casId index on `entries`,
-- directory paths) halved indexing throughput. Changes are tracked by the cheapest means that stays exact:
--   * entries added since the last catch-up need no tracking: their ids are above `intact_to` (a new entry takes
--     the highest id + 1, so a new id at or below `intact_to` exists only after deleting the rows above it, and
--     that delete lowers `intact_to`);
--   * deleted, renamed, moved or re-identified entries at or below `intact_to` put their id in `search_pending`.
-- Indexing a new location thus pays nothing; rescans pay one small insert per changed entry.
CREATE TABLE search_state (
  one        INTEGER PRIMARY KEY CHECK (one = 1),
  intact_to  INTEGER NOT NULL -- the index is exact for the ids up to this one, but for those in search_pending
);
INSERT INTO search_state (one, intact_to) VALUES (1, 0);
CREATE TABLE search_pending (id INTEGER PRIMARY KEY);
CREATE TRIGGER search_track_delete AFTER DELETE ON entries WHEN old.id <= (SELECT intact_to FROM search_state) BEGIN
  INSERT OR IGNORE INTO search_pending (id) VALUES (old.id);
  UPDATE search_state SET intact_to = min(intact_to, coalesce((SELECT max(id) FROM entries), 0));
END;
CREATE TRIGGER search_track_update AFTER UPDATE OF parent, name, cas_id ON entries
  WHEN (old.parent IS NOT new.parent OR old.name IS NOT new.name OR old.cas_id IS NOT new.cas_id)
    AND old.id <= (SELECT intact_to FROM search_state) BEGIN
  INSERT OR IGNORE INTO search_pending (id) VALUES (old.id);
END;

-- The indexed names (id = entries.id): exact names and name prefixes in name order (the first tiers of relevance
-- without ranking every match), and every copy of a content (tags applied with --content).
CREATE TABLE search_names (
  id      INTEGER PRIMARY KEY,
  name    TEXT NOT NULL,
  cas_id  TEXT
);
CREATE INDEX search_names_by_name ON search_names (name COLLATE NOCASE);
CREATE INDEX search_names_by_cas ON search_names (cas_id) WHERE cas_id IS NOT NULL;

-- Names in an FTS5 trigram index (substring queries of 3+ characters). Contentless: rowid = entries.id.
CREATE VIRTUAL TABLE entry_names USING fts5 (name, content = '', contentless_delete = 1, tokenize = 'trigram');

-- Full relative paths of directories, for queries with a '/' (they match paths, not names). A few per cent of the
-- entries: a scan of this table is cheap.
CREATE TABLE search_dirs (
  id        INTEGER PRIMARY KEY, -- entries.id of the directory
  location  INTEGER NOT NULL,
  path      TEXT NOT NULL
);

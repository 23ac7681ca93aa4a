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

-- Search. Entry names in an FTS5 trigram index (substring queries of 3+ characters), kept by triggers so that
-- whatever writes `entries` keeps it current. Contentless: the names live in `entries`; rowid = entries.id.
CREATE VIRTUAL TABLE entry_names USING fts5 (name, content = '', contentless_delete = 1, tokenize = 'trigram');
CREATE TRIGGER entry_names_insert AFTER INSERT ON entries BEGIN
  INSERT INTO entry_names (rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER entry_names_delete AFTER DELETE ON entries BEGIN
  DELETE FROM entry_names WHERE rowid = old.id;
END;
CREATE TRIGGER entry_names_rename AFTER UPDATE OF name ON entries WHEN old.name IS NOT new.name BEGIN
  DELETE FROM entry_names WHERE rowid = old.id;
  INSERT INTO entry_names (rowid, name) VALUES (new.id, new.name);
END;

-- Exact names and name prefixes, in name order: the first tiers of relevance without ranking every match.
CREATE INDEX entries_by_name ON entries (name COLLATE NOCASE);

-- Full relative paths of directories, for queries with a '/' (they match paths, not names). A few per cent of the
-- entries: a scan of this table is cheap.
CREATE TABLE search_dirs (
  id        INTEGER PRIMARY KEY, -- entries.id of the directory
  location  INTEGER NOT NULL,
  path      TEXT NOT NULL
);
CREATE TRIGGER search_dirs_insert AFTER INSERT ON entries WHEN new.kind = 'directory' BEGIN
  INSERT INTO search_dirs (id, location, path)
    VALUES (new.id, new.location, CASE WHEN new.parent = '' THEN new.name ELSE new.parent || '/' || new.name END);
END;
CREATE TRIGGER search_dirs_delete AFTER DELETE ON entries WHEN old.kind = 'directory' BEGIN
  DELETE FROM search_dirs WHERE id = old.id;
END;
CREATE TRIGGER search_dirs_move AFTER UPDATE OF parent, name ON entries WHEN new.kind = 'directory' BEGIN
  UPDATE search_dirs SET path = CASE WHEN new.parent = '' THEN new.name ELSE new.parent || '/' || new.name END
    WHERE id = new.id;
END;

-- Every copy of a content: tags applied with --content, --duplicates, `meta show`.
CREATE INDEX entries_by_cas ON entries (cas_id) WHERE cas_id IS NOT NULL;

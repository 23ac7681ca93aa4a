-- Locations of this library: folded from `location-<id>` streams. `key` is a local ordinal that keeps the entries
-- table narrow (it is assigned in log order, so a rebuild assigns the same keys).
CREATE TABLE locations (
  key            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  path           TEXT NOT NULL,
  mode           TEXT NOT NULL,
  rules          TEXT NOT NULL, -- JSON IndexerRules
  device_id      TEXT NOT NULL,
  added_at       TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  scans          INTEGER NOT NULL DEFAULT 0,
  last_scan      TEXT,          -- JSON of the last LocationScanned
  files          INTEGER NOT NULL DEFAULT 0,
  directories    INTEGER NOT NULL DEFAULT 0,
  bytes          INTEGER NOT NULL DEFAULT 0
);

-- Every indexed file, directory and symlink. Directories carry aggregates derived from their subtree.
CREATE TABLE entries (
  id              INTEGER PRIMARY KEY,
  location        INTEGER NOT NULL,
  parent          TEXT NOT NULL,   -- relative to the location root, '' for the root's children
  name            TEXT NOT NULL,
  raw_name        BLOB,            -- the name's bytes when they are not valid UTF-8
  extension       TEXT,
  kind            TEXT NOT NULL,   -- file | directory | symlink
  size            INTEGER NOT NULL,
  inode           INTEGER NOT NULL,
  modified_at     INTEGER NOT NULL, -- ms since the epoch
  hidden          INTEGER NOT NULL,
  cas_id          TEXT,
  child_count     INTEGER,
  aggregate_size  INTEGER,
  file_count      INTEGER
);
CREATE UNIQUE INDEX entries_by_path ON entries (location, parent, name);
CREATE INDEX entries_by_inode ON entries (location, inode);
-- The files the content phase still has to identify; files identified while discovered never enter it.
CREATE INDEX entries_unidentified ON entries (location, id) WHERE cas_id IS NULL AND kind = 'file' AND size > 0;

-- One row per distinct content (casId) referenced by at least one entry. Its content UUID is a pure function of
-- the casId (UUIDv5), computed when read rather than hashed for every file while indexing.
CREATE TABLE content_identities (
  cas_id        TEXT PRIMARY KEY,
  kind          TEXT NOT NULL,
  mime          TEXT,
  size          INTEGER NOT NULL,
  entries       INTEGER NOT NULL,
  width         INTEGER,
  height        INTEGER,
  media_format  TEXT
) WITHOUT ROWID; -- one B-tree keyed by casId: each new content is one random insert, not two

-- Jobs: folded from `job-<id>` streams.
CREATE TABLE jobs (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  status        TEXT NOT NULL,
  input         TEXT NOT NULL,  -- JSON
  location_id   TEXT,
  progress      TEXT,           -- JSON JobProgress
  error_count   INTEGER NOT NULL DEFAULT 0,
  failure       TEXT,           -- JSON {code, message} when failed
  output        TEXT,           -- JSON when completed
  queued_at     TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  finished_at   TEXT
);
CREATE INDEX jobs_by_status ON jobs (status);

CREATE TABLE job_errors (
  job_id   TEXT NOT NULL,
  seq      INTEGER NOT NULL,
  path     TEXT NOT NULL,
  code     TEXT NOT NULL,
  message  TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)
);

-- The append-only event log of one library (DESIGN §2).
-- Only event_id is indexed per event. An append writes a contiguous run of positions for one stream and one
-- (device, epoch) chain, so streams and chains are located through one segment row per run instead of an index
-- entry per event: appends stay fast while stream reads and sync suffix reads remain range scans.
CREATE TABLE events (
  position        INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id        TEXT    NOT NULL,
  stream_id       TEXT    NOT NULL,
  stream_version  INTEGER NOT NULL,
  type            TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL,
  chain           INTEGER NOT NULL,
  seq             INTEGER NOT NULL,
  hlc             TEXT    NOT NULL,
  meta            BLOB    NOT NULL,
  data            BLOB    NOT NULL,
  prev_hash       BLOB    NOT NULL,
  hash            BLOB    NOT NULL
);
CREATE UNIQUE INDEX events_event_id ON events (event_id);

-- Runs of consecutive positions of one stream: versions first_version .. first_version + count - 1.
CREATE TABLE stream_segments (
  stream_id       TEXT    NOT NULL,
  first_version   INTEGER NOT NULL,
  first_position  INTEGER NOT NULL,
  count           INTEGER NOT NULL,
  PRIMARY KEY (stream_id, first_version)
) WITHOUT ROWID;

-- Every (device, epoch) chain this log holds, with its head: the version vector for sync and the tip of each hash
-- chain. Events name their chain by this local number instead of repeating the device id.
CREATE TABLE chains (
  chain   INTEGER PRIMARY KEY,
  device  TEXT    NOT NULL,
  epoch   INTEGER NOT NULL,
  seq     INTEGER NOT NULL,
  hash    BLOB    NOT NULL,
  UNIQUE (device, epoch)
);

-- Runs of consecutive positions of one chain: seqs first_seq .. first_seq + count - 1.
CREATE TABLE chain_segments (
  chain           INTEGER NOT NULL,
  first_seq       INTEGER NOT NULL,
  first_position  INTEGER NOT NULL,
  count           INTEGER NOT NULL,
  PRIMARY KEY (chain, first_seq)
) WITHOUT ROWID;

-- Which chain this device writes to, and the last clock value issued (persisted so the HLC survives restarts).
CREATE TABLE local_writer (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  chain      INTEGER NOT NULL REFERENCES chains (chain),
  last_hlc   TEXT
);

-- Last position each projection has folded, and the projection code version that folded it.
CREATE TABLE projection_checkpoints (
  name      TEXT    PRIMARY KEY,
  position  INTEGER NOT NULL,
  version   INTEGER NOT NULL
) WITHOUT ROWID;

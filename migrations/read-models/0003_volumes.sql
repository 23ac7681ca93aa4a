-- Volumes this library knows: folded from `volume-<fingerprint>` streams. A row exists once a volume was tracked or
-- speed-tested here; `tracked` says whether it is tracked now. The facts are the last ones recorded (what an
-- offline volume shows).
CREATE TABLE volumes (
  fingerprint       TEXT PRIMARY KEY,
  device_id         TEXT NOT NULL,
  tracked           INTEGER NOT NULL,
  name              TEXT NOT NULL,   -- the display name while tracked, else the detected name
  mount_point       TEXT NOT NULL,
  source            TEXT NOT NULL,
  file_system       TEXT NOT NULL,
  total_bytes       INTEGER NOT NULL,
  available_bytes   INTEGER NOT NULL,
  mount_type        TEXT NOT NULL,
  disk_type         TEXT NOT NULL,
  read_only         INTEGER NOT NULL,
  copy_on_write     INTEGER NOT NULL,
  online            INTEGER NOT NULL, -- as the last refresh saw it
  tracked_at        TEXT,
  last_seen_at      TEXT NOT NULL,
  read_mbps         REAL,
  write_mbps        REAL,
  speed_test_bytes  INTEGER,
  speed_tested_at   TEXT
) WITHOUT ROWID;

-- The audit trail of file operations, folded from `fileop-<jobId>` streams: one record per event, and every path
-- it names (as source or destination) indexed, so the history of one path is a range read.
CREATE TABLE audit_records (
  position  INTEGER PRIMARY KEY, -- log position of the event
  event_id  TEXT NOT NULL,
  at        TEXT NOT NULL,
  kind      TEXT NOT NULL,       -- copy | move | delete | failure
  action    TEXT NOT NULL,       -- copy | move | delete
  device    TEXT NOT NULL,       -- origin device of the event
  job_id    TEXT NOT NULL,
  detail    TEXT NOT NULL        -- JSON {mode?, paths, failures}
);
CREATE INDEX audit_by_at ON audit_records (at);

CREATE TABLE audit_paths (
  path      TEXT NOT NULL,
  position  INTEGER NOT NULL,
  seq       INTEGER NOT NULL,    -- index of the path in the record's paths (or failures)
  role      TEXT NOT NULL,       -- source | destination
  PRIMARY KEY (path, position, seq, role)
) WITHOUT ROWID;

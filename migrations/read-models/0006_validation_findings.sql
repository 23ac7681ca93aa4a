-- Findings of validation jobs (`spacedrive file validate`): folded from `validation-<jobId>` streams. `seq` numbers
-- a job's findings in log order.
CREATE TABLE validation_findings (
  job_id       TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  path         TEXT NOT NULL,
  location_id  TEXT,
  check_name   TEXT NOT NULL,
  severity     TEXT NOT NULL, -- error | warning | info
  message      TEXT NOT NULL,
  action       TEXT NOT NULL,
  indexed      TEXT,          -- JSON {size, modifiedAt, casId} as the index recorded it
  found        TEXT,          -- JSON {size, modifiedAt, casId} as the disk showed it
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;

-- Values an event shares with the event before it are stored once. An append writes one stream, mostly one type
-- and one meta for all its events: stream_id, type and meta are now NULL where they equal the value of the row before
-- (in position order), and the first event of every append stores all three. Readers carry the last value down.
-- This takes the meta (the largest field after the payload) off all but one row per append, and lets a replay read
-- the repeats as NULLs instead of comparing each row with the one before it.
CREATE TABLE events_v2 (
  position        INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id        TEXT    NOT NULL,
  stream_id       TEXT,
  stream_version  INTEGER NOT NULL,
  type            TEXT,
  schema_version  INTEGER NOT NULL,
  chain           INTEGER NOT NULL,
  seq             INTEGER NOT NULL,
  hlc             TEXT    NOT NULL,
  meta            BLOB,
  data            BLOB    NOT NULL,
  prev_hash       BLOB    NOT NULL,
  hash            BLOB    NOT NULL
);

INSERT INTO events_v2 (position, event_id, stream_id, stream_version, type, schema_version, chain, seq, hlc, meta, data,
                       prev_hash, hash)
SELECT position, event_id,
       CASE WHEN append_start OR stream_id IS NOT prev_stream_id THEN stream_id END,
       stream_version,
       CASE WHEN append_start OR type IS NOT prev_type THEN type END,
       schema_version, chain, seq, hlc,
       CASE WHEN append_start OR meta IS NOT prev_meta THEN meta END,
       data, prev_hash, hash
FROM (
  SELECT *,
         position IN (SELECT first_position FROM stream_segments) AS append_start,
         lag(stream_id) OVER w AS prev_stream_id,
         lag(type) OVER w AS prev_type,
         lag(meta) OVER w AS prev_meta
  FROM events
  WINDOW w AS (ORDER BY position)
)
ORDER BY position;

-- Positions are never reused: the new table continues from the old one's sequence, not from its highest row.
DELETE FROM sqlite_sequence WHERE name = 'events_v2';
INSERT INTO sqlite_sequence (name, seq) SELECT 'events_v2', seq FROM sqlite_sequence WHERE name = 'events';

DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE UNIQUE INDEX events_event_id ON events (event_id);

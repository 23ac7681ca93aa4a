-- A location's latest index job, which `location list` and `location info` read per location to say how it stands
-- (indexing, paused, interrupted, failed, offline): found by index rather than by a scan of every job ever run.
CREATE INDEX jobs_by_location ON jobs (location_id, name, queued_at);

-- The library itself (one row): folded from the `library` stream.
CREATE TABLE library (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  description  TEXT,
  settings     TEXT NOT NULL, -- JSON, every field of LibrarySettings
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);

-- Every device that has opened this library.
CREATE TABLE devices (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  os             TEXT NOT NULL,
  public_key     TEXT NOT NULL,
  registered_at  TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

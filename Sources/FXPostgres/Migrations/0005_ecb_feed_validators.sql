-- The validators of the last ECB feed `fxrates sync ecb` imported, per feed URL: its ETag and Last-Modified
-- as the server sent them, replayed as If-None-Match / If-Modified-Since so that a feed that has not
-- changed costs a 304 and no import. Kept in PostgreSQL, not on a disk, so every CronJob run and every
-- machine sees them. Written in the import's transaction: the validators never run ahead of the rates.
-- A new table only (expand-then-contract).
CREATE TABLE ecb_feed_validators (
    url           text        PRIMARY KEY,
    etag          text,
    last_modified text,
    imported_at   timestamptz NOT NULL DEFAULT now()
);

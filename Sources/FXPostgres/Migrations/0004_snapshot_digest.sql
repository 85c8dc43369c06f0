-- The SHA-256 of the rate history's copy in Redis, recorded by the replica that filled it, beside the token
-- it was filled at. A replica reading the copy back checks its bytes against this digest: whoever can write
-- Redis can rewrite the copy (and any digest kept beside it), but not this row. The token the digest belongs
-- to is kept with it, so the trigger of migration 2 need not change: once it moves `token`, the digest no
-- longer matches any copy a replica would read. Nullable columns only (expand-then-contract).
ALTER TABLE rates_version
    ADD COLUMN snapshot_token  uuid,
    ADD COLUMN snapshot_sha256 bytea;

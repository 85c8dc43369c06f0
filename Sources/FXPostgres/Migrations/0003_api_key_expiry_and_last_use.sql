-- API keys may expire, and show when they were last used.
--
-- Both columns are nullable, so this only expands the schema: a replica of the previous release keeps
-- reading api_keys as before (it does not know expires_at, so until it is replaced it still accepts a key
-- past its expiry), and no key expires unless it is created with one.
ALTER TABLE api_keys
    ADD COLUMN expires_at   timestamptz,
    ADD COLUMN last_used_at timestamptz;

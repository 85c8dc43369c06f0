-- Where the rates are at: one row, changed in the same transaction as every statement that changes rates.
--
-- Replicas compare it with what they hold every 30 s and before each whole reload, and name the history's
-- copy in Redis after it. Reading it is one row; the count and latest write time it replaces scanned all of
-- rates (some 20 ms of PostgreSQL CPU per look, per replica). The token is random, so a database restored
-- from a backup carries the token of exactly the rates it holds.
CREATE TABLE rates_version (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    token      uuid        NOT NULL DEFAULT gen_random_uuid(),
    changed_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO rates_version DEFAULT VALUES;

CREATE FUNCTION rates_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE rates_version SET token = gen_random_uuid(), changed_at = now();
    RETURN NULL;
END;
$$;

-- Per statement, not per row: an import of 200,000 rates moves the token once.
CREATE TRIGGER rates_version_bump
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rates
    FOR EACH STATEMENT EXECUTE FUNCTION rates_version_bump();

-- Initial fxrates schema.

CREATE TABLE currencies (
    code        char(3)  PRIMARY KEY,
    name        text     NOT NULL,
    minor_units smallint NOT NULL CHECK (minor_units BETWEEN 0 AND 4)
);

-- No foreign keys to currencies: historical sources quote retired codes
-- that a current ISO 4217 list does not contain.
CREATE TABLE rates (
    observed_on date        NOT NULL,
    base        char(3)     NOT NULL,
    quote       char(3)     NOT NULL,
    rate        numeric     NOT NULL CHECK (rate > 0),
    source      text        NOT NULL,
    written_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (observed_on, base, quote, source)
);

-- Latest observation for a pair: WHERE base = $1 AND quote = $2 ORDER BY observed_on DESC LIMIT 1.
-- The unique constraint's index, led by observed_on, already serves max(observed_on).
CREATE INDEX rates_pair_latest_idx ON rates (base, quote, observed_on DESC);

-- Only the SHA-256 of a key is stored, never the key itself.
CREATE TABLE api_keys (
    id         bigserial   PRIMARY KEY,
    tenant     text        NOT NULL,
    key_hash   bytea       NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
    limits     text,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE TABLE audit_log (
    id     bigserial   PRIMARY KEY,
    actor  text        NOT NULL,
    action text        NOT NULL,
    rows   integer     NOT NULL,
    detail jsonb,
    at     timestamptz NOT NULL DEFAULT now()
);

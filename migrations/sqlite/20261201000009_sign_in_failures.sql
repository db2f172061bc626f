-- Failed sign-ins per key (a login from an address, or an address), kept in the database so
-- that the limits hold across every instance serving one region; read and written under a row
-- lock (auth/limiter.rs holds the rule). Times in unix seconds; count 0 is no failure.
CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    count BIGINT NOT NULL,
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL
);

-- Server-side sessions of coordinators. The cookie carries a random token; only its SHA-256 is
-- stored, so a copy of the database gives no working session. Each session has its own CSRF
-- token, which every form of a signed-in user sends back. Expiry is unix seconds, compared by
-- the server (one clock).
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Who read or changed what is sensitive: raw answer exports, code sheets, accounts and roles,
-- publications, imports, deletions — who (the account and its login at the time), when, which
-- route and path (never a query string, never an answer), from which address. Kept for a
-- configurable number of days.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id BIGINT,
    login TEXT NOT NULL,
    action TEXT NOT NULL,
    path TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Secrets of the server kept with its data, so that every instance serving one database uses
-- the same: the key from which the noise on a code holder's figures is drawn (scope.rs). Made
-- at random on first use; never shown, exported or logged.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

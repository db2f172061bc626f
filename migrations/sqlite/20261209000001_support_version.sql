-- One number that grows with every support change (written in the transaction of the change,
-- beside its history line): the start page's support figures are kept under it and read again
-- only when it moves, on every instance that shares the database.
CREATE TABLE support_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO support_version (id, version) VALUES (1, 0);

-- A draft's revision, raised by every write: a server that kept a draft in memory writes over it
-- only while nobody else has written it since (another instance on PostgreSQL), otherwise it
-- reads the draft again.
ALTER TABLE drafts ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- Aggregates are published, not live. A publication is a numbered snapshot of a campaign: the
-- responses it takes in are marked with it, and every profile, matrix, change and export reads
-- only responses so marked. Each school's group grows from one publication to the next by at
-- least the group's minimum of respondents or not at all, so that no two readings differ by a
-- few answers. One publication is made at the close (`at_close`); earlier ones by an admin or a
-- regional coordinator (`published_by`).
--
-- A response's `status`: `counted`; `held` when it came through a group code beyond the
-- surplus limit (a share of the expected count), until a coordinator decides; `discarded` when
-- a coordinator decided it does not belong (kept, never counted nor exported).
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    number INTEGER NOT NULL,
    published_on TEXT NOT NULL,
    published_by INTEGER REFERENCES users(id),
    at_close BOOLEAN NOT NULL,
    UNIQUE (campaign_id, number)
);
CREATE UNIQUE INDEX one_publication_at_close ON publications (campaign_id) WHERE at_close;

ALTER TABLE responses ADD COLUMN publication_id INTEGER REFERENCES publications(id);
ALTER TABLE responses ADD COLUMN status TEXT NOT NULL DEFAULT 'counted'
    CHECK (status IN ('counted', 'held', 'discarded'));
CREATE INDEX responses_by_publication ON responses (campaign_id, publication_id);

-- Sufficient statistics (surveys::tally) per campaign, school and respondent group, so that a
-- profile is scored from a few sums instead of every stored answer. `live_tallies` counts every
-- counted response (`responses`, exact whatever the sums) and sums them, updated by the writer in the transaction that stores one; a publication
-- copies the tallies of the groups it takes in (and carries the rest) into `published_tallies`.
-- `fingerprint` is the methodology's the sums were kept under; `orientir rescore` rebuilds
-- both after a methodology change.
CREATE TABLE live_tallies (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    respondent_group TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    responses INTEGER NOT NULL,
    profile TEXT NOT NULL,
    quality TEXT NOT NULL,
    PRIMARY KEY (campaign_id, school_id, respondent_group)
);

CREATE TABLE published_tallies (
    publication_id INTEGER NOT NULL REFERENCES publications(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    respondent_group TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    responses INTEGER NOT NULL,
    profile TEXT NOT NULL,
    quality TEXT NOT NULL,
    PRIMARY KEY (publication_id, school_id, respondent_group)
);

-- Responses stored before the sums existed are counted (the monitor reads its counts here), with
-- no sums until `orientir rescore` rebuilds them.
INSERT INTO live_tallies (campaign_id, school_id, respondent_group, fingerprint, responses, profile, quality)
SELECT campaign_id, school_id, respondent_group, '', COUNT(*), '', '' FROM responses
WHERE status = 'counted' GROUP BY campaign_id, school_id, respondent_group;

CREATE INDEX responses_held ON responses (campaign_id, school_id, respondent_group) WHERE status = 'held';

-- The fingerprint under which every group the publication holds has its tally; NULL when some
-- have none (responses stored around the writer): then scores are read from the answers.
ALTER TABLE publications ADD COLUMN tallied TEXT;

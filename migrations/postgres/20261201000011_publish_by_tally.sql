-- A publication no longer marks every response it takes in (a million row updates took seconds):
-- each tally records the last response it counts (`through_id`, the largest id: responses of a
-- school's group are numbered in the order their group's tally counts them, see
-- `storage::tallies`), and a publication's published tallies say which responses it holds —
-- the counted ones of each group up to that id.
ALTER TABLE live_tallies ADD COLUMN through_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE published_tallies ADD COLUMN through_id BIGINT NOT NULL DEFAULT 0;

UPDATE live_tallies SET through_id = COALESCE((
    SELECT MAX(r.id) FROM responses r
    WHERE r.campaign_id = live_tallies.campaign_id AND r.school_id = live_tallies.school_id
      AND r.respondent_group = live_tallies.respondent_group AND r.status = 'counted'), 0);

-- Every group a publication holds gets its row (publications from before the tallies had none:
-- counted, without sums), with its last response. A row whose count disagrees with what was
-- published loses its sums' fingerprint, so that its publication is scored from the answers.
-- (A held response admitted after an earlier publication of its group could carry a smaller id
-- than that publication's last one; answers stored before this migration are taken as numbered.)
INSERT INTO published_tallies (publication_id, school_id, respondent_group, fingerprint, responses, profile, quality, through_id)
SELECT p.id, r.school_id, r.respondent_group, '', COUNT(*), '', '', MAX(r.id)
FROM publications p JOIN responses r ON r.campaign_id = p.campaign_id
WHERE r.publication_id <= p.id AND r.status = 'counted'
GROUP BY p.id, r.school_id, r.respondent_group
ON CONFLICT (publication_id, school_id, respondent_group) DO UPDATE SET
    through_id = excluded.through_id,
    fingerprint = CASE WHEN published_tallies.responses = excluded.responses
                       THEN published_tallies.fingerprint ELSE '' END,
    responses = excluded.responses;
UPDATE publications SET tallied = NULL
WHERE EXISTS (SELECT 1 FROM published_tallies t
              WHERE t.publication_id = publications.id AND t.fingerprint <> publications.tallied);

DROP INDEX responses_counted;
ALTER TABLE responses DROP COLUMN publication_id;
-- What the insert of a response counts (a group's responses by status) and the held ones.
CREATE INDEX responses_counted ON responses (campaign_id, school_id, respondent_group, status);

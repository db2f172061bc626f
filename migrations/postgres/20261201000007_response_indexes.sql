-- The raw export and the scoring read a campaign's responses of one group in id order, a page at
-- a time (`id > last`): without this index each page scanned and sorted every published response
-- of the campaign (a million responses took minutes instead of seconds).
CREATE INDEX responses_by_group ON responses (campaign_id, respondent_group, id);

-- The monitor counts a campaign's responses per school, group and status, and the publication
-- counts what it takes in: with the status and publication in the index the counts never read
-- the rows (whose answers are most of their size). It also serves every read by school, so it
-- replaces the narrower index.
CREATE INDEX responses_counted ON responses (campaign_id, school_id, respondent_group, status, publication_id);
DROP INDEX responses_by_school;

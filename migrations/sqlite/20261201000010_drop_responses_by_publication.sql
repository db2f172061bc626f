-- Every reading of what is published goes through `responses_counted` (campaign, school, group,
-- status, publication); this index only made each publication's update touch one more index.
DROP INDEX responses_by_publication;

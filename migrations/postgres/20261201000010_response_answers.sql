-- A response's answers live in their own table, beside the narrow row that says whose they are
-- and where they stand (counted, held, published). Publishing a million responses rewrites a
-- million narrow rows instead of a million rows with their answers in them (a gigabyte).
CREATE TABLE response_answers (
    response_id BIGINT PRIMARY KEY REFERENCES responses(id),
    answers TEXT NOT NULL
);
INSERT INTO response_answers (response_id, answers) SELECT id, answers FROM responses;
ALTER TABLE responses DROP COLUMN answers;
-- Every reading of what is published goes through `responses_counted` (campaign, school, group,
-- status, publication); this index only made each publication's update touch one more index.
DROP INDEX responses_by_publication;

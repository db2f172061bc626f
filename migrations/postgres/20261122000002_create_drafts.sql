-- Questionnaires in progress. Every page a respondent sends is kept here, so they can leave and
-- come back: on the same device through a random token in a cookie (anonymous groups), or from
-- any device through their personal code (principal, teacher diagnostic).
--
-- * `token` is the cookie's random value or `code:<personal code>`; it identifies a draft, not a
--   person, and nothing about the device or address is stored;
-- * `answers` is the JSON of everything entered so far, keyed like responses; `problems` is the
--   JSON of the last page's field errors, shown next to the fields with the input kept;
-- * `submission_key` is fixed when the draft starts, so that a repeated final submit (double
--   click, refresh, retry after a dropped connection) stores one response;
-- * `updated_on` keeps only the day. Drafts of closed campaigns are deleted.
CREATE TABLE drafts (
    token TEXT PRIMARY KEY,
    code TEXT NOT NULL REFERENCES access_codes(code),
    answers TEXT NOT NULL,
    problems TEXT NOT NULL,
    page BIGINT NOT NULL,
    submission_key TEXT NOT NULL UNIQUE,
    submitted BOOLEAN NOT NULL DEFAULT FALSE,
    updated_on TEXT NOT NULL
);
CREATE INDEX drafts_by_code ON drafts (code);

-- Anti-risk programmes (АРП): a school's programme for a published campaign, the actual risks
-- it chose from that campaign's profile (each with its reasoning), and the history of every
-- change to it (who, when, what, comment). Coordinator-side data only: nothing here comes from
-- or points at a respondent.
CREATE TABLE programmes (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'returned', 'agreed')),
    created_on TEXT NOT NULL,
    UNIQUE (campaign_id, school_id)
);

CREATE TABLE chosen_risks (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programmes(id),
    -- A factor code of the campaign's methodology, e.g. `RF07`.
    factor TEXT NOT NULL,
    reasoning TEXT NOT NULL,
    UNIQUE (programme_id, factor)
);

-- `at` is unix seconds; `subject` names what the event is about (`risk:RF07`, `measure:12`), empty
-- for the programme as a whole.
CREATE TABLE programme_events (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programmes(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX programme_events_by_programme ON programme_events (programme_id);

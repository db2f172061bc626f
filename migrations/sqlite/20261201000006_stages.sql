-- Stage reports of anti-risk programmes. A campaign's coordinators set the stage dates; at each
-- stage the school files a report: the state of every measure at that date (a copy, so later
-- changes do not rewrite it) and a short analysis; those who agree comment on it in the
-- programme's history (`subject` = `stage:<id>`). Evidence may be a document attached to a
-- measure: at most 10 MB of a whitelisted type, kept in the database.
CREATE TABLE programme_stages (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    UNIQUE (campaign_id, due_on)
);

CREATE TABLE stage_reports (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programmes(id),
    stage_id INTEGER NOT NULL REFERENCES programme_stages(id),
    analysis TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    filed_at BIGINT NOT NULL,
    UNIQUE (programme_id, stage_id)
);

CREATE TABLE stage_report_measures (
    report_id INTEGER NOT NULL REFERENCES stage_reports(id),
    -- No reference: the copy outlives a measure removed after a reopening.
    measure_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (report_id, measure_id)
);

CREATE TABLE programme_files (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programmes(id),
    measure_id INTEGER NOT NULL REFERENCES programme_measures(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    data BLOB NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX programme_files_by_programme ON programme_files (programme_id);

-- The content of an anti-risk programme per chosen risk: its goal and tasks, the measures (from
-- the methodology's catalogue or written anew) with who is responsible, dates, expected result,
-- status and evidence, and the targets: indicators of the factor with the baseline from the
-- published profile and the value aimed at in the next campaign.
ALTER TABLE chosen_risks ADD COLUMN goal TEXT NOT NULL DEFAULT '';
ALTER TABLE chosen_risks ADD COLUMN tasks TEXT NOT NULL DEFAULT '';

CREATE TABLE programme_measures (
    id INTEGER PRIMARY KEY,
    risk_id INTEGER NOT NULL REFERENCES chosen_risks(id),
    action TEXT NOT NULL,
    responsible_role TEXT NOT NULL DEFAULT '',
    responsible_name TEXT NOT NULL DEFAULT '',
    starts_on TEXT,
    due_on TEXT,
    expected_result TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned', 'in_progress', 'done', 'not_done')),
    status_reason TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    -- The catalogue measure it started from (its position in measures.toml), if any.
    catalogue INTEGER
);
CREATE INDEX programme_measures_by_risk ON programme_measures (risk_id);

CREATE TABLE programme_targets (
    id INTEGER PRIMARY KEY,
    risk_id INTEGER NOT NULL REFERENCES chosen_risks(id),
    indicator TEXT NOT NULL,
    baseline REAL,
    target REAL NOT NULL,
    UNIQUE (risk_id, indicator)
);

-- Educational results (ВПР, ОГЭ, ЕГЭ, regional diagnostics): one row per school, assessment (a key
-- of the methodology's catalogue) and year, as imported; each import of a year is kept as a history
-- entry (who, when, which file, how many rows, how many replaced). Rows under the methodology's
-- minimum of participants are stored and never shown. A school's settlement type (peer groups),
-- its cohorts with their history, and programme targets on a results indicator.
ALTER TABLE schools ADD COLUMN settlement TEXT;

CREATE TABLE result_imports (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    year INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    layout TEXT NOT NULL,
    rows INTEGER NOT NULL,
    replaced INTEGER NOT NULL
);
CREATE INDEX result_imports_by_region ON result_imports (region_id, year);

CREATE TABLE results (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    assessment TEXT NOT NULL,
    year INTEGER NOT NULL,
    participants INTEGER NOT NULL CHECK (participants >= 0),
    mark2 INTEGER,
    mark3 INTEGER,
    mark4 INTEGER,
    mark5 INTEGER,
    below_pass INTEGER,
    mean_score REAL,
    lowered INTEGER,
    confirmed INTEGER,
    raised INTEGER,
    import_id INTEGER NOT NULL REFERENCES result_imports(id),
    PRIMARY KEY (school_id, assessment, year)
);
CREATE INDEX results_by_year ON results (year, assessment);

CREATE TABLE cohorts (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    category TEXT NOT NULL,
    year INTEGER NOT NULL,
    PRIMARY KEY (school_id, category, year)
);

CREATE TABLE cohort_events (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    category TEXT NOT NULL,
    year INTEGER NOT NULL,
    added BOOLEAN NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    how TEXT NOT NULL
);
CREATE INDEX cohort_events_by_school ON cohort_events (school_id);

CREATE TABLE result_targets (
    id INTEGER PRIMARY KEY,
    risk_id INTEGER NOT NULL REFERENCES chosen_risks(id),
    assessment TEXT NOT NULL,
    indicator TEXT NOT NULL,
    baseline REAL,
    baseline_year INTEGER,
    target REAL NOT NULL,
    judged_year INTEGER NOT NULL,
    UNIQUE (risk_id, assessment, indicator)
);

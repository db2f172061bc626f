-- Core nouns of Orientir: the region's registry, campaigns, access codes, responses, users.
--
-- Portable choices, shared with the PostgreSQL schema so that one set of SQL serves both:
-- * ids are 64-bit integers chosen by the database;
-- * calendar dates are ISO `YYYY-MM-DD` text: responses keep only the day of submission (privacy),
--   and text dates compare correctly as strings on both backends;
-- * raw answers are a JSON object (item key -> answer) stored as text, together with the
--   instrument key, instrument version and methodology version they were given under, so that
--   profiles can always be recomputed from them.

CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE municipalities (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (region_id, code)
);

CREATE TABLE schools (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    -- The registry code a region already uses for the school (e.g. its ОО code).
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- The methodology set the instruments and thresholds come from, e.g. `orientir-2026`.
    methodology_version TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    CHECK (opens_on <= closes_on)
);

-- A school taking part in a campaign, with how many respondents of each group are expected:
-- response-rate floors are computed against these counts.
CREATE TABLE campaign_schools (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    expected_principals INTEGER NOT NULL DEFAULT 1 CHECK (expected_principals >= 0),
    expected_teachers INTEGER NOT NULL CHECK (expected_teachers >= 0),
    expected_students INTEGER NOT NULL CHECK (expected_students >= 0),
    expected_parents INTEGER NOT NULL CHECK (expected_parents >= 0),
    PRIMARY KEY (campaign_id, school_id)
);

-- One code per school and anonymous group, or a personal code (principal, a teacher's deficit
-- diagnostic). A code carries no name: it only says where an answer belongs.
CREATE TABLE access_codes (
    code TEXT PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    respondent_group TEXT NOT NULL,
    personal BOOLEAN NOT NULL,
    revoked BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX access_codes_by_school ON access_codes (campaign_id, school_id);

-- A completed questionnaire. No name, address or device data: only where it belongs and what
-- was answered. `submission_key` is chosen by the respondent's form so that a repeated submit is
-- stored once.
CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    respondent_group TEXT NOT NULL,
    instrument_key TEXT NOT NULL,
    instrument_version INTEGER NOT NULL,
    methodology_version TEXT NOT NULL,
    answers TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    submission_key TEXT NOT NULL UNIQUE
);
CREATE INDEX responses_by_school ON responses (campaign_id, school_id, respondent_group);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- argon2id PHC string; never a plain password.
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_on TEXT NOT NULL
);

-- What a user may see. The scope column that matters depends on the role: none for admin,
-- region for a regional coordinator, municipality for a municipal one, school for a school;
-- a curator's schools are listed in curator_schools.
CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'regional', 'municipal', 'curator', 'school')),
    region_id INTEGER REFERENCES regions(id),
    municipality_id INTEGER REFERENCES municipalities(id),
    school_id INTEGER REFERENCES schools(id)
);
CREATE INDEX user_roles_by_user ON user_roles (user_id);

CREATE TABLE curator_schools (
    user_id INTEGER NOT NULL REFERENCES users(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    PRIMARY KEY (user_id, school_id)
);

-- The teacher's development loop (and a principal's): a diagnostic kept for its owner's
-- development plan, found only by the hash of its result key (never by a code, a response or a
-- draft). The school is kept to share the plan with its methodist when the owner chooses to and
-- to count demand over groups large enough; `result` is the scored areas (JSON), not answers.
CREATE TABLE development_plans (
    key_hash TEXT PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('teacher', 'principal')),
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    school_id INTEGER NOT NULL REFERENCES schools(id),
    methodology_version TEXT NOT NULL,
    result TEXT NOT NULL,
    created_on TEXT NOT NULL,
    updated_on TEXT NOT NULL
);
CREATE INDEX development_plans_by_campaign ON development_plans (campaign_id, school_id);

-- The activities of a plan: a catalogue entry (`activity`) or the owner's own (`title`).
CREATE TABLE plan_items (
    id INTEGER PRIMARY KEY,
    key_hash TEXT NOT NULL REFERENCES development_plans(key_hash) ON DELETE CASCADE,
    activity TEXT,
    title TEXT NOT NULL DEFAULT '',
    starts_on TEXT,
    due_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done')),
    evidence TEXT NOT NULL DEFAULT '',
    updated_on TEXT NOT NULL
);
CREATE INDEX plan_items_by_plan ON plan_items (key_hash);

-- Whom the owner shows the plan (not the diagnostic's answers): the school's methodist or the
-- municipality's, with the name the owner chose to show (may be empty); withdrawn by deleting
-- the row.
CREATE TABLE plan_shares (
    key_hash TEXT NOT NULL REFERENCES development_plans(key_hash) ON DELETE CASCADE,
    reader TEXT NOT NULL CHECK (reader IN ('school', 'municipality')),
    since TEXT NOT NULL,
    signed TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (key_hash, reader)
);

-- Two roles that read shared plans only: a school's methodist and a municipality's.
CREATE TABLE user_roles_new (
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'regional', 'municipal', 'curator', 'school', 'methodist', 'municipal_methodist')),
    region_id INTEGER REFERENCES regions(id),
    municipality_id INTEGER REFERENCES municipalities(id),
    school_id INTEGER REFERENCES schools(id)
);
INSERT INTO user_roles_new (user_id, role, region_id, municipality_id, school_id)
    SELECT user_id, role, region_id, municipality_id, school_id FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;
CREATE INDEX user_roles_by_user ON user_roles (user_id);

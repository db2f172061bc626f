-- Support work beside the programmes: a school's questions to its curator and municipal
-- coordinator (threads, statuses, a response-time target per region, a knowledge base of
-- published answers without the school's name), visits with their recommendations and the
-- school's answers, regional and municipal events (invitations, registration by role counts,
-- attendance, an anonymous feedback questionnaire kept only as sums), roadmaps (tracks →
-- activities), the files attached to any of them, one history of every change, and
-- notifications: an inbox per account and a mail queue that survives a restart.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN mail_digest BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN digest_on TEXT;
-- Working days a question may wait for its first answer.
ALTER TABLE regions ADD COLUMN answer_days BIGINT NOT NULL DEFAULT 3;

CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    factor TEXT NOT NULL DEFAULT '',
    measure_id BIGINT,
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'answered', 'closed')),
    asked_at BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    answered_at BIGINT,
    last_at BIGINT NOT NULL,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    kb_question TEXT NOT NULL DEFAULT '',
    kb_answer TEXT NOT NULL DEFAULT '',
    published_at BIGINT
);
CREATE INDEX questions_by_school ON questions (school_id, status);
CREATE INDEX questions_published ON questions (published, factor);

CREATE TABLE question_messages (
    id INTEGER PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES questions(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX question_messages_by_question ON question_messages (question_id);

CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    day TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('on_site', 'online')),
    status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
    principals BIGINT NOT NULL DEFAULT 0,
    deputies BIGINT NOT NULL DEFAULT 0,
    teachers BIGINT NOT NULL DEFAULT 0,
    others BIGINT NOT NULL DEFAULT 0,
    purpose TEXT NOT NULL,
    findings TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX visits_by_school ON visits (school_id, day);
CREATE INDEX visits_by_user ON visits (user_id, day);

CREATE TABLE recommendations (
    id INTEGER PRIMARY KEY,
    visit_id BIGINT REFERENCES visits(id),
    school_id BIGINT NOT NULL REFERENCES schools(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    due_on TEXT NOT NULL,
    responsible TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'disagreed', 'accepted', 'returned')),
    answer TEXT NOT NULL DEFAULT '',
    answered_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX recommendations_by_school ON recommendations (school_id, status);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    municipality_id BIGINT REFERENCES municipalities(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('seminar', 'webinar', 'course', 'conference')),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    cohort TEXT NOT NULL DEFAULT '',
    factors TEXT NOT NULL DEFAULT '',
    feedback_open BOOLEAN NOT NULL DEFAULT FALSE,
    feedback_closed BOOLEAN NOT NULL DEFAULT FALSE,
    feedback_count BIGINT NOT NULL DEFAULT 0,
    -- The feedback questionnaire's sums (`surveys::Tally` as JSON); never a single answer.
    feedback_sums TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX events_by_region ON events (region_id, starts_on);

CREATE TABLE event_schools (
    event_id BIGINT NOT NULL REFERENCES events(id),
    school_id BIGINT NOT NULL REFERENCES schools(id),
    invited_at BIGINT NOT NULL,
    registered_at BIGINT,
    reg_principals BIGINT NOT NULL DEFAULT 0,
    reg_deputies BIGINT NOT NULL DEFAULT 0,
    reg_teachers BIGINT NOT NULL DEFAULT 0,
    reg_others BIGINT NOT NULL DEFAULT 0,
    attended BIGINT,
    PRIMARY KEY (event_id, school_id)
);
CREATE INDEX event_schools_by_school ON event_schools (school_id);

-- Single-use feedback codes of an event, by their hash; a used one is kept (used = TRUE) so
-- that a second submit counts once. Nothing links a code to the answers it gave.
CREATE TABLE event_codes (
    hash TEXT PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id),
    school_id BIGINT NOT NULL REFERENCES schools(id),
    code TEXT NOT NULL,
    used BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX event_codes_by_event ON event_codes (event_id, school_id);

CREATE TABLE roadmaps (
    id INTEGER PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    municipality_id BIGINT REFERENCES municipalities(id),
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE roadmap_tracks (
    id INTEGER PRIMARY KEY,
    roadmap_id BIGINT NOT NULL REFERENCES roadmaps(id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX roadmap_tracks_by_roadmap ON roadmap_tracks (roadmap_id);

CREATE TABLE roadmap_activities (
    id INTEGER PRIMARY KEY,
    track_id BIGINT NOT NULL REFERENCES roadmap_tracks(id),
    title TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    responsible TEXT NOT NULL,
    cohort TEXT NOT NULL DEFAULT '',
    schools TEXT NOT NULL DEFAULT '',
    expected TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    done_on TEXT
);
CREATE INDEX roadmap_activities_by_track ON roadmap_activities (track_id);

-- Files of any support object: `kind` names the object (question message, recommendation,
-- event, roadmap activity), `school_id` the school whose quota it counts against (none for a
-- region's own objects).
CREATE TABLE support_files (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    school_id BIGINT REFERENCES schools(id),
    region_id BIGINT NOT NULL REFERENCES regions(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    data BLOB NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX support_files_by_owner ON support_files (kind, owner_id);

-- Every change of a support object: who, when, what.
CREATE TABLE support_history (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    school_id BIGINT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX support_history_by_owner ON support_history (kind, owner_id);
CREATE INDEX support_history_by_school ON support_history (school_id, at);

-- A notification in an account's inbox. `key` makes each one once per account (a reminder
-- swept every hour is written once). `mail` is how it goes out: 'none', 'queued' (a mail of
-- its own), 'digest' (waits for the daily digest), 'digested'.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL,
    at BIGINT NOT NULL,
    read_at BIGINT,
    mail TEXT NOT NULL DEFAULT 'none',
    UNIQUE (user_id, key)
);
CREATE INDEX notifications_by_user ON notifications (user_id, at);
CREATE INDEX notifications_digest ON notifications (mail, user_id);

CREATE TABLE notification_mutes (
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Mails to send. `key` is unique: a mail is queued once. A sender leases a row before sending
-- and marks it sent after; a lease that ran out while 'sending' is never sent again (the
-- inbox still holds the notice).
CREATE TABLE mail_queue (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'sending', 'sent', 'failed', 'unknown')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    lease_until BIGINT,
    lease_by TEXT,
    sent_at BIGINT,
    error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX mail_queue_waiting ON mail_queue (state, next_at);

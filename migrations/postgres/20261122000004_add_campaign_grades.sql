-- The grades a campaign surveys (e.g. `5-11`), as entered by its coordinator: shown to
-- respondents and on code sheets; the student questionnaire itself is the same for all grades.
ALTER TABLE campaigns ADD COLUMN target_grades TEXT NOT NULL DEFAULT '5-11';

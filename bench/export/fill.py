#!/usr/bin/env python3
"""Adds N student responses to the demo campaign of an SQLite database (spread over its
schools), with varied valid answers, taken in by the campaign's latest publication (the raw
export reads only published responses): each school's student tallies, live and published,
count them and end at the last one (without sums, which the raw export does not read).
Usage: fill.py DB N"""
import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from answers import answers, instrument  # noqa: E402

db, n = sys.argv[1], int(sys.argv[2])
student = instrument("student")
rng = random.Random(11)


pool = [answers(student, rng) for _ in range(500)]
con = sqlite3.connect(db)
(campaign,) = con.execute("SELECT id FROM campaigns WHERE code = 'demo-2026'").fetchone()
schools = [s for (s,) in con.execute("SELECT school_id FROM campaign_schools WHERE campaign_id = ?", (campaign,))]
(publication,) = con.execute("SELECT MAX(id) FROM publications WHERE campaign_id = ?", (campaign,)).fetchone()
version = con.execute("SELECT instrument_version, methodology_version FROM responses WHERE respondent_group = 'student' LIMIT 1").fetchone()
rows = (
    (campaign, schools[i % len(schools)], "student", "student", version[0], version[1], pool[i % len(pool)], "2026-11-01", f"bench-{i}")
    for i in range(n)
)
con.executemany(
    "INSERT INTO responses (campaign_id, school_id, respondent_group, instrument_key, instrument_version, methodology_version, answers, submitted_on, submission_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    rows,
)
totals = con.execute(
    "SELECT school_id, COUNT(*), MAX(id) FROM responses WHERE campaign_id = ? AND respondent_group = 'student' AND status = 'counted' GROUP BY school_id",
    (campaign,),
).fetchall()
for table, owner, owner_id in (("live_tallies", "campaign_id", campaign), ("published_tallies", "publication_id", publication)):
    con.executemany(
        f"INSERT INTO {table} ({owner}, school_id, respondent_group, fingerprint, responses, profile, quality, through_id) "
        "VALUES (?, ?, 'student', '', ?, '', '', ?) ON CONFLICT DO UPDATE SET fingerprint = '', responses = excluded.responses, through_id = excluded.through_id",
        [(owner_id, school, count, last) for (school, count, last) in totals],
    )
con.execute("UPDATE publications SET tallied = NULL WHERE id = ?", (publication,))
con.commit()
print(f"added {n} student responses")

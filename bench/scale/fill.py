#!/usr/bin/env python3
"""Grows the demo region of an Orientir database to a large region: SCHOOLS more schools (in a
new municipality), a current campaign `scale-2026` (open) where each answered 1 principal, 30
teachers, 600 students and 369 parents (1,000 responses), and an earlier campaign `scale-2025`
(closed) with a tenth of that, for the change page. Answers are varied and valid, drawn from the
instrument files; nothing is published. The rows are written as the server's insert writes them
(counted, no publication); their sums are then rebuilt with `orientir rescore`.

Usage: fill.py sqlite DB_PATH SCHOOLS | fill.py postgres DATABASE_URL SCHOOLS
(PostgreSQL through psql's COPY.)"""
import datetime
import io
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from answers import answers, instrument  # noqa: E402

backend, target, schools = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(13)
today = datetime.date.today()
CURRENT = {"principal": 1, "teacher": 30, "student": 600, "parent": 369}
EARLIER = {"principal": 1, "teacher": 3, "student": 60, "parent": 36}


instruments = {g: instrument(g) for g in CURRENT}
pools = {g: [answers(i, rng) for _ in range(300)] for g, i in instruments.items()}
versions = {g: i.get("version", 1) for g, i in instruments.items()}


def sql(query):
    """Runs SQL and returns the rows as tuples of strings."""
    if backend == "sqlite":
        import sqlite3
        con = sqlite3.connect(target)
        rows = con.execute(query).fetchall()
        con.commit()
        con.close()
        return [tuple(str(c) for c in r) for r in rows]
    out = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", target, "-c", query],
                         check=True, capture_output=True, text=True).stdout
    return [tuple(line.split("\t")) for line in out.splitlines() if line]


def copy(table, columns, rows):
    """Writes many rows into a table."""
    if backend == "sqlite":
        import sqlite3
        con = sqlite3.connect(target)
        marks = ", ".join("?" for _ in columns)
        con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        con.commit()
        con.close()
        return
    buffer = io.StringIO()
    for r in rows:
        buffer.write("\t".join("\\N" if v is None else str(v).replace("\\", "\\\\") for v in r) + "\n")
    subprocess.run(["psql", "-X", "-q", target, "-c", f"COPY {table} ({', '.join(columns)}) FROM STDIN"],
                   input=buffer.getvalue(), check=True, text=True)


(region,) = sql("SELECT id FROM regions ORDER BY id LIMIT 1")[0]
sql(f"INSERT INTO municipalities (region_id, code, name) VALUES ({region}, 'scale', 'Большой район')")
(municipality,) = sql("SELECT id FROM municipalities WHERE code = 'scale'")[0]
copy("schools", ["municipality_id", "code", "name"],
     [(municipality, f"scale-{i:04}", f"Школа № {i}") for i in range(schools)])
school_ids = [int(s) for (s,) in sql("SELECT id FROM schools WHERE code LIKE 'scale-%' ORDER BY id")]

(last,) = sql("SELECT COALESCE(MAX(id), 0) FROM responses")[0]
n = int(last)
for code, name, opens, closes, counts in [
    ("scale-2025", "Большой регион, 2025", today - datetime.timedelta(days=380), today - datetime.timedelta(days=340), EARLIER),
    ("scale-2026", "Большой регион, 2026", today - datetime.timedelta(days=20), today + datetime.timedelta(days=10), CURRENT),
]:
    sql(f"INSERT INTO campaigns (region_id, code, name, methodology_version, opens_on, closes_on, target_grades) "
        f"VALUES ({region}, '{code}', '{name}', 'orientir-2026', '{opens}', '{closes}', '5-11')")
    (campaign,) = sql(f"SELECT id FROM campaigns WHERE code = '{code}'")[0]
    copy("campaign_schools", ["campaign_id", "school_id", "expected_teachers", "expected_students", "expected_parents"],
         [(campaign, s, counts["teacher"], counts["student"], counts["parent"]) for s in school_ids])
    responses = []
    for s in school_ids:
        for group, count in counts.items():
            pool = pools[group]
            for _ in range(count):
                n += 1
                responses.append((n, campaign, s, group, group, versions[group], "orientir-2026", pool[rng.randrange(len(pool))],
                                  str(opens + datetime.timedelta(days=3)), f"scale-{n}", "counted"))
    copy("responses", ["id", "campaign_id", "school_id", "respondent_group", "instrument_key", "instrument_version",
                       "methodology_version", "answers", "submitted_on", "submission_key", "status"], responses)
    print(f"{code}: {len(school_ids)} schools, {len(responses)} responses")
if backend == "postgres":
    sql("SELECT setval(pg_get_serial_sequence('responses', 'id'), (SELECT MAX(id) FROM responses))")
    # As after any bulk load: fresh statistics for the planner.
    sql("ANALYZE")

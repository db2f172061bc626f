#!/usr/bin/env python3
"""Writes a region's year of educational results in Orientir's template layout: every school of
the database's first region × every assessment of the methodology's catalogue (52 in the default
set: 52,000 rows for 1,000 schools), counts varied by a per-school tendency and the year (seeded,
so that every run imports the same file).

Usage: gen.py sqlite DB_PATH YEAR OUT.csv | gen.py postgres DATABASE_URL YEAR OUT.csv"""
import csv
import random
import subprocess
import sys
import tomllib
from pathlib import Path

backend, target, year, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
catalogue = tomllib.loads(
    (Path(__file__).resolve().parents[2] / "surveys/data/orientir-2026/assessments.toml").read_text())
assessments = catalogue["assessment"]

query = ("SELECT s.code FROM schools s JOIN municipalities m ON m.id = s.municipality_id "
         "WHERE m.region_id = (SELECT MIN(id) FROM regions) ORDER BY s.code")
if backend == "sqlite":
    import sqlite3
    codes = [r[0] for r in sqlite3.connect(target).execute(query)]
else:
    codes = subprocess.run(["psql", "-X", "-At", target, "-c", query], check=True,
                           capture_output=True, text=True).stdout.split()

with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["assessment", "school_code", "school_name", "participants", "mark2", "mark3", "mark4",
                "mark5", "below_pass", "mean_score", "lowered", "confirmed", "raised"])
    for code in codes:
        tendency = random.Random(code).random()
        rng = random.Random(f"{code}-{year}")
        for a in assessments:
            n = rng.randint(3, 60)
            fail = max(0.0, min(0.9, 0.02 + 0.3 * tendency + rng.uniform(-0.05, 0.05)))
            two = round(n * fail)
            three = round((n - two) * 0.5)
            four = round((n - two - three) * 0.6)
            five = n - two - three - four
            lowered = round(n * rng.uniform(0.0, 0.35))
            raised = round((n - lowered) * rng.uniform(0.0, 0.1))
            if "max_score" in a:
                w.writerow([a["key"], code, "", n, "", "", "", "", two, round(70 - 30 * tendency, 1),
                            "", "", ""])
            else:
                w.writerow([a["key"], code, "", n, two, three, four, five, "", "", lowered,
                            n - lowered - raised, raised])
print(f"{out}: {len(codes)} schools × {len(assessments)} assessments = {len(codes) * len(assessments)} rows")

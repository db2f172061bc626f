#!/usr/bin/env python3
"""Grows the demo region of an Orientir database (after `orientir demo`) to SCHOOLS more schools
(in a new municipality, split among 80 curators) with the support work of issue 26's scale: per
school 10 questions (each with 2 messages), 4 visits, 8 recommendations and 3 event registrations
(over 30 regional events), each with its history line; and MAILS waiting mails in the queue.

Usage: fill.py sqlite DB_PATH SCHOOLS MAILS | fill.py postgres DATABASE_URL SCHOOLS MAILS"""
import datetime
import io
import random
import subprocess
import sys

backend, target, schools, mails = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(26)
today = datetime.date.today()
now = int(datetime.datetime.now().timestamp())


def sql(query):
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
    if not rows:
        return
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


def day(offset):
    return (today + datetime.timedelta(days=offset)).isoformat()


def next_id(table):
    (last,) = sql(f"SELECT COALESCE(MAX(id), 0) FROM {table}")[0]
    return int(last) + 1


(region,) = sql("SELECT id FROM regions ORDER BY id LIMIT 1")[0]
sql(f"INSERT INTO municipalities (region_id, code, name) VALUES ({region}, 'support', 'Район поддержки')")
(municipality,) = sql("SELECT id FROM municipalities WHERE code = 'support'")[0]
copy("schools", ["municipality_id", "code", "name"], [(municipality, f"sup-{i:04}", f"Школа поддержки № {i}") for i in range(schools)])
school_ids = [int(s) for (s,) in sql("SELECT id FROM schools WHERE code LIKE 'sup-%' ORDER BY id")]
(hash_,) = sql("SELECT password_hash FROM users WHERE login = 'curator'")[0]
uid = next_id("users")
curators = list(range(uid, uid + 80))
copy("users", ["id", "login", "display_name", "password_hash", "active", "created_on"],
     [(u, f"bench-curator-{u}", f"Куратор {u}", hash_, True, today.isoformat()) for u in curators])
copy("user_roles", ["user_id", "role", "region_id"], [(u, "curator", region) for u in curators])
copy("curator_schools", ["user_id", "school_id"], [(curators[i % 80], s) for i, s in enumerate(school_ids)])
(school_user,) = sql("SELECT id FROM users WHERE login = 'school'")[0]

q_id, m_id, v_id, r_id, h_id = next_id("questions"), next_id("question_messages"), next_id("visits"), next_id("recommendations"), next_id("support_history")
questions, messages, visits, recs, history = [], [], [], [], []
statuses = ["new", "answered", "closed"]
for i, s in enumerate(school_ids):
    curator = curators[i % 80]
    for k in range(10):
        status = statuses[k % 3]
        asked = now - rng.randint(1, 90) * 86400
        questions.append((q_id, s, school_user, f"RF0{k % 9 + 1}", None, f"Вопрос {k} школы {s}", status, asked,
                          day(rng.randint(-20, 5)), asked + 86400 if status != "new" else None, asked, False, "", "", None))
        messages.append((m_id, q_id, school_user, "school", "Текст вопроса", asked))
        messages.append((m_id + 1, q_id, curator, "curator", "Текст ответа", asked + 86400))
        history.append((h_id, "question", q_id, s, school_user, asked, "asked", ""))
        q_id, m_id, h_id = q_id + 1, m_id + 2, h_id + 1
    for k in range(4):
        d = rng.randint(-120, 30)
        status = "held" if d < 0 else "planned"
        visits.append((v_id, s, curator, day(d), "on_site", status, 1, 1, 5, 0, "Цель визита", "Выводы", now))
        history.append((h_id, "visit", v_id, s, curator, now + d * 86400, "visit_held" if d < 0 else "visit_planned", ""))
        for j in range(2):
            recs.append((r_id, v_id, s, curator, "Рекомендация", day(rng.randint(-30, 60)), "teachers",
                         ["open", "in_progress", "done", "accepted"][(k + j) % 4], "", None, now))
            r_id += 1
        v_id, h_id = v_id + 1, h_id + 1
copy("questions", ["id", "school_id", "user_id", "factor", "measure_id", "title", "status", "asked_at", "due_on", "answered_at",
                   "last_at", "published", "kb_question", "kb_answer", "published_at"], questions)
copy("question_messages", ["id", "question_id", "user_id", "role", "body", "at"], messages)
copy("visits", ["id", "school_id", "user_id", "day", "mode", "status", "principals", "deputies", "teachers", "others",
                "purpose", "findings", "created_at"], visits)
copy("recommendations", ["id", "visit_id", "school_id", "user_id", "body", "due_on", "responsible", "status", "answer",
                         "answered_at", "created_at"], recs)
(regional,) = sql("SELECT id FROM users WHERE login = 'region'")[0]
e_id = next_id("events")
events = [(e_id + k, region, None, regional, f"Семинар {k}", "seminar", day(k * 3 - 45), day(k * 3 - 45), "", "", "",
           False, False, 0, "", now) for k in range(30)]
copy("events", ["id", "region_id", "municipality_id", "user_id", "title", "format", "starts_on", "ends_on", "description",
                 "cohort", "factors", "feedback_open", "feedback_closed", "feedback_count", "feedback_sums", "created_at"], events)
registrations = []
for i, s in enumerate(school_ids):
    for k in range(3):
        registrations.append((e_id + (i + k * 7) % 30, s, now, now, 1, 0, 3, 0, None))
copy("event_schools", ["event_id", "school_id", "invited_at", "registered_at", "reg_principals", "reg_deputies",
                       "reg_teachers", "reg_others", "attended"], registrations)
copy("support_history", ["id", "kind", "owner_id", "school_id", "user_id", "at", "action", "detail"], history)
copy("mail_queue", ["key", "user_id", "to_addr", "subject", "body", "state", "attempts", "next_at", "created_at"],
     [(f"bench:{k}", school_user, f"school{k % 50}@example.ru", "Ориентир: уведомление", "Текст уведомления\nhttps://orientir.example.ru/work", "waiting", 0, now, now) for k in range(mails)])
print(f"{len(school_ids)} schools, {len(questions)} questions, {len(visits)} visits, {len(recs)} recommendations, "
      f"{len(registrations)} registrations, {mails} mails waiting")

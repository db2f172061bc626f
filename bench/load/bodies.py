#!/usr/bin/env python3
"""Writes one body per page of an instrument (valid answers, varied by a seed) so that the load
scripts can fill whole questionnaires: urlencoded form fields, as a browser posts them (with or
without the wasm: the live page posts the same form).
Usage: bodies.py INSTRUMENT OUT_FILE [N]"""
import random
import sys
import tomllib
import urllib.parse
from pathlib import Path

data = Path(__file__).resolve().parents[2] / "surveys" / "data" / "orientir-2026"
instrument = tomllib.loads((data / f"{sys.argv[1]}.toml").read_text())
lists = tomllib.loads((data / "choices.toml").read_text())["list"]
variants = int(sys.argv[3]) if len(sys.argv) > 3 else 20
rng = random.Random(7)

with open(sys.argv[2], "w") as out:
    for variant in range(variants):
        pages = []
        for section in instrument["section"]:
            fields = []
            for item in section["items"]:
                if item.get("show_if"):
                    continue
                keys = [f'{item["key"]}.{r["key"]}' for r in item.get("rows", [])] or [item["key"]]
                for key in keys:
                    if item["type"] in ("integer", "decimal"):
                        fields.append((key, str(rng.randint(int(item["min"]), int(item["max"])))))
                    elif item["type"] == "text":
                        continue
                    else:
                        choices = [c for c in lists[item["choices"]]["choices"] if not c.get("exclusive")]
                        fields.append((key, rng.choice(choices)["value"]))
            fields.append(("_go", "next"))
            pages.append(urllib.parse.urlencode(fields))
        out.write("\t".join(pages) + "\n")

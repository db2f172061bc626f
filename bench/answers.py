"""Varied valid answers to an instrument of the default methodology, as the benchmarks' fillers
store them: every item that is always shown, a random choice (a list for a multiple choice) or a
number within bounds."""
import json
import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "surveys" / "data" / "orientir-2026"
LISTS = tomllib.loads((DATA / "choices.toml").read_text())["list"]


def instrument(key):
    return tomllib.loads((DATA / f"{key}.toml").read_text())


def answers(instrument, rng):
    out = {}
    for section in instrument["section"]:
        for item in section["items"]:
            if item.get("show_if") or item["type"] == "text":
                continue
            keys = [f'{item["key"]}.{r["key"]}' for r in item.get("rows", [])] or [item["key"]]
            for key in keys:
                if item["type"] in ("integer", "decimal"):
                    out[key] = str(rng.randint(int(item.get("min", 0)), int(min(item.get("max", 100), 2000))))
                else:
                    choices = [c for c in LISTS[item["choices"]]["choices"] if not c.get("exclusive")]
                    picked = rng.choice(choices)["value"]
                    out[key] = [picked] if item["type"] == "multiple" else picked
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))

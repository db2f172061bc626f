#!/usr/bin/env python3
"""Minifies a stylesheet in place for the release bundle: comments go, whitespace collapses
around braces, semicolons, commas, child combinators and after a declaration's colon (the
stylesheet is on every respondent's first visit, with its byte budget).

Usage: scripts/minify_css.py FILE
"""
import re
import sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    css = f.read()
css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
css = re.sub(r"\s+", " ", css)
css = re.sub(r"\s*([{};,>])\s*", r"\1", css)
css = re.sub(r":\s+", ":", css)
css = css.replace(";}", "}").strip() + "\n"
with open(path, "w", encoding="utf-8") as f:
    f.write(css)

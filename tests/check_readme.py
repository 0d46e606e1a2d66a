#!/usr/bin/python3
"""Fails when the README's DSN reference differs from what the keyword table generates."""
import subprocess
import sys

gen, readme = sys.argv[1], sys.argv[2]
ref = subprocess.run([gen], check=True, capture_output=True, text=True).stdout.strip()
text = open(readme, encoding="utf-8").read()
begin, end = "<!-- BEGIN DSN REFERENCE -->", "<!-- END DSN REFERENCE -->"
section = text.split(begin, 1)[1].split(end, 1)[0].strip()
if section != ref:
    print("README.md's DSN reference is stale: run docs/update-readme.sh")
    sys.exit(1)
print("README DSN reference matches the keyword table")

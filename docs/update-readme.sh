#!/bin/bash
# Regenerates the README's DSN reference from the keyword table (setup/keywords.cc).
# Usage: docs/update-readme.sh [path/to/lakebase-dsn-reference]
set -euo pipefail
cd "$(dirname "$0")/.."
gen=${1:-}
if [ -z "$gen" ]; then
  gen=$(ls -t build*/setup/lakebase-dsn-reference 2>/dev/null | head -1 || true)
fi
[ -x "$gen" ] || { echo "build lakebase-dsn-reference first (cmake --build build)"; exit 1; }
/usr/bin/python3 - "$gen" README.md <<'PY'
import subprocess, sys
gen, path = sys.argv[1], sys.argv[2]
ref = subprocess.run([gen], check=True, capture_output=True, text=True).stdout.strip()
text = open(path, encoding="utf-8").read()
begin, end = "<!-- BEGIN DSN REFERENCE -->", "<!-- END DSN REFERENCE -->"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(path, "w", encoding="utf-8").write(head + begin + "\n" + ref + "\n" + end + tail)
PY
echo "README.md updated from $gen"

#!/usr/bin/env bash
# Write the seeds' outputs (extract JSON Lines, every export) into DIR, to compare two versions
# byte for byte:  scripts/snapshot.sh /tmp/a; (change code); scripts/snapshot.sh /tmp/b; diff -r /tmp/a /tmp/b
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/snapshot.sh DIR}
PY=${PY:-.venv/bin/python}
mkdir -p "$out"
"$PY" -m geo extract seeds --out "$out/extract" > /dev/null
# the manifest names its run (id and time): compare a copy with those masked
sed -E 's/"(run_id|created_at)": "[^"]*"/"\1": "-"/' "$out/extract/manifest.json" > "$out/extract-manifest.masked.json"
for layer in county points both; do
  "$PY" -m geo export seeds --layer $layer --format geojson --out "$out/$layer.geojson" > /dev/null
done
"$PY" -m geo export seeds --layer points --format csv --out "$out/points.csv" > /dev/null
"$PY" -m geo export seeds --layer mentions --format csv --out "$out/mentions.csv" > /dev/null
"$PY" -m geo export seeds --layer both --format html --out "$out/map.html" > /dev/null
# the standalone map names its elements with random ids: compare it with those ids masked
sed -E "s/_[0-9a-f]{32}/_ID/g" "$out/map.html" > "$out/map.masked.html" && rm "$out/map.html"
(cd "$out" && find . -type f ! -name SHA256SUMS ! -path ./extract/manifest.json ! -name '.*.lock' | sort | xargs sha256sum > SHA256SUMS)
echo "snapshot in $out"

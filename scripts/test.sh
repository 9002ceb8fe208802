#!/usr/bin/env bash
# README command 2: set up (if needed, with chromium) and run every test.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not browser" for the quick subset.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser || exit 1
.venv/bin/python -m pytest -ra "$@"
rc=$?
if [ $rc -eq 5 ]; then
  echo "pytest collected no tests: treating that as a failure" >&2
  exit 1
fi
exit $rc

#!/usr/bin/env bash
# README command 2: set up (if needed, with chromium), check the house (ruff, mypy, import-linter)
# and run every test, slow and browser ones included. Extra arguments go to pytest, e.g.
# scripts/test.sh -m "not browser". The quick subset alone: .venv/bin/python -m pytest
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser || exit 1
fail=0
echo "== ruff";          .venv/bin/ruff check geo app.py tests bench && .venv/bin/ruff format --check geo app.py tests || fail=1
echo "== mypy";          .venv/bin/mypy || fail=1
echo "== import-linter"; .venv/bin/lint-imports --no-cache || fail=1
echo "== pytest"
.venv/bin/python -m pytest -ra -m "" "$@"
rc=$?
if [ $rc -eq 5 ]; then
  echo "pytest collected no tests: treating that as a failure" >&2
  rc=1
fi
[ $fail -ne 0 ] && [ $rc -eq 0 ] && rc=1
exit $rc

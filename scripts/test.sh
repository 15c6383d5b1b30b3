#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite. This is the command the README and CI use.
#   bash scripts/test.sh          everything (CI)
#   bash scripts/test.sh --fast   the tests that load no model (spaCy, ONNX): about a minute
set -euo pipefail
cd "$(dirname "$0")/.."
FAST=0
if [ "${1:-}" = "--fast" ]; then
  FAST=1
  shift
fi
bash scripts/setup.sh
# PySpark for the `newsift spark` tests (they skip where Java is missing).
.venv/bin/python -m pip install --quiet -e '.[spark]'
lint() {
  .venv/bin/python -m ruff check src tests bench scripts
  .venv/bin/python -m ruff format --check src tests bench scripts
  .venv/bin/python -m mypy
}
if [ "$FAST" = 1 ]; then
  lint
  NEWSIFT_FAST=1 exec .venv/bin/python -m pytest -q -m "not slow" "$@"
fi
if [ -f scripts/setup-browser.sh ]; then
  bash scripts/setup-browser.sh || echo "browser set-up failed: end-to-end tests will skip" >&2
fi
lint
.venv/bin/python -m pytest -q "$@"

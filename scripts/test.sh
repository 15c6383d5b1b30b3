#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite. This is the command the README and CI use.
#   bash scripts/test.sh          everything (CI)
#   bash scripts/test.sh --fast   the tests that load no model (spaCy, ONNX), on every core: under a
#                                 minute on 2 cores
set -euo pipefail
cd "$(dirname "$0")/.."
FAST=0
if [ "${1:-}" = "--fast" ]; then
  FAST=1
  shift
fi
# PySpark for the `newsift spark` tests (they skip where Java is missing).
NEWSIFT_SETUP_EXTRAS="dev,spark" bash scripts/setup.sh
lint() {
  .venv/bin/python -m ruff check src tests bench scripts
  .venv/bin/python -m ruff format --check src tests bench scripts
  .venv/bin/python -m mypy
}
if [ "$FAST" = 1 ]; then
  lint
  # one worker per core (pytest-xdist), each test module on one worker so that its
  # module-scoped fixtures are built once
  NEWSIFT_FAST=1 exec .venv/bin/python -m pytest -q -m "not slow" -n auto --dist loadscope "$@"
fi
if [ -f scripts/setup-browser.sh ]; then
  bash scripts/setup-browser.sh || echo "browser set-up failed: end-to-end tests will skip" >&2
fi
lint
.venv/bin/python -m pytest -q "$@"

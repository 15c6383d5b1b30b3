#!/usr/bin/env bash
# The long fuzzing run: every property test (marked `fuzz`) with 10,000 examples each.
# The normal test run (scripts/test.sh) runs the same tests with a small, fixed budget.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
NEWSIFT_HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest -q -m fuzz -p no:cacheprovider "$@"

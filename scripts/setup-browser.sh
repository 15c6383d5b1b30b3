#!/usr/bin/env bash
# Install headless Chromium and its driver for the end-to-end web tests (tests/e2e), when missing.
# Debian/Ubuntu only (apt-get), as root or with password-less sudo. Without them the e2e tests skip
# and say why; nothing else depends on this.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-browser: no apt-get here; install Chromium and chromedriver yourself to run tests/e2e" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "setup-browser: not root and no password-less sudo; tests/e2e will skip" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null

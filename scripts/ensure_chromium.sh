#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the Playwright browser tests (no browser download).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: installing Debian's chromium" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "ensure_chromium: /usr/bin/chromium is missing; install Debian's chromium package (apt-get install chromium)" >&2
exit 1

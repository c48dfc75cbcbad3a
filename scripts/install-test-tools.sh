#!/usr/bin/env bash
# System tools the test suite needs: Debian's Chromium (browser tests through Playwright; never
# a downloaded browser) and poppler-utils (pdftoppm turns handout PDFs into PNGs to check).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium chromium-driver)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "install-test-tools: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
  "${missing[@]}" >/dev/null

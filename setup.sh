#!/usr/bin/env bash
# Set up stj-extract on a fresh Debian machine: system packages (Tesseract with Dutch, fonts, and headless Chromium
# for the audit page's tests), a virtualenv in .venv, the package and its tests' extras.
set -euo pipefail
cd "$(dirname "$0")"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
need_apt=0
for bin in tesseract pdftoppm chromium chromedriver; do command -v "$bin" >/dev/null 2>&1 || need_apt=1; done
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt=1
for lang in nld osd; do  # Dutch, and orientation detection (pages scanned sideways or upside down)
  if command -v tesseract >/dev/null 2>&1 && ! tesseract --list-langs 2>/dev/null | grep -qx "$lang"; then need_apt=1; fi
done
if [ "$need_apt" -eq 1 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    python3-venv tesseract-ocr tesseract-ocr-nld tesseract-ocr-osd poppler-utils fonts-dejavu-core chromium chromium-driver >/dev/null
fi
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e ".[test]" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import extract" 

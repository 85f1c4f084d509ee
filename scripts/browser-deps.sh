#!/usr/bin/env bash
# Installs Debian's Chromium and the Noto CJK fonts for the browser tests, and LibreOffice and
# poppler-utils for the report tests, when missing.
# Playwright drives this Chromium (executable_path); it never downloads a browser of its own.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
# Report tests convert DOCX/XLSX headless with LibreOffice and read PDFs with pdffonts/pdftotext.
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "Browser tests need: ${need[*]} (apt-get install as root)." >&2
  exit 1
fi
SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
echo "Installing ${need[*]} from Debian's packages…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null

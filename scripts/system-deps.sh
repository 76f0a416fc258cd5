#!/usr/bin/env bash
# System packages the toolkit needs outside Python:
#   - a CJK font (report, charts, PDF): Debian/Ubuntu package fonts-noto-cjk
#   - Pango (WeasyPrint renders the PDF with it): libpango-1.0-0, libpangoft2-1.0-0
#   - HarfBuzz's subsetter (WeasyPrint subsets the embedded fonts with it; without it
#     fontTools does, about 3x slower and with warnings): libharfbuzz-subset0
# On Debian or Ubuntu as root, missing ones are installed with apt-get; elsewhere this
# prints exactly what to install. Takes well under a second when nothing is missing.
# TOOLKIT_WITH_TEST_TOOLS=1 also installs what the tests use: poppler-utils, chromium,
# a Java runtime (default-jre-headless) for the Spark engine's tests, and LibreOffice
# Writer (libreoffice-writer-nogui: soffice) for the intake's test of a converted form and the
# official documents' layout rendered to PDF (tests/test_outputs_final_official.py).
set -euo pipefail

missing=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

if ! fc-list :lang=zh 2>/dev/null | grep -q .; then missing+=(fonts-noto-cjk); fi
if ! command -v fc-list >/dev/null 2>&1; then missing+=(fontconfig); fi
if ! have_lib libpango-1.0.so.0; then missing+=(libpango-1.0-0); fi
if ! have_lib libpangoft2-1.0.so.0; then missing+=(libpangoft2-1.0-0); fi
if ! have_lib libharfbuzz-subset.so.0; then missing+=(libharfbuzz-subset0); fi
if [ "${TOOLKIT_WITH_TEST_TOOLS:-0}" = 1 ]; then
  command -v pdffonts >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

debian=0
if [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; then debian=1; fi

if [ "$debian" = 1 ] && [ "$(id -u)" = 0 ]; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
  exit 0
fi

echo "MISSING system packages: ${missing[*]}" >&2
if [ "$debian" = 1 ]; then
  echo "  install them with:  sudo apt-get install ${missing[*]}" >&2
else
  echo "  a CJK font (Noto Sans CJK SC, Microsoft YaHei, SimHei, PingFang SC or WenQuanYi)" >&2
  echo "  and Pango (for the PDF; see WeasyPrint's installation notes)." >&2
  echo "  Windows/macOS users with conda: conda env create -f environment.yml" >&2
fi
echo "  The HTML report works without them; the PDF and the charts' Chinese labels do not." >&2
exit 0

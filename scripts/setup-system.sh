#!/usr/bin/env bash
# Installs the Debian packages the browser tests, the PDF and the fonts need, when missing.
# Run by `make deps` (a prerequisite of test, pdf and release). As root it uses apt-get,
# otherwise sudo when that works without a password prompt; else it prints the one command
# to run and fails. Nothing is downloaded outside Debian's packages.
set -euo pipefail

# package  how we know it is there
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# (grep reads all of fc-list: with -q it would stop early, fc-list would die of SIGPIPE and
# pipefail would count the fonts as missing, so every `make test` ran apt-get again)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || missing+=(fonts-noto-cjk)
command -v pdffonts >/dev/null 2>&1 || missing+=(poppler-utils)
# WeasyPrint loads Pango and HarfBuzz's subsetter through cffi.
for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do
  dpkg -s "$lib" >/dev/null 2>&1 || missing+=("$lib")
done

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing[*]}"
if [ "$(id -u)" = 0 ]; then
  echo "installing Debian packages: ${missing[*]}" >&2
  sh -c "$cmd" >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "installing Debian packages with sudo: ${missing[*]}" >&2
  sudo -n sh -c "$cmd" >/dev/null
else
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "run as root, then try again:  sudo sh -c '$cmd'" >&2
  exit 1
fi

#!/usr/bin/env bash
# Installs the Debian packages Ferry builds and tests with, if any is missing.
# Needs root (or sudo) only when something must be installed.
set -euo pipefail

packages=(freetds-dev freetds-bin librdkafka-dev libpq-dev libsqlite3-dev postgresql postgresql-client pkg-config)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "scripts/install-deps.sh: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "scripts/install-deps.sh: run as root or install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# The main job on the embedded defaults: a local PostgreSQL (scripts/postgres.sh) and the embedded
# event log in .ferry/. Extra arguments go to `ferry demo` (e.g. --events 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/swift-env.sh
scripts/install-deps.sh
target="$(scripts/postgres.sh start)"
swift build -c release --product ferry
mkdir -p .ferry
exec .build/release/ferry demo --log .ferry/demo.log --target "$target" "$@"

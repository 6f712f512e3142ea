#!/usr/bin/env bash
# Runs every test: installs missing system packages, starts the test PostgreSQL cluster
# (scripts/postgres.sh), builds, and runs the Swift Testing suites. Extra arguments go to
# `swift test` (e.g. --filter PostgresTests).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/swift-env.sh
scripts/install-deps.sh
FERRY_TEST_POSTGRES_URL="$(scripts/postgres.sh start)"
export FERRY_TEST_POSTGRES_URL
swift build --build-tests
swift test --skip-build "$@"

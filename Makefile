# The two entry points the README starts with, and a few more.
.PHONY: run test build benchmark postgres-start postgres-stop clean

## Runs the main job on the embedded defaults (local PostgreSQL, embedded event log).
run:
	scripts/run.sh

## Runs every test (installs system packages, starts the test PostgreSQL cluster).
test:
	scripts/test.sh

build:
	scripts/install-deps.sh && swift build

## Prints event-log throughput (embedded log and Kafka producer, 1 KiB records).
benchmark:
	scripts/install-deps.sh && swift run -c release ferry-benchmark

postgres-start:
	scripts/postgres.sh start

postgres-stop:
	scripts/postgres.sh stop

clean:
	rm -rf .build .ferry

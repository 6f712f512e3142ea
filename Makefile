# The two entry points the README starts with, and a few more.
.PHONY: run demo test build benchmark postgres-start postgres-stop clean

## The HumanResources walkthrough end to end (emulator, convert, ferry run full-load-and-cdc,
## an insert and an ADD COLUMN, status, validate) on a local PostgreSQL and the embedded log; exits.
run:
	scripts/run.sh

## Synthetic change events through the embedded log into PostgreSQL (no SQL Server needed).
demo:
	scripts/install-deps.sh && swift build -c release --product ferry && mkdir -p .ferry && \
	  .build/release/ferry demo --log .ferry/demo.log --target "$$(scripts/postgres.sh start)"

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

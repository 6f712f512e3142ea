#!/usr/bin/env bash
# `make run`: the HumanResources migration walkthrough end to end, on one machine, then exit.
#
#   1. a local PostgreSQL (scripts/postgres.sh) and release builds of ferry and sqlserver-emulator;
#   2. sqlserver-emulator seeded with AdventureWorks2014.HumanResources, on its own PostgreSQL
#      database, capture job every 500 ms;
#   3. CDC enabled on the database and every HumanResources table through tsql, as a DBA would;
#   4. ferry convert --apply into adventureworks2014_humanresources, assessment in .ferry/assessment.html;
#   5. ferry run --migration-type full-load-and-cdc with examples/hr-walkthrough's DMS files, unchanged;
#   6. the full load applied, a department inserted, a column added and set on the source — each
#      waited for in the target;
#   7. ferry status and ferry validate; everything stopped with SIGTERM.
#
# Exit status 0, or 1 with the step that failed. Re-running starts from scratch: the two
# databases, the event log and the reports of the previous run are removed first.
# Environment: FERRY_EMULATOR_PORT (default 14330), FERRY_PG_PORT (see scripts/postgres.sh),
# FERRY_WALKTHROUGH_TIMEOUT seconds per wait (default 180).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/swift-env.sh

port="${FERRY_EMULATOR_PORT:-14330}"
password='Passw0rd!'
timeout="${FERRY_WALKTHROUGH_TIMEOUT:-180}"
database=AdventureWorks2014
schema=adventureworks2014_humanresources
emulator_database=ferry_walkthrough_emulator
target_database=ferry_walkthrough
task=examples/hr-walkthrough
work=.ferry
log_file="$work/walkthrough.log"
source_url="sqlserver://sa:$password@127.0.0.1:$port/$database"

step_name="start"
emulator_pid=""
run_pid=""

step() {
  step_name="$1"
  printf '\n==> %s\n' "$1"
}

stop_process() { # pid name
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "make run: $2 did not stop within 30 s of SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

on_exit() {
  local status=$?
  stop_process "$run_pid" "ferry run"
  stop_process "$emulator_pid" "sqlserver-emulator"
  if [ "$status" -ne 0 ]; then
    echo >&2
    echo "make run: FAILED at step '$step_name' (exit status $status)" >&2
    for file in "$work/run.log" "$work/emulator.log"; do
      [ -s "$file" ] && { echo "--- last lines of $file:" >&2; tail -n 20 "$file" >&2; }
    done
  fi
  exit "$status"
}
trap on_exit EXIT

# T-SQL through tsql, as a DBA would type it; prints result rows tab-separated, no headers.
# Fails when the batch reports an error (tsql prints "Msg N, Level L" for those).
sql() { # database statement
  local out
  out=$(printf '%s\ngo\n' "$2" | TDSVER=7.4 tsql -H 127.0.0.1 -p "$port" -U sa -P "$password" -D "$1" -o fhq 2>&1) || {
    echo "$out" >&2; return 1; }
  if grep -qE '^Msg [0-9]+, Level (1[1-9]|2[0-9])' <<<"$out"; then echo "$out" >&2; return 1; fi
  grep -vE '^(locale|using default charset|Setting .* as default database|Changed database context|[0-9]+>|\s*$)' <<<"$out" || true
}

target_sql() {
  psql "$target_url" -v ON_ERROR_STOP=1 -qtAX -c "$1"
}

wait_for() { # description command...
  local description=$1
  shift
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "make run: gave up after ${timeout} s waiting for $description" >&2; return 1; fi
    if [ -n "$run_pid" ] && ! kill -0 "$run_pid" 2>/dev/null; then echo "make run: ferry run exited while waiting for $description" >&2; return 1; fi
    sleep 0.5
  done
}

step "install system packages"
scripts/install-deps.sh

step "start the local PostgreSQL"
admin_url="$(scripts/postgres.sh start)"
admin_url="${admin_url%/*}/postgres"
target_url="${admin_url%/*}/$target_database"
emulator_url="${admin_url%/*}/$emulator_database"

step "reset what an earlier run created"
mkdir -p "$work"
rm -f "$work"/adventureworks2014.log* "$work/assessment.html" "$work/run.log" "$work/emulator.log" "$log_file"
for db in "$target_database" "$emulator_database"; do
  psql "$admin_url" -qtAX -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
done

step "build ferry and sqlserver-emulator (release)"
swift build -c release --product ferry
swift build -c release --product sqlserver-emulator
ferry=.build/release/ferry

step "start sqlserver-emulator on 127.0.0.1:$port with the HumanResources sample"
.build/release/sqlserver-emulator --listen "127.0.0.1:$port" --postgres "$emulator_url" --seed humanresources \
  --capture-interval-ms 500 >"$work/emulator.log" 2>&1 &
emulator_pid=$!
emulator_ready() { sql master "SELECT 1" >/dev/null 2>&1; }
wait_for "the emulator to accept logins" emulator_ready

step "enable CDC on $database and every HumanResources table"
tables=$(sql "$database" "SELECT t.name FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id WHERE s.name = N'HumanResources' ORDER BY t.name")
[ -n "$tables" ] || { echo "no HumanResources tables in $database" >&2; exit 1; }
sql "$database" "EXEC sys.sp_cdc_enable_db" >/dev/null
for table in $tables; do
  sql "$database" "EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'$table', @role_name = NULL" >/dev/null
  echo "  HumanResources.$table"
done

step "ferry convert: create $schema in the target, assessment report in $work/assessment.html"
"$ferry" convert --source "$source_url" --target "$target_url" --table-mappings "$task/table_mappings.json" \
  --task-settings "$task/task_settings.json" --apply --report "$work/assessment.html"

step "ferry run --migration-type full-load-and-cdc (log: $work/adventureworks2014.log, output: $work/run.log)"
"$ferry" run --source "$source_url" --target "$target_url" --task-settings "$task/task_settings.json" \
  --table-mappings "$task/table_mappings.json" --migration-type full-load-and-cdc --log "$work/adventureworks2014.log" \
  --poll-interval-ms 200 --max-idle-ms 1000 --progress lines --progress-interval-ms 1000 >"$work/run.log" 2>&1 &
run_pid=$!

step "wait until the full load is applied"
declare -A source_rows
for table in $tables; do
  source_rows[$table]=$(sql "$database" "SELECT COUNT(*) FROM HumanResources.[$table]")
done
full_load_applied() {
  local table rows
  for table in $tables; do
    rows=$(target_sql "SELECT full_load_rows FROM ferry.table_statistics WHERE source_table = '$database.HumanResources.$table'" 2>/dev/null) || return 1
    [ "${rows:-0}" = "${source_rows[$table]}" ] || { [ "${source_rows[$table]}" = 0 ] && [ -z "$rows" ]; } || return 1
  done
}
wait_for "the full load" full_load_applied
for table in $tables; do printf '  HumanResources.%-28s %6s rows\n' "$table" "${source_rows[$table]}"; done

step "insert department ('Operations', 'Operations') on the source"
sql "$database" "INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Operations', N'Operations')" >/dev/null
department_arrived() {
  [ "$(target_sql "SELECT count(*) FROM $schema.department WHERE name = 'Operations'")" = 1 ] &&
    [ "$(target_sql "SELECT inserts FROM ferry.table_statistics WHERE source_table = '$database.HumanResources.Department'")" -ge 1 ]
}
wait_for "the new department in the target" department_arrived
echo "  in the target: $(target_sql "SELECT departmentid || ' ' || name || ' ' || groupname FROM $schema.department WHERE name = 'Operations'")"

step "ALTER TABLE HumanResources.Department ADD GroupNumber int NULL"
sql "$database" "ALTER TABLE HumanResources.Department ADD GroupNumber int NULL" >/dev/null
column_arrived() {
  [ "$(target_sql "SELECT count(*) FROM information_schema.columns WHERE table_schema = '$schema' AND table_name = 'department' AND column_name = 'groupnumber'")" = 1 ] &&
    [ "$(sql "$database" "SELECT COUNT(*) FROM cdc.captured_columns WHERE column_name = N'GroupNumber'")" -ge 1 ]
}
# The source switches to a capture instance with the new column (ferry run --capture-instance-rotation auto);
# an UPDATE before that switch would be captured without GroupNumber, as on SQL Server.
wait_for "the new column in the target and in a capture instance" column_arrived
echo "  target column: $schema.department.groupnumber"

step "UPDATE HumanResources.Department SET GroupNumber = 7 WHERE Name = N'Operations'"
sql "$database" "UPDATE HumanResources.Department SET GroupNumber = 7 WHERE Name = N'Operations'" >/dev/null
value_arrived() {
  [ "$(target_sql "SELECT groupnumber FROM $schema.department WHERE name = 'Operations'")" = 7 ] &&
    [ "$(target_sql "SELECT ddls FROM ferry.table_statistics WHERE source_table = '$database.HumanResources.Department'")" -ge 1 ]
}
wait_for "GroupNumber = 7 in the target" value_arrived

step "ferry status"
"$ferry" status --target "$target_url"

step "ferry validate"
"$ferry" validate --source "$source_url" --target "$target_url" --table-mappings "$task/table_mappings.json" \
  --task-settings "$task/task_settings.json"

step "stop ferry run and the emulator (SIGTERM)"
kill -TERM "$run_pid"
run_status=0
wait "$run_pid" || run_status=$?
run_pid=""
[ "$run_status" -eq 0 ] || { echo "ferry run exited with status $run_status after SIGTERM" >&2; exit 1; }
tail -n 1 "$work/run.log"
stop_process "$emulator_pid" "sqlserver-emulator"
emulator_pid=""

step_name="done"
printf '\nThe walkthrough ran end to end. Target: %s (schema %s); assessment: %s; ferry run output: %s\n' \
  "$target_url" "$schema" "$work/assessment.html" "$work/run.log"

/// The PostgreSQL side of change data capture, kept in `sqlserver_catalog` next to the catalog.
///
/// How a change travels (SQL Server's log reader, reproduced on PostgreSQL):
/// 1. Each tracked table has row triggers (`cdc_row`) that write the before and after images
///    (`to_jsonb(OLD/NEW)`), the statement's command id and the operation into `cdc_pending`, in the
///    same PostgreSQL transaction as the data: rolled-back work leaves nothing, a crash loses nothing.
/// 2. A deferred constraint trigger on `cdc_pending` runs at COMMIT: under a short advisory lock
///    (``commitLock``, released before the commit's WAL flush, so concurrent commits share flushes:
///    group commit) it reserves a block of LSNs from `cdc_lsns` — one per change (its `__$seqval`)
///    and one more, the commit LSN — and *publishes* the reservation as a transaction-level shared
///    advisory lock keyed by the commit LSN (``reservationClass``). PostgreSQL releases that lock
///    only after the transaction is visible (committed) or gone (rolled back). The transaction's
///    `cdc_commits` row carries its begin and end times.
/// 3. The capture job (``CaptureScanner``) asks `cdc_horizon()` for the capture horizon: under the
///    same short lock, the lowest commit LSN still published (in flight) or, if none, one above the
///    last LSN handed out. Every commit below the horizon has finished, so the commits a pass then
///    sees below it are complete and gap-free in commit order — what SQL Server's log reader gives
///    by reading the log up to its end. A transaction that saw another's commit (row lock,
///    snapshot) reserved after it became visible, so its LSN is higher: LSN order is commit order.
///    The pass moves those transactions, set-based inside PostgreSQL, into the change tables of
///    every capture instance and writes `cdc.lsn_time_mapping`.
///
/// LSNs are kept as integers here and shown as SQL Server's 10-byte `VLF:block:slot` by
/// `cdc_lsn(v)`: the 80-bit big-endian value `lsnBase + v`.
enum CDCSchema {
    /// The advisory lock under which LSNs are handed out (briefly at COMMIT; by DDL until its commit).
    static let commitLock = 7_160_453
    /// The top 16 bits of the advisory lock key (`class << 48 | commit LSN`) that publishes a
    /// committing transaction's reserved commit LSN until it is visible.
    static let reservationClass = 19_539
    /// The advisory lock that lets one capture scan run at a time.
    static let scanLock = 7_160_454

    /// Idempotent: run on every engine start after ``CatalogSchema/bootstrap``.
    static let bootstrap = """
        SELECT pg_advisory_xact_lock(7160452);
        CREATE SEQUENCE IF NOT EXISTS sqlserver_catalog.cdc_lsns START 1;
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.cdc_databases (
            database_id integer PRIMARY KEY REFERENCES sqlserver_catalog.databases ON DELETE CASCADE,
            enabled_at timestamp(3) NOT NULL DEFAULT localtimestamp
        );
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.cdc_instances (
            database_id integer NOT NULL REFERENCES sqlserver_catalog.databases ON DELETE CASCADE,
            name_key text NOT NULL,
            capture_instance text NOT NULL,
            source_object_id integer NOT NULL,
            change_table_id integer NOT NULL,
            created_lsn bigint NOT NULL,
            definition jsonb NOT NULL,
            PRIMARY KEY (database_id, name_key)
        );
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.cdc_jobs (
            database_id integer NOT NULL REFERENCES sqlserver_catalog.databases ON DELETE CASCADE,
            job_type text NOT NULL,
            maxtrans integer NOT NULL DEFAULT 500,
            maxscans integer NOT NULL DEFAULT 10,
            continuous boolean NOT NULL DEFAULT true,
            pollinginterval bigint NOT NULL DEFAULT 5,
            retention bigint NOT NULL DEFAULT 4320,
            threshold bigint NOT NULL DEFAULT 5000,
            is_running boolean NOT NULL DEFAULT true,
            PRIMARY KEY (database_id, job_type)
        );
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.cdc_pending (
            change_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
            database_id integer NOT NULL,
            object_id integer NOT NULL,
            command_id integer NOT NULL,
            operation smallint NOT NULL,
            old_image jsonb,
            new_image jsonb
        );
        CREATE INDEX IF NOT EXISTS cdc_pending_xid ON sqlserver_catalog.cdc_pending (xid);
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.cdc_commits (
            xid xid8 PRIMARY KEY,
            first_lsn bigint NOT NULL,
            commit_lsn bigint NOT NULL UNIQUE,
            begin_time timestamp(3) NOT NULL,
            end_time timestamp(3) NOT NULL
        );

        -- An LSN (integer) as SQL Server's binary(10) VLF:block:slot.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.cdc_lsn(value bigint)
        RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
            SELECT decode(lpad(to_hex(value + 10977524092764160), 20, '0'), 'hex')
        $$;

        -- A transaction id as varbinary(10).
        CREATE OR REPLACE FUNCTION sqlserver_catalog.cdc_tran_id(value xid8)
        RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
            SELECT decode(lpad(to_hex(value::text::bigint), 20, '0'), 'hex')
        $$;

        -- fn_cdc_increment_lsn / decrement_lsn: ±1 on the 80-bit big-endian value.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.cdc_lsn_add(lsn bytea, delta integer)
        RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE
            v numeric := 0;
            i integer;
            result bytea := decode('00000000000000000000', 'hex');
        BEGIN
            IF lsn IS NULL THEN RETURN NULL; END IF;
            FOR i IN 0 .. length(lsn) - 1 LOOP
                v := v * 256 + get_byte(lsn, i);
            END LOOP;
            v := v + delta;
            IF v < 0 THEN v := 0; END IF;
            FOR i IN REVERSE 9 .. 0 LOOP
                result := set_byte(result, i, (v % 256)::integer);
                v := floor(v / 256);
            END LOOP;
            RETURN result;
        END $$;

        -- sys.fn_cdc_is_bit_set(position, mask): bit position − 1, the last byte holding 1–8.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.cdc_is_bit_set(bit_position integer, mask bytea)
        RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE
                WHEN bit_position IS NULL OR mask IS NULL THEN NULL
                WHEN bit_position < 1 OR (bit_position - 1) / 8 >= length(mask) THEN 0
                WHEN get_byte(mask, length(mask) - 1 - (bit_position - 1) / 8) & (1 << ((bit_position - 1) % 8)) <> 0 THEN 1
                ELSE 0 END::smallint
        $$;

        -- MIN/MAX of binary values (LSNs): PostgreSQL has no min/max of bytea.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.bytea_larger(a bytea, b bytea)
        RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT greatest(a, b) $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.bytea_smaller(a bytea, b bytea)
        RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT least(a, b) $$;
        CREATE OR REPLACE AGGREGATE sqlserver_catalog.binary_max(bytea) (
            SFUNC = sqlserver_catalog.bytea_larger, STYPE = bytea, COMBINEFUNC = sqlserver_catalog.bytea_larger, PARALLEL = SAFE);
        CREATE OR REPLACE AGGREGATE sqlserver_catalog.binary_min(bytea) (
            SFUNC = sqlserver_catalog.bytea_smaller, STYPE = bytea, COMBINEFUNC = sqlserver_catalog.bytea_smaller, PARALLEL = SAFE);

        -- Bytewise OR of update masks (the net-changes mask of 'all with mask').
        CREATE OR REPLACE FUNCTION sqlserver_catalog.cdc_mask_or_step(state bytea, value bytea)
        RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE
            i integer;
        BEGIN
            IF value IS NULL THEN RETURN state; END IF;
            IF state IS NULL THEN RETURN value; END IF;
            FOR i IN 0 .. least(length(state), length(value)) - 1 LOOP
                state := set_byte(state, i, get_byte(state, i) | get_byte(value, i));
            END LOOP;
            RETURN state;
        END $$;
        CREATE OR REPLACE AGGREGATE sqlserver_catalog.cdc_mask_or(bytea) (
            SFUNC = sqlserver_catalog.cdc_mask_or_step, STYPE = bytea);

        -- The parameter check of fn_cdc_get_all_changes_/fn_cdc_get_net_changes_: Msg 313, state 3,
        -- for a NULL or out-of-range bound or an unknown row filter option; returns the option,
        -- trimmed and lower-cased.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.cdc_check_range(
            from_lsn bytea, to_lsn bytea, row_filter text, min_lsn bytea, max_lsn bytea, options text[], function_name text)
        RETURNS text LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            option text := lower(btrim(row_filter));
        BEGIN
            IF from_lsn IS NULL OR to_lsn IS NULL OR min_lsn IS NULL OR max_lsn IS NULL
                OR from_lsn < min_lsn OR to_lsn > max_lsn OR option IS NULL OR NOT (option = ANY (options)) THEN
                RAISE EXCEPTION USING ERRCODE = 'S0001', DETAIL = '313', HINT = '16/3', MESSAGE = format(
                    'An insufficient number of arguments were supplied for the procedure or function %s ... .', function_name);
            END IF;
            RETURN option;
        END $$;

        -- Row trigger on tracked tables: one pending change per row.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.cdc_row()
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO sqlserver_catalog.cdc_pending (database_id, object_id, command_id, operation, old_image, new_image)
            VALUES (TG_ARGV[0]::integer, TG_ARGV[1]::integer,
                coalesce(nullif(current_setting('ferry.cdc_command', true), ''), '1')::integer,
                CASE TG_OP WHEN 'DELETE' THEN 1 WHEN 'INSERT' THEN 2 ELSE 3 END,
                CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
                CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
            RETURN NULL;
        END $$;

        -- Statement trigger on tracked tables: numbers the statements of a transaction (__$command_id).
        CREATE OR REPLACE FUNCTION sqlserver_catalog.cdc_statement()
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM set_config('ferry.cdc_command',
                (coalesce(nullif(current_setting('ferry.cdc_command', true), ''), '0')::integer + 1)::text, true);
            RETURN NULL;
        END $$;

        -- At COMMIT: the transaction's LSN block, reserved under the short commit lock and published
        -- as a shared advisory lock (class 19539 << 48 | commit LSN) that PostgreSQL releases once
        -- the commit is visible. The commit lock is session-level so that it is released here,
        -- before the WAL flush; the handler releases it on any error.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.cdc_stamp()
        RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            n bigint;
            first bigint;
        BEGIN
            IF current_setting('ferry.cdc_stamped', true) = 'yes' THEN RETURN NULL; END IF;
            PERFORM set_config('ferry.cdc_stamped', 'yes', true);
            SELECT count(*) INTO n FROM sqlserver_catalog.cdc_pending WHERE xid = pg_current_xact_id();
            IF n = 0 THEN RETURN NULL; END IF;
            PERFORM pg_advisory_lock(7160453);
            BEGIN
                first := nextval('sqlserver_catalog.cdc_lsns');
                PERFORM setval('sqlserver_catalog.cdc_lsns', first + n);
                PERFORM pg_advisory_xact_lock_shared((19539::bigint << 48) | (first + n));
            EXCEPTION WHEN OTHERS THEN
                PERFORM pg_advisory_unlock(7160453);
                RAISE;
            END;
            PERFORM pg_advisory_unlock(7160453);
            INSERT INTO sqlserver_catalog.cdc_commits (xid, first_lsn, commit_lsn, begin_time, end_time)
            VALUES (pg_current_xact_id(), first, first + n, transaction_timestamp()::timestamp(3), clock_timestamp()::timestamp(3));
            RETURN NULL;
        END $$;

        -- The capture horizon: every commit LSN below it belongs to a finished transaction. Under the
        -- commit lock (no reservation half done), the lowest published commit LSN, else one above
        -- the last LSN handed out. Must be followed by a statement with a fresh snapshot.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.cdc_horizon()
        RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            issued bigint;
            in_flight bigint;
        BEGIN
            PERFORM pg_advisory_lock(7160453);
            BEGIN
                SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO issued
                FROM sqlserver_catalog.cdc_lsns;
                SELECT min(((l.classid::bigint & 65535) << 32) | l.objid::bigint) INTO in_flight
                FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND (l.classid::bigint >> 16) = 19539
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database());
            EXCEPTION WHEN OTHERS THEN
                PERFORM pg_advisory_unlock(7160453);
                RAISE;
            END;
            PERFORM pg_advisory_unlock(7160453);
            RETURN least(coalesce(in_flight, issued + 1), issued + 1);
        END $$;

        -- An idle LSN (lsn_time_mapping row with tran_id 0x00) for a database with nothing to
        -- capture: NULL when a commit is in flight or a committed one of the database awaits
        -- capture (the idle LSN must be above every commit the next pass can find).
        CREATE OR REPLACE FUNCTION sqlserver_catalog.cdc_idle_lsn(db integer)
        RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            result bigint;
        BEGIN
            PERFORM pg_advisory_lock(7160453);
            BEGIN
                IF NOT EXISTS (
                    SELECT 1 FROM pg_locks l
                    WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND (l.classid::bigint >> 16) = 19539
                      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
                   AND NOT EXISTS (SELECT 1 FROM sqlserver_catalog.cdc_pending WHERE database_id = db) THEN
                    result := nextval('sqlserver_catalog.cdc_lsns');
                END IF;
            EXCEPTION WHEN OTHERS THEN
                PERFORM pg_advisory_unlock(7160453);
                RAISE;
            END;
            PERFORM pg_advisory_unlock(7160453);
            RETURN result;
        END $$;
        DO $$ BEGIN
            CREATE CONSTRAINT TRIGGER cdc_stamp AFTER INSERT ON sqlserver_catalog.cdc_pending
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sqlserver_catalog.cdc_stamp();
        EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        """

    /// The `cdc` schema's metadata tables, with SQL Server's columns and types, as T-SQL run
    /// through the engine's own CREATE TABLE (so they are ordinary catalog tables).
    static let metadataTables = """
        CREATE TABLE cdc.change_tables (
            object_id int NOT NULL, version int NULL, source_object_id int NULL, capture_instance sysname NOT NULL,
            start_lsn binary(10) NULL, end_lsn binary(10) NULL, supports_net_changes bit NULL, has_drop_pending bit NULL,
            role_name sysname NULL, index_name sysname NULL, filegroup_name sysname NULL, create_date datetime NULL,
            partition_switch bit NOT NULL DEFAULT 0);
        CREATE TABLE cdc.captured_columns (
            object_id int NOT NULL, column_name sysname NOT NULL, column_id int NULL, column_type sysname NULL,
            column_ordinal int NOT NULL, is_computed bit NULL);
        CREATE TABLE cdc.index_columns (
            object_id int NOT NULL, column_name sysname NOT NULL, index_ordinal tinyint NOT NULL, column_id int NOT NULL);
        CREATE TABLE cdc.ddl_history (
            source_object_id int NULL, object_id int NULL, required_column_update bit NULL, ddl_command nvarchar(max) NULL,
            ddl_lsn binary(10) NULL, ddl_time datetime NULL);
        CREATE TABLE cdc.lsn_time_mapping (
            start_lsn binary(10) NOT NULL, tran_begin_time datetime NULL, tran_end_time datetime NULL,
            tran_id varbinary(10) NULL, tran_begin_lsn binary(10) NULL);
        CREATE CLUSTERED INDEX lsn_time_mapping_clustered_idx ON cdc.lsn_time_mapping (start_lsn);
        """
}

/// The PostgreSQL objects that hold the emulator's SQL Server catalog and the helper functions
/// translated statements call.
///
/// Everything lives in the PostgreSQL schema `sqlserver_catalog`:
/// - `databases`, `schemas`, `types` (alias types), `objects` (tables, views, procedures and
///   constraints, each with its stable `object_id`; a table's columns, keys, indexes, foreign keys
///   and checks are its `definition`, a JSON ``TableDefinition``), `modules` (view and procedure text).
/// - the case-insensitive collation `ci` every character column uses, as SQL Server's default
///   `SQL_Latin1_General_CP1_CI_AS` compares case-insensitively;
/// - the composite type `datetimeoffset` (UTC timestamp and offset in minutes);
/// - functions that raise SQL Server's errors (SQLSTATE `S0001`, the message number in DETAIL,
///   the severity in HINT) where PostgreSQL alone would not say what SQL Server says.
///
/// The rows of SQL Server table `db.schema.t` live in PostgreSQL table `"<db>.<schema>"."t"`, names
/// lower-cased (see ``CatalogNames``).
enum CatalogSchema {
    /// SQLSTATE of errors raised by the helper functions.
    static let sqlServerErrorState = "S0001"

    /// Idempotent: safe to run on every engine start.
    static let bootstrap = """
        SELECT pg_advisory_xact_lock(7160452);
        CREATE SCHEMA IF NOT EXISTS sqlserver_catalog;
        DO $$ BEGIN
            CREATE COLLATION sqlserver_catalog.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
        EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        DO $$ BEGIN
            CREATE TYPE sqlserver_catalog.datetimeoffset AS (utc timestamp(6), offset_minutes smallint);
        EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        DO $$ BEGIN
            ALTER TYPE sqlserver_catalog.datetimeoffset ADD ATTRIBUTE hns smallint;
        EXCEPTION WHEN duplicate_column THEN NULL; END $$;
        DO $$ BEGIN
            CREATE TYPE sqlserver_catalog.datetime2_7 AS (v timestamp(6), hns smallint);
        EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        DO $$ BEGIN
            CREATE TYPE sqlserver_catalog.time_7 AS (v time(6), hns smallint);
        EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        CREATE SEQUENCE IF NOT EXISTS sqlserver_catalog.object_ids START 565577053;
        CREATE SEQUENCE IF NOT EXISTS sqlserver_catalog.database_ids START 5;
        CREATE SEQUENCE IF NOT EXISTS sqlserver_catalog.rowversions START 2001;
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.databases (
            database_id integer PRIMARY KEY,
            name text NOT NULL,
            name_key text NOT NULL UNIQUE,
            create_date timestamp(3) NOT NULL DEFAULT localtimestamp
        );
        ALTER TABLE sqlserver_catalog.databases ADD COLUMN IF NOT EXISTS snapshot_isolation_state smallint NOT NULL DEFAULT 0;
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.schemas (
            database_id integer NOT NULL REFERENCES sqlserver_catalog.databases ON DELETE CASCADE,
            schema_id integer NOT NULL,
            name text NOT NULL,
            name_key text NOT NULL,
            pg_schema text NOT NULL UNIQUE,
            PRIMARY KEY (database_id, schema_id),
            UNIQUE (database_id, name_key)
        );
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.types (
            database_id integer NOT NULL REFERENCES sqlserver_catalog.databases ON DELETE CASCADE,
            user_type_id integer NOT NULL,
            schema_id integer NOT NULL,
            name text NOT NULL,
            name_key text NOT NULL,
            base_type text NOT NULL,
            is_nullable boolean NOT NULL,
            PRIMARY KEY (database_id, user_type_id),
            UNIQUE (database_id, schema_id, name_key)
        );
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.objects (
            database_id integer NOT NULL REFERENCES sqlserver_catalog.databases ON DELETE CASCADE,
            object_id integer NOT NULL,
            schema_id integer NOT NULL,
            name text NOT NULL,
            name_key text NOT NULL,
            type text NOT NULL,
            parent_object_id integer NOT NULL DEFAULT 0,
            pg_name text,
            definition jsonb,
            create_date timestamp(3) NOT NULL DEFAULT localtimestamp,
            modify_date timestamp(3) NOT NULL DEFAULT localtimestamp,
            PRIMARY KEY (database_id, object_id),
            UNIQUE (database_id, schema_id, name_key)
        );
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.modules (
            database_id integer NOT NULL,
            object_id integer NOT NULL,
            definition text NOT NULL,
            PRIMARY KEY (database_id, object_id),
            FOREIGN KEY (database_id, object_id) REFERENCES sqlserver_catalog.objects ON DELETE CASCADE
        );
        INSERT INTO sqlserver_catalog.databases (database_id, name, name_key) VALUES (1, 'master', 'master')
            ON CONFLICT DO NOTHING;
        INSERT INTO sqlserver_catalog.schemas (database_id, schema_id, name, name_key, pg_schema)
            VALUES (1, 1, 'dbo', 'dbo', 'master.dbo') ON CONFLICT DO NOTHING;
        CREATE SCHEMA IF NOT EXISTS "master.dbo";

        CREATE OR REPLACE FUNCTION sqlserver_catalog.raise(number integer, severity integer, message text)
        RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'S0001', MESSAGE = message, DETAIL = number::text, HINT = severity::text;
        END $$;

        CREATE OR REPLACE FUNCTION sqlserver_catalog.check_length(value text, max_length integer, table_name text, column_name text)
        RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF char_length(value) > max_length THEN
                PERFORM sqlserver_catalog.raise(2628, 16, format(
                    'String or binary data would be truncated in table ''%s'', column ''%s''. Truncated value: ''%s''.',
                    table_name, column_name, left(value, max_length)));
            END IF;
            RETURN value;
        END $$;

        CREATE OR REPLACE FUNCTION sqlserver_catalog.check_length(value bytea, max_length integer, table_name text, column_name text)
        RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF octet_length(value) > max_length THEN
                PERFORM sqlserver_catalog.raise(2628, 16, format(
                    'String or binary data would be truncated in table ''%s'', column ''%s''. Truncated value: ''%s''.',
                    table_name, column_name, ''));
            END IF;
            RETURN value;
        END $$;

        CREATE OR REPLACE FUNCTION sqlserver_catalog.check_range(value numeric, low numeric, high numeric, type_name text)
        RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF value < low OR value > high THEN
                PERFORM sqlserver_catalog.raise(220, 16, format(
                    'Arithmetic overflow error for data type %s, value = %s.', type_name, value));
            END IF;
            RETURN value;
        END $$;

        CREATE OR REPLACE FUNCTION sqlserver_catalog.to_bit(value numeric)
        RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE WHEN value IS NULL THEN NULL WHEN value <> 0 THEN 1 ELSE 0 END::smallint
        $$;

        CREATE OR REPLACE FUNCTION sqlserver_catalog.to_bit(value text)
        RETURNS smallint LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF value IS NULL THEN RETURN NULL; END IF;
            IF upper(trim(value)) = 'TRUE' THEN RETURN 1; END IF;
            IF upper(trim(value)) = 'FALSE' THEN RETURN 0; END IF;
            RETURN sqlserver_catalog.to_bit(sqlserver_catalog.convert_text(value, 'varchar', 'numeric', 'bit')::numeric);
        END $$;

        -- Checks that `value` converts to `pg_type`, raising SQL Server's conversion error if not.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.convert_text(value text, source_type text, pg_type text, target_type text)
        RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF value IS NULL THEN RETURN NULL; END IF;
            BEGIN
                EXECUTE format('SELECT %L::%s', value, pg_type);
            EXCEPTION WHEN invalid_text_representation OR invalid_datetime_format OR datetime_field_overflow
                    OR numeric_value_out_of_range THEN
                IF target_type IN ('date', 'time', 'datetime', 'datetime2', 'smalldatetime', 'datetimeoffset') THEN
                    PERFORM sqlserver_catalog.raise(241, 16,
                        'Conversion failed when converting date and/or time from character string.');
                ELSIF target_type = 'uniqueidentifier' THEN
                    PERFORM sqlserver_catalog.raise(8169, 16,
                        'Conversion failed when converting from a character string to uniqueidentifier.');
                ELSIF target_type IN ('decimal', 'numeric', 'money', 'smallmoney', 'float', 'real') THEN
                    PERFORM sqlserver_catalog.raise(8114, 16,
                        format('Error converting data type %s to %s.', source_type, target_type));
                ELSE
                    PERFORM sqlserver_catalog.raise(245, 16, format(
                        'Conversion failed when converting the %s value ''%s'' to data type %s.',
                        source_type, value, target_type));
                END IF;
            END;
            RETURN value;
        END $$;

        -- A T-SQL LIKE pattern (%, _, [set], [^set], ESCAPE) as an anchored regular expression.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.like_regex(pattern text, escape_character text)
        RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE
            result text := '^';
            i integer := 1;
            c text;
            closing integer;
        BEGIN
            IF pattern IS NULL THEN RETURN NULL; END IF;
            WHILE i <= char_length(pattern) LOOP
                c := substr(pattern, i, 1);
                IF escape_character IS NOT NULL AND c = escape_character AND i < char_length(pattern) THEN
                    i := i + 1;
                    result := result || regexp_replace(substr(pattern, i, 1), '([^A-Za-z0-9 ])', '\\\\\\1', 'g');
                ELSIF c = '%' THEN
                    result := result || '.*';
                ELSIF c = '_' THEN
                    result := result || '.';
                ELSIF c = '[' AND strpos(substr(pattern, i + 1), ']') > 0 THEN
                    closing := i + strpos(substr(pattern, i + 1), ']');
                    result := result || '[' || replace(substr(pattern, i + 1, closing - i - 1), '\', '\\') || ']';
                    i := closing;
                ELSE
                    result := result || regexp_replace(c, '([^A-Za-z0-9 ])', '\\\\\\1', 'g');
                END IF;
                i := i + 1;
            END LOOP;
            RETURN result || '$';
        END $$;

        -- Whether `value` converts to `pg_type` (TRY_CAST, TRY_CONVERT).
        CREATE OR REPLACE FUNCTION sqlserver_catalog.can_convert(value text, pg_type text)
        RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF value IS NULL THEN RETURN true; END IF;
            EXECUTE format('SELECT %L::%s', value, pg_type);
            RETURN true;
        EXCEPTION WHEN invalid_text_representation OR invalid_datetime_format OR datetime_field_overflow
                OR numeric_value_out_of_range THEN
            RETURN false;
        END $$;

        CREATE OR REPLACE FUNCTION sqlserver_catalog.to_datetimeoffset(value text)
        RETURNS sqlserver_catalog.datetimeoffset LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE
            offset_match text[];
            minutes integer := 0;
            local_text text := value;
        BEGIN
            IF value IS NULL THEN RETURN NULL; END IF;
            offset_match := regexp_match(value, '\\s*([+-])(\\d{1,2}):(\\d{2})\\s*$');
            IF offset_match IS NOT NULL THEN
                minutes := (offset_match[2]::integer * 60 + offset_match[3]::integer)
                    * CASE offset_match[1] WHEN '-' THEN -1 ELSE 1 END;
                local_text := regexp_replace(value, '\\s*[+-]\\d{1,2}:\\d{2}\\s*$', '');
            END IF;
            PERFORM sqlserver_catalog.convert_text(local_text, 'varchar', 'timestamp', 'datetimeoffset');
            RETURN ROW(
                sqlserver_catalog.truncate_to_microseconds(local_text)::timestamp - make_interval(mins => minutes), minutes,
                sqlserver_catalog.seventh_digit(local_text))::sqlserver_catalog.datetimeoffset;
        END $$;

        CREATE OR REPLACE FUNCTION sqlserver_catalog.datetimeoffset_text(value sqlserver_catalog.datetimeoffset)
        RETURNS text LANGUAGE sql IMMUTABLE AS $$
            SELECT to_char(value.utc + make_interval(mins => value.offset_minutes), 'YYYY-MM-DD HH24:MI:SS.US')
                || coalesce(value.hns, 0)::text
                || CASE WHEN value.offset_minutes < 0 THEN ' -' ELSE ' +' END
                || to_char(make_interval(mins => abs(value.offset_minutes)), 'HH24:MI')
        $$;

        -- datetime2(7), time(7) and datetimeoffset(7) keep their 7th fractional digit (100 ns)
        -- beside PostgreSQL's microseconds: the digit is cut from the text before PostgreSQL
        -- parses it (so it never rounds), and put back when the value is rendered.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.seventh_digit(value text)
        RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
            SELECT coalesce((regexp_match(value, '\\.\\d{6}(\\d)'))[1]::smallint, 0)
        $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.truncate_to_microseconds(value text)
        RETURNS text LANGUAGE sql IMMUTABLE AS $$
            SELECT regexp_replace(value, '(\\.\\d{6})\\d+', '\\1')
        $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.to_datetime2_7(value text)
        RETURNS sqlserver_catalog.datetime2_7 LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF value IS NULL THEN RETURN NULL; END IF;
            PERFORM sqlserver_catalog.convert_text(value, 'varchar', 'timestamp(6)', 'datetime2');
            RETURN ROW(sqlserver_catalog.truncate_to_microseconds(value)::timestamp(6),
                sqlserver_catalog.seventh_digit(value))::sqlserver_catalog.datetime2_7;
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.to_time_7(value text)
        RETURNS sqlserver_catalog.time_7 LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF value IS NULL THEN RETURN NULL; END IF;
            PERFORM sqlserver_catalog.convert_text(value, 'varchar', 'time(6)', 'time');
            RETURN ROW(sqlserver_catalog.truncate_to_microseconds(value)::time(6),
                sqlserver_catalog.seventh_digit(value))::sqlserver_catalog.time_7;
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.datetime2_7_text(value sqlserver_catalog.datetime2_7)
        RETURNS text LANGUAGE sql IMMUTABLE AS $$
            SELECT to_char(value.v, 'YYYY-MM-DD HH24:MI:SS.US') || coalesce(value.hns, 0)::text
        $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.time_7_text(value sqlserver_catalog.time_7)
        RETURNS text LANGUAGE sql IMMUTABLE AS $$
            SELECT to_char(value.v, 'HH24:MI:SS.US') || coalesce(value.hns, 0)::text
        $$;
        -- Any timestamp or time assigned to such a column has a 7th digit of 0.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.datetime2_7_of(value timestamp)
        RETURNS sqlserver_catalog.datetime2_7 LANGUAGE sql IMMUTABLE AS $$
            SELECT ROW(value::timestamp(6), 0)::sqlserver_catalog.datetime2_7
        $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.time_7_of(value time)
        RETURNS sqlserver_catalog.time_7 LANGUAGE sql IMMUTABLE AS $$
            SELECT ROW(value::time(6), 0)::sqlserver_catalog.time_7
        $$;
        DO $$ BEGIN
            CREATE CAST (timestamp AS sqlserver_catalog.datetime2_7) WITH FUNCTION sqlserver_catalog.datetime2_7_of(timestamp) AS ASSIGNMENT;
        EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        DO $$ BEGIN
            CREATE CAST (time AS sqlserver_catalog.time_7) WITH FUNCTION sqlserver_catalog.time_7_of(time) AS ASSIGNMENT;
        EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        """
}

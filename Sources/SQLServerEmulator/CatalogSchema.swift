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
        ALTER TABLE sqlserver_catalog.databases ADD COLUMN IF NOT EXISTS delayed_durability smallint NOT NULL DEFAULT 0;
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

        -- Sequences (CREATE SEQUENCE): SQL Server's declaration beside the PostgreSQL sequence.
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.sequences (
            database_id integer NOT NULL,
            object_id integer NOT NULL,
            pg_sequence text NOT NULL,
            type_declaration text NOT NULL,
            start_value numeric NOT NULL,
            increment numeric NOT NULL,
            minimum_value numeric NOT NULL,
            maximum_value numeric NOT NULL,
            is_cycling boolean NOT NULL,
            is_cached boolean NOT NULL,
            cache_size integer,
            PRIMARY KEY (database_id, object_id),
            FOREIGN KEY (database_id, object_id) REFERENCES sqlserver_catalog.objects ON DELETE CASCADE
        );
        -- DML triggers (CREATE TRIGGER): kept with their text in `modules`; not fired.
        CREATE TABLE IF NOT EXISTS sqlserver_catalog.triggers (
            database_id integer NOT NULL,
            object_id integer NOT NULL,
            is_instead_of boolean NOT NULL,
            is_not_for_replication boolean NOT NULL,
            is_disabled boolean NOT NULL DEFAULT false,
            events text NOT NULL,
            PRIMARY KEY (database_id, object_id),
            FOREIGN KEY (database_id, object_id) REFERENCES sqlserver_catalog.objects ON DELETE CASCADE
        );

        -- NEXT VALUE FOR: Msg 11728 instead of PostgreSQL's error when the sequence is exhausted.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.next_value(sequence_name text, display_name text)
        RETURNS bigint LANGUAGE plpgsql AS $$
        BEGIN
            RETURN nextval(sequence_name::regclass);
        EXCEPTION WHEN sequence_generator_limit_exceeded THEN
            PERFORM sqlserver_catalog.raise(11728, 16, format(
                'The sequence object ''%s'' has reached its minimum or maximum value. Restart the sequence object to allow new values to be generated.',
                display_name));
            RETURN NULL;
        END $$;

        -- The object_id a name ('t', 'schema.t', '[schema].[t]', 'db.schema.t') stands for in a
        -- database, as OBJECT_ID and the IDENT_* functions resolve it; NULL when there is none.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.resolve_object(db integer, object_name text)
        RETURNS integer LANGUAGE sql STABLE AS $$
            WITH parts AS (
                SELECT string_to_array(lower(replace(replace(object_name, '[', ''), ']', '')), '.') AS p
            )
            SELECT o.object_id FROM parts, sqlserver_catalog.objects o
            JOIN sqlserver_catalog.schemas s ON s.database_id = o.database_id AND s.schema_id = o.schema_id
            WHERE o.database_id = db AND o.name_key = p[array_length(p, 1)]
              AND s.name_key = CASE WHEN array_length(p, 1) > 1 AND p[array_length(p, 1) - 1] <> ''
                  THEN p[array_length(p, 1) - 1] ELSE 'dbo' END
        $$;

        -- A table's identity: seed, increment and the last value generated (NULL before the first).
        CREATE OR REPLACE FUNCTION sqlserver_catalog.identity_info(db integer, table_id integer)
        RETURNS TABLE (seed numeric, increment numeric, last_value numeric) LANGUAGE sql STABLE AS $$
            SELECT (c->'identity'->>'seed')::numeric, (c->'identity'->>'increment')::numeric,
                pg_sequence_last_value(pg_get_serial_sequence(
                    quote_ident(s.pg_schema) || '.' || quote_ident(o.pg_name), c->>'pgName')::regclass)::numeric
            FROM sqlserver_catalog.objects o
            JOIN sqlserver_catalog.schemas s ON s.database_id = o.database_id AND s.schema_id = o.schema_id
            CROSS JOIN LATERAL jsonb_array_elements(o.definition->'columns') AS c
            WHERE o.database_id = db AND o.object_id = table_id AND o.type = 'U'
              AND jsonb_typeof(c->'identity') = 'object'
        $$;

        -- OBJECTPROPERTY: 1/0 for the properties below, NULL for an unknown object or property.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.object_property(db integer, id integer, property text)
        RETURNS integer LANGUAGE plpgsql STABLE AS $$
        DECLARE
            t text;
            d jsonb;
            is_table boolean;
        BEGIN
            SELECT o.type, o.definition INTO t, d FROM sqlserver_catalog.objects o
            WHERE o.database_id = db AND o.object_id = id;
            IF t IS NULL OR property IS NULL THEN RETURN NULL; END IF;
            is_table := t = 'U';
            CASE lower(property)
            WHEN 'isusertable', 'istable' THEN RETURN is_table::integer;
            WHEN 'isview' THEN RETURN (t = 'V')::integer;
            WHEN 'isprocedure' THEN RETURN (t = 'P')::integer;
            WHEN 'istrigger' THEN RETURN (t = 'TR')::integer;
            WHEN 'isscalarfunction' THEN RETURN (t = 'FN')::integer;
            WHEN 'isinlinefunction' THEN RETURN (t = 'IF')::integer;
            WHEN 'istablefunction' THEN RETURN (t IN ('IF', 'TF'))::integer;
            WHEN 'isconstraint' THEN RETURN (t IN ('PK', 'UQ', 'F', 'C', 'D'))::integer;
            WHEN 'isprimarykey' THEN RETURN (t = 'PK')::integer;
            WHEN 'isforeignkey' THEN RETURN (t = 'F')::integer;
            WHEN 'ischeckcnst' THEN RETURN (t = 'C')::integer;
            WHEN 'isdefaultcnst' THEN RETURN (t = 'D')::integer;
            WHEN 'isuniquecnst' THEN RETURN (t = 'UQ')::integer;
            WHEN 'ismsshipped' THEN RETURN 0;
            WHEN 'ownerid' THEN RETURN 1;
            ELSE NULL;
            END CASE;
            IF NOT is_table THEN RETURN NULL; END IF;
            CASE lower(property)
            WHEN 'tablehasprimarykey' THEN
                RETURN (EXISTS (SELECT 1 FROM jsonb_array_elements(d->'indexes') i WHERE i->>'kind' = 'primaryKey'))::integer;
            WHEN 'tablehasuniquecnst' THEN
                RETURN (EXISTS (SELECT 1 FROM jsonb_array_elements(d->'indexes') i WHERE i->>'kind' = 'uniqueConstraint'))::integer;
            WHEN 'tablehasclustindex' THEN
                RETURN (EXISTS (SELECT 1 FROM jsonb_array_elements(d->'indexes') i WHERE (i->>'isClustered')::boolean))::integer;
            WHEN 'tablehasindex' THEN RETURN (jsonb_array_length(d->'indexes') > 0)::integer;
            WHEN 'tablehasidentity' THEN
                RETURN (EXISTS (SELECT 1 FROM jsonb_array_elements(d->'columns') c WHERE jsonb_typeof(c->'identity') = 'object'))::integer;
            WHEN 'tablehasforeignkey' THEN RETURN (jsonb_array_length(d->'foreignKeys') > 0)::integer;
            WHEN 'tablehascheckcnst' THEN RETURN (jsonb_array_length(d->'checks') > 0)::integer;
            WHEN 'tablehasdefaultcnst' THEN
                RETURN (EXISTS (SELECT 1 FROM jsonb_array_elements(d->'columns') c WHERE c->>'defaultName' IS NOT NULL))::integer;
            ELSE RETURN NULL;
            END CASE;
        END $$;

        -- COLUMNPROPERTY for a table's or view's column: NULL for an unknown column or property.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.column_property(db integer, id integer, column_name text, property text)
        RETURNS integer LANGUAGE sql STABLE AS $$
            SELECT CASE lower(property)
                WHEN 'isidentity' THEN (jsonb_typeof(c->'identity') = 'object')::integer
                WHEN 'iscomputed' THEN (c->>'computedDefinition' IS NOT NULL)::integer
                WHEN 'allowsnull' THEN (c->>'isNullable')::boolean::integer
                WHEN 'columnid' THEN (c->>'columnID')::integer
                WHEN 'isrowguidcol' THEN (c->>'isRowGuidCol')::boolean::integer
                WHEN 'isidnotforrepl' THEN coalesce((c->'identity'->>'notForReplication')::boolean, false)::integer
                END
            FROM sqlserver_catalog.objects o CROSS JOIN LATERAL jsonb_array_elements(o.definition->'columns') AS c
            WHERE o.database_id = db AND o.object_id = id AND o.type IN ('U', 'V') AND lower(c->>'name') = lower(column_name)
        $$;
        """
}

/// The PostgreSQL functions behind `hierarchyid` and `sql_variant` (see ``SQLServerType`` for
/// their storage).
///
/// A `hierarchyid` is stored as a `numeric[]` sort key: each label component `c` of a level is
/// the pair `1, c`, and each level ends with `0`. PostgreSQL's array order on that key is SQL
/// Server's depth-first order: a node sorts before its descendants (a prefix sorts first), a
/// level's components compare left to right, and `/1.x/` sorts after every descendant of `/1/`
/// and before `/2/` (the end-of-level `0` is below the next component's `1`). The root `/` is
/// the empty array, so it sorts first and is every node's ancestor.
///
/// A `sql_variant` is stored as a `jsonb` object of the base type's properties (`BaseType`,
/// `Precision`, `Scale`, `MaxLength`, `Collation`, `TotalBytes`, as `SQL_VARIANT_PROPERTY`
/// reports them) and `Value`, the base-type value as PostgreSQL text.
enum CLRTypesSchema {
    /// Idempotent: safe to run on every engine start.
    static let bootstrap = """
        CREATE OR REPLACE FUNCTION sqlserver_catalog.raise_value(number integer, severity integer, message text)
        RETURNS text LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM sqlserver_catalog.raise(number, severity, message);
            RETURN NULL;
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.hierarchyid_parse(input text)
        RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            result numeric[] := '{}';
            level text;
            component text;
        BEGIN
            IF input !~ '^/(-?[0-9]+(\\.-?[0-9]+)*/)*$' THEN
                PERFORM sqlserver_catalog.raise(6522, 16, format(
                    'A .NET Framework error occurred during execution of user-defined routine or aggregate "hierarchyid": %sMicrosoft.SqlServer.Types.HierarchyIdException: 24001: SqlHierarchyId.Parse failed because the input string ''%s'' is not a valid string representation of a SqlHierarchyId node.',
                    chr(10), input));
            END IF;
            IF input = '/' THEN RETURN result; END IF;
            FOREACH level IN ARRAY string_to_array(substr(input, 2, length(input) - 2), '/') LOOP
                FOREACH component IN ARRAY string_to_array(level, '.') LOOP
                    result := result || ARRAY[1, component::numeric];
                END LOOP;
                result := result || 0::numeric;
            END LOOP;
            RETURN result;
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.hierarchyid_text(node numeric[])
        RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            result text := '/';
            i integer := 1;
            n integer := coalesce(array_length(node, 1), 0);
            first boolean := true;
        BEGIN
            WHILE i <= n LOOP
                IF node[i] = 1 THEN
                    IF NOT first THEN result := result || '.'; END IF;
                    result := result || trunc(node[i + 1])::text;
                    first := false;
                    i := i + 2;
                ELSE
                    result := result || '/';
                    first := true;
                    i := i + 1;
                END IF;
            END LOOP;
            RETURN result;
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.hierarchyid_level(node numeric[])
        RETURNS smallint LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            i integer := 1;
            n integer := coalesce(array_length(node, 1), 0);
            level smallint := 0;
        BEGIN
            WHILE i <= n LOOP
                IF node[i] = 1 THEN i := i + 2; ELSE level := level + 1; i := i + 1; END IF;
            END LOOP;
            RETURN level;
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.hierarchyid_ancestor(node numeric[], generations bigint)
        RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            keep bigint := sqlserver_catalog.hierarchyid_level(node) - generations;
            i integer := 1;
            seen integer := 0;
        BEGIN
            IF generations < 0 THEN
                PERFORM sqlserver_catalog.raise(6522, 16, format(
                    'A .NET Framework error occurred during execution of user-defined routine or aggregate "hierarchyid": %sMicrosoft.SqlServer.Types.HierarchyIdException: 24011: SqlHierarchyId.GetAncestor failed because ''n'' was negative.',
                    chr(10)));
            END IF;
            IF keep < 0 THEN RETURN NULL; END IF;
            WHILE seen < keep LOOP
                IF node[i] = 1 THEN i := i + 2; ELSE seen := seen + 1; i := i + 1; END IF;
            END LOOP;
            RETURN coalesce(node[1:i - 1], '{}');
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.hierarchyid_is_descendant(node numeric[], parent numeric[])
        RETURNS smallint LANGUAGE sql IMMUTABLE STRICT AS $$
            SELECT CASE WHEN coalesce(node[1:cardinality(parent)], '{}') = parent THEN 1 ELSE 0 END::smallint
        $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.variant_make(
            value text, base_type text, base_precision integer, base_scale integer, max_length integer,
            collation_name text, property_bytes integer, data_bytes integer)
        RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE WHEN value IS NOT NULL THEN jsonb_build_object(
                'BaseType', base_type, 'Precision', base_precision, 'Scale', base_scale, 'MaxLength', max_length,
                'Collation', collation_name,
                'TotalBytes', 2 + property_bytes + CASE
                    WHEN data_bytes >= 0 THEN data_bytes
                    WHEN base_type IN ('nvarchar', 'nchar') THEN 2 * char_length(value)
                    WHEN base_type IN ('varbinary', 'binary') THEN (octet_length(value) - 2) / 2
                    ELSE octet_length(value) END,
                'Value', value) END
        $$;
        """
}

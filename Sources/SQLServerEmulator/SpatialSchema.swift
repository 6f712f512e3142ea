/// The PostgreSQL functions behind `geometry` and `geography`.
///
/// A spatial value is stored as `bytea`: the SRID (4 bytes, little-endian) followed by the
/// shape's OGC well-known binary, little-endian, ISO flavour (type + 1000 with Z, + 2000 with M),
/// which is what `AsBinaryZM()` returns. Points, line strings and polygons are supported.
/// Coordinates in well-known text are written as SQL Server writes them: `x y [z [m]]`, with
/// `NULL` for a missing Z before an M (`POINT (1 2 NULL 4)`).
enum SpatialSchema {
    /// Idempotent: safe to run on every engine start.
    static let bootstrap = """
        CREATE OR REPLACE FUNCTION sqlserver_catalog.spatial_le(value bytea)
        RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            n integer := length(value);
            result bytea := value;
        BEGIN
            FOR i IN 0 .. n - 1 LOOP result := set_byte(result, i, get_byte(value, n - 1 - i)); END LOOP;
            RETURN result;
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.spatial_error(kind text, message text)
        RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM sqlserver_catalog.raise(6522, 16, format(
                'A .NET Framework error occurred during execution of user-defined routine or aggregate "%s": %sSystem.FormatException: %s',
                kind, chr(10), message));
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.spatial_from_text(wkt text, srid integer, kind text)
        RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            parts text[];
            shape text;
            body text;
            rings text[];
            ring text;
            coords text[];
            ords text[];
            dims integer := NULL;
            has_z boolean;
            has_m boolean;
            type_code integer;
            out bytea := '';
            points bytea;
            c text;
            first_z text := NULL;
        BEGIN
            parts := regexp_match(btrim(wkt), '^([A-Za-z]+)\\s*\\((.*)\\)$');
            IF parts IS NULL OR upper(parts[1]) NOT IN ('POINT', 'LINESTRING', 'POLYGON') THEN
                PERFORM sqlserver_catalog.spatial_error(kind, format('24114: The label %s in the input well-known text (WKT) is not valid. Valid labels are POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON, GEOMETRYCOLLECTION, CIRCULARSTRING, COMPOUNDCURVE, CURVEPOLYGON and FULLGLOBE (geography Data Type only).', coalesce(split_part(btrim(wkt), ' ', 1), '')));
            END IF;
            shape := upper(parts[1]);
            body := btrim(parts[2]);
            IF shape = 'POLYGON' THEN
                rings := ARRAY(SELECT m[1] FROM regexp_matches(body, '\\(([^()]*)\\)', 'g') AS m);
            ELSE
                rings := ARRAY[body];
            END IF;
            IF cardinality(rings) = 0 THEN
                PERFORM sqlserver_catalog.spatial_error(kind, '24117: The LineString input is not valid because it does not have enough distinct points.');
            END IF;
            -- The dimensions: from the first coordinate (3 ordinates: Z, or M when Z is NULL; 4: Z and M).
            ords := regexp_split_to_array(btrim(split_part(rings[1], ',', 1)), '\\s+');
            dims := cardinality(ords);
            IF dims < 2 OR dims > 4 THEN
                PERFORM sqlserver_catalog.spatial_error(kind, format('24141: A number is expected in the input. The input has %s.', wkt));
            END IF;
            first_z := CASE WHEN dims >= 3 THEN upper(ords[3]) END;
            has_m := dims = 4;
            has_z := dims >= 3 AND first_z <> 'NULL';
            type_code := CASE shape WHEN 'POINT' THEN 1 WHEN 'LINESTRING' THEN 2 ELSE 3 END
                + CASE WHEN has_z THEN 1000 ELSE 0 END + CASE WHEN has_m THEN 2000 ELSE 0 END;
            IF dims = 3 AND NOT has_z THEN
                PERFORM sqlserver_catalog.spatial_error(kind, format('24141: A number is expected in the input. The input has NULL.'));
            END IF;
            out := sqlserver_catalog.spatial_le(int4send(srid)) || '\\x01'::bytea || sqlserver_catalog.spatial_le(int4send(type_code));
            IF shape = 'POLYGON' THEN out := out || sqlserver_catalog.spatial_le(int4send(cardinality(rings))); END IF;
            FOREACH ring IN ARRAY rings LOOP
                coords := regexp_split_to_array(btrim(ring), '\\s*,\\s*');
                points := '';
                FOREACH c IN ARRAY coords LOOP
                    ords := regexp_split_to_array(btrim(c), '\\s+');
                    IF cardinality(ords) <> dims THEN
                        PERFORM sqlserver_catalog.spatial_error(kind, format('24141: A number is expected in the input. The input has %s.', c));
                    END IF;
                    BEGIN
                        points := points || sqlserver_catalog.spatial_le(float8send(ords[1]::float8))
                            || sqlserver_catalog.spatial_le(float8send(ords[2]::float8));
                        IF has_z THEN points := points || sqlserver_catalog.spatial_le(float8send(ords[3]::float8)); END IF;
                        IF has_m THEN points := points || sqlserver_catalog.spatial_le(float8send(ords[4]::float8)); END IF;
                    EXCEPTION WHEN invalid_text_representation THEN
                        PERFORM sqlserver_catalog.spatial_error(kind, format('24141: A number is expected in the input. The input has %s.', c));
                    END;
                END LOOP;
                IF shape = 'POINT' AND cardinality(coords) <> 1 THEN
                    PERFORM sqlserver_catalog.spatial_error(kind, format('24141: A number is expected in the input. The input has %s.', body));
                END IF;
                IF shape <> 'POINT' THEN out := out || sqlserver_catalog.spatial_le(int4send(cardinality(coords))); END IF;
                out := out || points;
            END LOOP;
            RETURN out;
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.spatial_read_f8(data bytea, at_byte integer, little boolean)
        RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            bits bigint := 0;
            b integer;
            sign integer;
            exponent integer;
            mantissa bigint;
        BEGIN
            FOR i IN 0 .. 7 LOOP
                b := get_byte(data, at_byte + CASE WHEN little THEN 7 - i ELSE i END);
                bits := (bits << 8) | b;
            END LOOP;
            sign := CASE WHEN bits < 0 THEN -1 ELSE 1 END;
            exponent := ((bits >> 52) & 2047)::integer;
            mantissa := bits & 4503599627370495;
            IF exponent = 2047 THEN RETURN CASE WHEN mantissa <> 0 THEN 'NaN'::float8 ELSE sign * 'Infinity'::float8 END; END IF;
            IF exponent = 0 THEN RETURN sign * mantissa::float8 * power(2::float8, -1074); END IF;
            RETURN sign * (1 + mantissa::float8 / 4503599627370496::float8) * power(2::float8, exponent - 1023);
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.spatial_read_u32(data bytea, at_byte integer, little boolean)
        RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE result bigint := 0;
        BEGIN
            FOR i IN 0 .. 3 LOOP
                result := (result << 8) | get_byte(data, at_byte + CASE WHEN little THEN 3 - i ELSE i END);
            END LOOP;
            RETURN result;
        END $$;
        -- Well-known binary (either byte order, ISO or EWKB-style Z/M flags) to the stored form.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.spatial_from_wkb(wkb bytea, srid integer, kind text)
        RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        BEGIN
            RETURN sqlserver_catalog.spatial_from_text(sqlserver_catalog.spatial_wkb_text(wkb, 0, true), srid, kind);
        EXCEPTION WHEN program_limit_exceeded OR numeric_value_out_of_range OR array_subscript_error OR invalid_parameter_value THEN
            PERFORM sqlserver_catalog.spatial_error(kind, '24210: The well-known binary (WKB) input is not valid.');
            RETURN NULL;
        END $$;
        -- The well-known text of the WKB at `start`; with_zm keeps Z and M (AsTextZM, ToString).
        CREATE OR REPLACE FUNCTION sqlserver_catalog.spatial_wkb_text(data bytea, start integer, with_zm boolean)
        RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            little boolean := get_byte(data, start) = 1;
            type_code bigint := sqlserver_catalog.spatial_read_u32(data, start + 1, get_byte(data, start) = 1);
            base integer;
            has_z boolean;
            has_m boolean;
            width integer;
            p integer := start + 5;
            rings bigint := 1;
            count bigint;
            ring_texts text[] := '{}';
            coords text[];
            coord text;
            z float8;
            m float8;
        BEGIN
            base := (type_code % 1000)::integer;
            has_z := (type_code / 1000) IN (1, 3) OR (type_code & x'80000000'::bigint) <> 0;
            has_m := (type_code / 1000) IN (2, 3) OR (type_code & x'40000000'::bigint) <> 0;
            IF type_code >= 1073741824 THEN base := (type_code & 255)::integer; END IF;
            IF base NOT IN (1, 2, 3) THEN
                RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = 'unsupported WKB type';
            END IF;
            width := 16 + CASE WHEN has_z THEN 8 ELSE 0 END + CASE WHEN has_m THEN 8 ELSE 0 END;
            IF base = 3 THEN rings := sqlserver_catalog.spatial_read_u32(data, p, little); p := p + 4; END IF;
            FOR r IN 1 .. rings LOOP
                IF base = 1 THEN count := 1; ELSE count := sqlserver_catalog.spatial_read_u32(data, p, little); p := p + 4; END IF;
                coords := '{}';
                FOR i IN 1 .. count LOOP
                    coord := sqlserver_catalog.spatial_read_f8(data, p, little)::text || ' ' || sqlserver_catalog.spatial_read_f8(data, p + 8, little)::text;
                    IF with_zm AND (has_z OR has_m) THEN
                        z := CASE WHEN has_z THEN sqlserver_catalog.spatial_read_f8(data, p + 16, little) END;
                        m := CASE WHEN has_m THEN sqlserver_catalog.spatial_read_f8(data, p + CASE WHEN has_z THEN 24 ELSE 16 END, little) END;
                        coord := coord || ' ' || coalesce(z::text, 'NULL');
                        IF has_m THEN coord := coord || ' ' || m::text; END IF;
                    END IF;
                    coords := coords || coord;
                    p := p + width;
                END LOOP;
                ring_texts := ring_texts || ('(' || array_to_string(coords, ', ') || ')');
            END LOOP;
            IF p <> length(data) THEN
                RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = 'trailing WKB bytes';
            END IF;
            RETURN CASE base WHEN 1 THEN 'POINT ' WHEN 2 THEN 'LINESTRING ' ELSE 'POLYGON ' END
                || CASE WHEN base = 3 THEN '(' || array_to_string(ring_texts, ', ') || ')' ELSE ring_texts[1] END;
        END $$;
        -- The stored value's WKB (without the SRID).
        CREATE OR REPLACE FUNCTION sqlserver_catalog.spatial_wkb(g bytea, with_zm boolean)
        RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        BEGIN
            IF with_zm THEN RETURN substr(g, 5); END IF;
            RETURN substr(sqlserver_catalog.spatial_from_text(sqlserver_catalog.spatial_wkb_text(g, 4, false), 0, 'geometry'), 5);
        END $$;
        CREATE OR REPLACE FUNCTION sqlserver_catalog.spatial_srid(g bytea)
        RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$
            SELECT sqlserver_catalog.spatial_read_u32(g, 0, true)::integer
        $$;
        -- Ordinate n (1 x, 2 y, 3 z, 4 m) of a point; NULL for other shapes and absent ordinates.
        CREATE OR REPLACE FUNCTION sqlserver_catalog.spatial_ordinate(g bytea, n integer)
        RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            type_code bigint := sqlserver_catalog.spatial_read_u32(g, 5, true);
            has_z boolean := (type_code / 1000) IN (1, 3);
            has_m boolean := (type_code / 1000) IN (2, 3);
        BEGIN
            IF type_code % 1000 <> 1 THEN RETURN NULL; END IF;
            IF n <= 2 THEN RETURN sqlserver_catalog.spatial_read_f8(g, 9 + 8 * (n - 1), true); END IF;
            IF n = 3 THEN RETURN CASE WHEN has_z THEN sqlserver_catalog.spatial_read_f8(g, 25, true) END; END IF;
            RETURN CASE WHEN has_m THEN sqlserver_catalog.spatial_read_f8(g, CASE WHEN has_z THEN 33 ELSE 25 END, true) END;
        END $$;
        """
}

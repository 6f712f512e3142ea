import FerryCore
import FreeTDS
@testable import SQLServerSource
import Testing

/// `hierarchyid` and `sql_variant` through FreeTDS and the source connector against the emulator:
/// what the wire carries, and the event values docs/types.md documents.
@Suite struct SourceCLRTypesTests {
    static let setup = """
        CREATE TABLE dbo.org (id int NOT NULL PRIMARY KEY, node hierarchyid NULL, name nvarchar(20) NOT NULL);
        CREATE TABLE dbo.props (id int NOT NULL PRIMARY KEY, value sql_variant NULL);
        EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'org', @role_name = NULL;
        EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'props', @role_name = NULL;
        """

    @Test func overFreeTDSHierarchyidIsItsPathAndVariantCarriesItsProperties() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: Self.setup) { env in
            try await env.run("""
                INSERT INTO dbo.org (id, node, name) VALUES (1, hierarchyid::GetRoot(), N'root');
                INSERT INTO dbo.org (id, node, name) VALUES (2, '/1/', N'a'), (3, '/1/2.5/', N'b'), (4, '/10/', N'c'), (5, '/2/', N'd');
                INSERT INTO dbo.props (id, value) VALUES (1, CAST(46279.1 AS decimal(8,2)));
                INSERT INTO dbo.props (id, value) VALUES (2, N'hello');
                """)
            let nodes = try await env.admin.query("SELECT CAST(node AS nvarchar(4000)), node.GetLevel(), node, node.GetAncestor(1).ToString() FROM dbo.org ORDER BY node")
            #expect(nodes.map { $0[0].stringValue } == ["/", "/1/", "/1/2.5/", "/2/", "/10/"])
            #expect(nodes.map { $0[1].int64Value } == [0, 1, 2, 1, 1])
            // The raw column: not SQL Server's [MS-SSCLRT] encoding but the path's bytes (docs/types.md).
            #expect(nodes[2][2].bytesValue == Array("/1/2.5/".utf8))
            #expect(nodes.map { $0[3].stringValue } == [nil, "/", "/1/", "/", "/"])

            let props = try await env.admin.query("""
                SELECT id, CAST(value AS nvarchar(max)), SQL_VARIANT_PROPERTY(value, 'BaseType'), SQL_VARIANT_PROPERTY(value, 'Precision'),
                       SQL_VARIANT_PROPERTY(value, 'Scale'), SQL_VARIANT_PROPERTY(value, 'MaxLength'), CAST(value AS decimal(8,2))
                FROM dbo.props WHERE id = 1
                """)
            #expect(props.count == 1)
            #expect(props[0][1].stringValue == "46279.10")
            #expect(props[0][2].stringValue == "decimal")
            #expect(props[0][3].int64Value == 8)
            #expect(props[0][4].int64Value == 2)
            #expect(props[0][5].int64Value == 5)
            if case .decimal(let d) = props[0][6] { #expect(d.description == "46279.10") } else { Issue.record("not a decimal: \(props[0][6])") }
        }
    }

    @Test func hierarchyidStreamsAsItsPathString() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: Self.setup) { env in
            try await env.run("INSERT INTO dbo.org (id, node, name) VALUES (1, '/1/', N'a'), (2, hierarchyid::Parse('/1/-3.7/'), N'b'), (3, NULL, N'c')")
            let snapshotEnd = try await env.capture()
            try await env.runSource(env.configuration(stopAt: snapshotEnd))
            let snapshot = SourceTestEnvironment.apply(try await env.changes("org"), key: "id")
            #expect(snapshot["\(ColumnValue.int(1))"]?["node"] == .string("/1/"))
            #expect(snapshot["\(ColumnValue.int(2))"]?["node"] == .string("/1/-3.7/"))
            #expect(snapshot["\(ColumnValue.int(3))"]?["node"] == .null)

            try await env.run("INSERT INTO dbo.org (id, node, name) VALUES (4, '/1/2/', N'd')")
            try await env.run("UPDATE dbo.org SET node = node.GetAncestor(1) WHERE id = 2")
            let end = try await env.capture()
            try await env.runSource(env.configuration(stopAt: end))
            let streamed = try await env.changes("org").filter { $0.operation != .read }
            #expect(streamed.map(\.operation) == [.create, .update])
            #expect(streamed.first?.after?["node"] == .string("/1/2/"))
            #expect(streamed.last?.before?["node"] == .string("/1/-3.7/"))
            #expect(streamed.last?.after?["node"] == .string("/1/"))
        }
    }

    @Test func aCharacterVariantStreamsWithItsBaseType() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: Self.setup) { env in
            try await env.run("INSERT INTO dbo.props (id, value) VALUES (1, N'hello')")
            try await env.run("INSERT INTO dbo.props (id, value) VALUES (2, NULL)")
            let snapshotEnd = try await env.capture()
            try await env.runSource(env.configuration(stopAt: snapshotEnd))
            let snapshot = SourceTestEnvironment.apply(try await env.changes("props"), key: "id")
            guard case .variant(let type, let value)? = snapshot["\(ColumnValue.int(1))"]?["value"] else {
                Issue.record("not a variant: \(String(describing: snapshot["\(ColumnValue.int(1))"]?["value"]))")
                return
            }
            #expect(type.description == "nvarchar(5)")
            #expect(value == .string("hello"))
            #expect(snapshot["\(ColumnValue.int(2))"]?["value"] == .null)

            try await env.run("INSERT INTO dbo.props (id, value) VALUES (3, 'abc')")
            try await env.run("UPDATE dbo.props SET value = N'bye' WHERE id = 1")
            let end = try await env.capture()
            try await env.runSource(env.configuration(stopAt: end))
            let streamed = try await env.changes("props").filter { $0.operation != .read }
            #expect(streamed.map(\.operation) == [.create, .update])
            if case .variant(let type, let value)? = streamed.first?.after?["value"] {
                #expect(type.description == "varchar(3)")
                #expect(value == .string("abc"))
            } else {
                Issue.record("not a variant: \(String(describing: streamed.first?.after?["value"]))")
            }
            if case .variant(let type, let value)? = streamed.last?.after?["value"] {
                #expect(type.description == "nvarchar(3)")
                #expect(value == .string("bye"))
            } else {
                Issue.record("not a variant: \(String(describing: streamed.last?.after?["value"]))")
            }
        }
    }

    /// (id, literal, the event's JSON for the value: `{"type": base type, "value": …}`).
    static let variants: [(Int, String, String)] = [
        (1, "CAST(255 AS tinyint)", #"{"type":"tinyint","value":255}"#),
        (2, "CAST(-32768 AS smallint)", #"{"type":"smallint","value":-32768}"#),
        (3, "CAST(-2147483648 AS int)", #"{"type":"int","value":-2147483648}"#),
        (4, "CAST(9223372036854775807 AS bigint)", #"{"type":"bigint","value":9223372036854775807}"#),
        (5, "CAST(1 AS bit)", #"{"type":"bit","value":true}"#),
        (6, "CAST(-3.4028235E+38 AS real)", #"{"type":"real","value":-3.4028235e+38}"#),
        (7, "CAST(2.2250738585072014E-308 AS float)", #"{"type":"float","value":2.2250738585072014e-308}"#),
        (8, "CAST(-12345678901234567890.123456789012345678 AS decimal(38,18))",
         #"{"type":"decimal(38,18)","value":"-12345678901234567890.123456789012345678"}"#),
        (9, "CAST(46279.1 AS numeric(8,2))", #"{"type":"numeric(8,2)","value":"46279.10"}"#),
        (10, "CAST(-922337203685477.5808 AS money)", #"{"type":"money","value":"-922337203685477.5808"}"#),
        (11, "CAST(214748.3647 AS smallmoney)", #"{"type":"smallmoney","value":"214748.3647"}"#),
        (12, "CAST('0001-01-01' AS date)", #"{"type":"date","value":"0001-01-01"}"#),
        (13, "CAST('23:59:59.9999999' AS time(7))", #"{"type":"time(7)","value":"23:59:59.9999999"}"#),
        (14, "CAST('9999-12-31 23:59:59.997' AS datetime)", #"{"type":"datetime","value":"9999-12-31T23:59:59.997"}"#),
        (15, "CAST('2079-06-06 23:59' AS smalldatetime)", #"{"type":"smalldatetime","value":"2079-06-06T23:59:00"}"#),
        (16, "CAST('0001-01-01 00:00:00.0000001' AS datetime2(7))", #"{"type":"datetime2(7)","value":"0001-01-01T00:00:00.0000001"}"#),
        (17, "CAST('2020-01-01 10:00:00.1234567 -05:30' AS datetimeoffset(7))",
         #"{"type":"datetimeoffset(7)","value":"2020-01-01T10:00:00.1234567-05:30"}"#),
        (18, "CAST('6F9619FF-8B86-D011-B42D-00C04FC964FF' AS uniqueidentifier)",
         #"{"type":"uniqueidentifier","value":"6F9619FF-8B86-D011-B42D-00C04FC964FF"}"#),
        (19, "CAST('ab' AS char(5))", #"{"type":"char(5)","value":"ab   "}"#),
        (20, "CAST('café' AS varchar(10))", #"{"type":"varchar(10)","value":"café"}"#),
        (21, "CAST(N'𝄞' AS nchar(4))", #"{"type":"nchar(4)","value":"𝄞  "}"#),
        (22, "N'Grüße 😀'", #"{"type":"nvarchar(8)","value":"Grüße 😀"}"#),
        (23, "CAST(0x01 AS binary(3))", #"{"type":"binary(3)","value":"AQAA"}"#),
        (24, "CAST(0xCAFE00 AS varbinary(10))", #"{"type":"varbinary(10)","value":"yv4A"}"#),
    ]

    static func json(_ value: ColumnValue?) -> String {
        guard let value else { return "missing" }
        if value == .null { return "null" }
        return (try? EnvelopeCodec.encodeColumnValue(value, as: try SQLServerDataType(.sqlVariant))) ?? "unencodable \(value)"
    }

    @Test func everyVariantBaseTypeSnapshotsAndStreamsExactly() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: Self.setup) { env in
            try await env.run(Self.variants.map { "INSERT INTO dbo.props (id, value) VALUES (\($0.0), \($0.1));" }.joined(separator: "\n"))
            try await env.run("INSERT INTO dbo.props (id, value) VALUES (25, NULL)")
            let snapshotEnd = try await env.capture()
            try await env.runSource(env.configuration(stopAt: snapshotEnd))
            let snapshot = SourceTestEnvironment.apply(try await env.changes("props"), key: "id")
            for (id, _, expected) in Self.variants {
                #expect(Self.json(snapshot["\(ColumnValue.int(Int64(id)))"]?["value"]) == expected, "row \(id)")
            }
            #expect(snapshot["\(ColumnValue.int(25))"]?["value"] == .null)

            // Streamed: an insert, an update that changes the base type, one that keeps it.
            try await env.run("INSERT INTO dbo.props (id, value) VALUES (26, CAST('9999-12-31 23:59:59.9999999 +14:00' AS datetimeoffset(7)))")
            try await env.run("UPDATE dbo.props SET value = CAST(-1.7976931348623157E+308 AS float) WHERE id = 22")
            try await env.run("UPDATE dbo.props SET value = CAST(-0.00000000000000000000000000000000000001 AS numeric(38,38)) WHERE id = 8")
            try await env.run("UPDATE dbo.props SET value = CAST(0x00FF AS varbinary(2)) WHERE id = 25")
            let end = try await env.capture()
            try await env.runSource(env.configuration(stopAt: end))
            let streamed = try await env.changes("props").filter { $0.operation != .read }
            try #require(streamed.map(\.operation) == [.create, .update, .update, .update])
            #expect(Self.json(streamed[0].after?["value"]) == #"{"type":"datetimeoffset(7)","value":"9999-12-31T23:59:59.9999999+14:00"}"#)
            #expect(Self.json(streamed[1].before?["value"]) == Self.variants[21].2)
            #expect(Self.json(streamed[1].after?["value"]) == #"{"type":"float","value":-1.7976931348623157e+308}"#)
            #expect(Self.json(streamed[2].before?["value"]) == Self.variants[7].2)
            #expect(Self.json(streamed[2].after?["value"]) == #"{"type":"numeric(38,38)","value":"-0.00000000000000000000000000000000000001"}"#)
            #expect(streamed[3].before?["value"] == .null)
            #expect(Self.json(streamed[3].after?["value"]) == #"{"type":"varbinary(2)","value":"AP8="}"#)
        }
    }

    @Test func spatialValuesStreamAsSRIDAndWellKnownBinary() async throws {
        let setup = """
            CREATE TABLE dbo.places (id int NOT NULL PRIMARY KEY, location geography NULL, shape geometry NULL);
            EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'places', @role_name = NULL;
            """
        try await SourceTestEnvironment.with(.embedded, setup: setup) { env in
            try await env.run("INSERT INTO dbo.places (id, location, shape) VALUES (1, geography::Point(4, 3, 4326), geometry::STGeomFromText('POINT (1 2 3 4)', 0))")
            try await env.run("INSERT INTO dbo.places (id, location, shape) VALUES (2, NULL, NULL)")
            let snapshotEnd = try await env.capture()
            try await env.runSource(env.configuration(stopAt: snapshotEnd))
            let snapshot = SourceTestEnvironment.apply(try await env.changes("places"), key: "id")
            // POINT (3 4): longitude 3, latitude 4.
            let point34: [UInt8] = [0x01, 0x01, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0x08, 0x40, 0, 0, 0, 0, 0, 0, 0x10, 0x40]
            #expect(snapshot["\(ColumnValue.int(1))"]?["location"] == .spatial(srid: 4326, wellKnownBinary: point34))
            guard case .spatial(let srid, let wkb)? = snapshot["\(ColumnValue.int(1))"]?["shape"] else {
                Issue.record("not spatial: \(String(describing: snapshot["\(ColumnValue.int(1))"]?["shape"]))")
                return
            }
            // AsBinaryZM keeps Z and M: ISO type 3001.
            #expect(srid == 0 && Array(wkb.prefix(5)) == [0x01, 0xB9, 0x0B, 0x00, 0x00] && wkb.count == 37)
            #expect(snapshot["\(ColumnValue.int(2))"]?["location"] == .null)

            try await env.run("INSERT INTO dbo.places (id, location) VALUES (3, geography::STGeomFromText('LINESTRING (3 4, 5 6)', 4269))")
            try await env.run("UPDATE dbo.places SET location = geography::Point(4, 3, 4326) WHERE id = 2")
            let end = try await env.capture()
            try await env.runSource(env.configuration(stopAt: end))
            let streamed = try await env.changes("places").filter { $0.operation != .read }
            #expect(streamed.map(\.operation) == [.create, .update])
            guard case .spatial(let lineSRID, let line)? = streamed.first?.after?["location"] else {
                Issue.record("not spatial: \(String(describing: streamed.first?.after?["location"]))")
                return
            }
            #expect(lineSRID == 4269 && Array(line.prefix(9)) == [0x01, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00] && line.count == 9 + 32)
            #expect(streamed.last?.before?["location"] == .null)
            #expect(streamed.last?.after?["location"] == .spatial(srid: 4326, wellKnownBinary: point34))
        }
    }
}

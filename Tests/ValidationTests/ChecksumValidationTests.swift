import FerryCore
import FerryTestSupport
import FreeTDS
import Logging
import Postgres
import Synchronization
import Testing
import Validation

/// Server-side partition checksums: equal tables validate without reading rows, and every
/// difference is still found and named by its key.
@Suite struct ChecksumValidationTests {
    static let logger = Logger(label: "ferry.test.validation.checksums")

    /// A column of a test table: its SQL Server declaration; the target gets Ferry's mapping.
    struct Column {
        var name: String
        var declaration: String
    }

    /// Creates database `database` with table `dbo.T` in the emulator and table `t` with the mapped
    /// types in a fresh PostgreSQL schema, runs `sourceLoad` and `targetLoad`, then `body`.
    static func withTable(
        database: String, columns: [Column], keyCount: Int = 1, sourceLoad: String, targetLoad: (String) -> String,
        _ body: @Sendable (TDSConnection, PostgresConnection, String, ValidationTable, @escaping TableValidator.ConnectionOpener) async throws -> Void
    ) async throws {
        let types = try columns.map { try SQLServerDataType(declaration: $0.declaration) }
        let key = columns.prefix(keyCount).map(\.name).joined(separator: ", ")
        let sourceColumns = columns.enumerated().map { index, column in
            "\(column.name) \(column.declaration) \(index < keyCount ? "NOT NULL" : "NULL")"
        }
        let targetColumns = zip(columns, types).map { column, type in "\(column.name.lowercased()) \(type.postgreSQLType.declaration)" }
        try await TestEmulator.with { emulator in
            let setup = try await emulator.connect()
            _ = try await setup.execute("CREATE DATABASE \(database)")
            await setup.close()
            let source = try await emulator.connect(database: database)
            _ = try await source.execute("CREATE TABLE dbo.T (\(sourceColumns.joined(separator: ", ")), PRIMARY KEY (\(key))); \(sourceLoad)")
            let target = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: Self.logger)
            let schema = TestPostgres.uniqueName("checksums")
            try await target.execute("""
                CREATE SCHEMA \(schema); SET search_path TO \(schema);
                CREATE TABLE t (\(targetColumns.joined(separator: ", ")), PRIMARY KEY (\(key.lowercased())));
                \(targetLoad(schema))
                """)
            let pairs = zip(columns, types).map { ValidationTable.Column(sourceName: $0.name, targetName: $0.name.lowercased(), type: $1) }
            let table = try ValidationTable(
                source: TableIdentity(database: database, schema: "dbo", table: "T"), targetSchema: schema, targetTable: "t",
                keyColumns: Array(pairs.prefix(keyCount)), valueColumns: Array(pairs.dropFirst(keyCount)))
            let configuration = emulator.configuration(database: database)
            let openConnections: TableValidator.ConnectionOpener = {
                let source = try await TDSConnection.connect(configuration: configuration, logger: Self.logger)
                let target = try await PostgresConnection.connect(url: try TestPostgres.url(), logger: Self.logger)
                return (source, target)
            }
            do {
                try await body(source, target, schema, table, openConnections)
            } catch {
                _ = try? await target.execute("DROP SCHEMA \(schema) CASCADE")
                throw error
            }
            try await target.execute("DROP SCHEMA \(schema) CASCADE")
            await target.close()
            await source.close()
        }
    }

    // MARK: Every checksummed type

    /// (column, SQL Server literal, PostgreSQL literal) per row: extremes, the other extremes,
    /// NULLs, zeros and empties.
    static let typeColumns: [(Column, [(String, String)])] = [
        (Column(name: "B", declaration: "bit"), [("1", "true"), ("0", "false"), ("NULL", "NULL"), ("0", "false")]),
        (Column(name: "TI", declaration: "tinyint"), [("255", "255"), ("0", "0"), ("NULL", "NULL"), ("0", "0")]),
        (Column(name: "SI", declaration: "smallint"), [("32767", "32767"), ("-32768", "-32768"), ("NULL", "NULL"), ("0", "0")]),
        (Column(name: "I", declaration: "int"), [("2147483647", "2147483647"), ("-2147483648", "-2147483648"), ("NULL", "NULL"), ("0", "0")]),
        (Column(name: "BI", declaration: "bigint"), [
            ("9223372036854775807", "9223372036854775807"), ("-9223372036854775808", "-9223372036854775808"), ("NULL", "NULL"), ("0", "0"),
        ]),
        (Column(name: "D", declaration: "decimal(38,10)"), [
            ("1234567890123456789012345678.0123456789", "1234567890123456789012345678.0123456789"), ("-0.5", "-0.5"), ("NULL", "NULL"), ("0", "0"),
        ]),
        (Column(name: "N", declaration: "numeric(5,5)"), [("0.99999", "0.99999"), ("-0.00001", "-0.00001"), ("NULL", "NULL"), ("0", "0")]),
        (Column(name: "M", declaration: "money"), [
            ("922337203685477.5807", "922337203685477.5807"), ("-922337203685477.5808", "-922337203685477.5808"), ("NULL", "NULL"), ("0", "0"),
        ]),
        (Column(name: "SM", declaration: "smallmoney"), [("214748.3647", "214748.3647"), ("-214748.3648", "-214748.3648"), ("NULL", "NULL"), ("0", "0")]),
        (Column(name: "R", declaration: "real"), [("3.4028235E+38", "3.4028235e38"), ("-1.17549435E-38", "-1.17549435e-38"), ("NULL", "NULL"), ("0", "0")]),
        (Column(name: "F", declaration: "float"), [
            ("1.7976931348623157E+308", "1.7976931348623157e308"), ("-2.2250738585072014E-308", "-2.2250738585072014e-308"), ("NULL", "NULL"), ("0.1", "0.1"),
        ]),
        (Column(name: "G", declaration: "uniqueidentifier"), [
            ("'6F9619FF-8B86-D011-B42D-00C04FC964FF'", "'6f9619ff-8b86-d011-b42d-00c04fc964ff'"),
            ("'00000000-0000-0000-0000-000000000000'", "'00000000-0000-0000-0000-000000000000'"), ("NULL", "NULL"),
            ("'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"),
        ]),
        (Column(name: "DA", declaration: "date"), [("'9999-12-31'", "'9999-12-31'"), ("'0001-01-01'", "'0001-01-01'"), ("NULL", "NULL"), ("'2024-02-29'", "'2024-02-29'")]),
        (Column(name: "D7", declaration: "datetime2(7)"), [
            ("'9999-12-31 23:59:59.9999999'", "'9999-12-31 23:59:59.999999'"), ("'0001-01-01 00:00:00'", "'0001-01-01 00:00:00'"), ("NULL", "NULL"),
            ("'2024-02-29 12:00:00.0000001'", "'2024-02-29 12:00:00'"),
        ]),
        (Column(name: "D3", declaration: "datetime2(3)"), [
            ("'2024-02-29 12:34:56.789'", "'2024-02-29 12:34:56.789'"), ("'0001-01-01 00:00:00'", "'0001-01-01 00:00:00'"), ("NULL", "NULL"),
            ("'2000-01-01 00:00:00.001'", "'2000-01-01 00:00:00.001'"),
        ]),
        (Column(name: "D0", declaration: "datetime2(0)"), [
            ("'9999-12-31 23:59:59'", "'9999-12-31 23:59:59'"), ("'0001-01-01 00:00:00'", "'0001-01-01 00:00:00'"), ("NULL", "NULL"),
            ("'2000-01-01 00:00:01'", "'2000-01-01 00:00:01'"),
        ]),
        (Column(name: "DTM", declaration: "datetime"), [
            ("'9999-12-31 23:59:59.997'", "'9999-12-31 23:59:59.997'"), ("'1753-01-01 00:00:00'", "'1753-01-01 00:00:00'"), ("NULL", "NULL"),
            ("'2024-02-29 10:00:00.003'", "'2024-02-29 10:00:00.003'"),
        ]),
        (Column(name: "SDT", declaration: "smalldatetime"), [
            ("'2079-06-06 23:59:00'", "'2079-06-06 23:59:00'"), ("'1900-01-01 00:00:00'", "'1900-01-01 00:00:00'"), ("NULL", "NULL"),
            ("'2024-02-29 10:01:00'", "'2024-02-29 10:01:00'"),
        ]),
        (Column(name: "C", declaration: "char(5)"), [("'ab'", "'ab'"), ("'abcde'", "'abcde'"), ("NULL", "NULL"), ("''", "''")]),
        (Column(name: "VC", declaration: "varchar(20)"), [("'café  '", "'café  '"), ("' S3:x;N'", "' S3:x;N'"), ("NULL", "NULL"), ("''", "''")]),
        (Column(name: "NC", declaration: "nchar(4)"), [("N'ü'", "'ü'"), ("N'ñab'", "'ñab'"), ("NULL", "NULL"), ("N''", "''")]),
        (Column(name: "NV", declaration: "nvarchar(40)"), [
            ("N'Grüße 😀 ; S3:x'", "'Grüße 😀 ; S3:x'"), ("N'日本語 '", "'日本語 '"), ("NULL", "NULL"), ("N''", "''"),
        ]),
        (Column(name: "NVM", declaration: "nvarchar(max)"), [
            ("REPLICATE(CAST(N'é' AS nvarchar(max)), 5000)", "repeat('é', 5000)"), ("N'x'", "'x'"), ("NULL", "NULL"), ("N''", "''"),
        ]),
        (Column(name: "BN", declaration: "binary(4)"), [("0x00FF1000", "'\\x00ff1000'"), ("0xFFFFFFFF", "'\\xffffffff'"), ("NULL", "NULL"), ("0x00000000", "'\\x00000000'")]),
        (Column(name: "VB", declaration: "varbinary(20)"), [("0x00FF10", "'\\x00ff10'"), ("0x3B", "'\\x3b'"), ("NULL", "NULL"), ("0x", "'\\x'")]),
        (Column(name: "VBM", declaration: "varbinary(max)"), [("0xDEADBEEF", "'\\xdeadbeef'"), ("0x00", "'\\x00'"), ("NULL", "NULL"), ("0x", "'\\x'")]),
    ]

    @Test("every checksummed type validates server-side with its extreme values, NULLs and empties")
    func everyTypeValidatesServerSide() async throws {
        let columns = [Column(name: "K", declaration: "int")] + Self.typeColumns.map(\.0)
        let rows = (0..<4).map { row in (key: row + 1, values: Self.typeColumns.map { $0.1[row] }) }
        let sourceLoad = "INSERT INTO dbo.T VALUES " + rows.map { row in
            "(\(row.key), " + row.values.map(\.0).joined(separator: ", ") + ")"
        }.joined(separator: ", ")
        let targetLoad = "INSERT INTO t VALUES " + rows.map { row in
            "(\(row.key), " + row.values.map(\.1).joined(separator: ", ") + ")"
        }.joined(separator: ", ")
        try await Self.withTable(database: "AllTypes", columns: columns, sourceLoad: sourceLoad, targetLoad: { _ in targetLoad }) { source, target, schema, allColumns, _ in
            // With the (max) columns partitions are checksummed per row; without them, in key order.
            var withoutLargeObjects = allColumns
            withoutLargeObjects.valueColumns.removeAll { $0.type.isLargeObject }
            for table in [allColumns, withoutLargeObjects] {
                let columns = table.columns.map { Column(name: $0.sourceName, declaration: $0.type.description) }
                let result = try await TableValidator(source: source, target: target, settings: .init(partitionSize: 2), logger: Self.logger).validate(table)
                #expect(result.method == .partitionChecksums)
                #expect(result.state == .validated, "\(result.mismatches)")
                #expect(result.sourceRows == 4 && result.targetRows == 4 && result.matchedRows == 4)
                #expect(result.mismatchedPartitions == 0)
                // The row-by-row comparison agrees on the same data.
                let rowByRow = try await TableValidator(source: source, target: target, settings: .init(serverChecksums: false), logger: Self.logger).validate(table)
                #expect(rowByRow.state == .validated, "\(rowByRow.mismatches)")
                #expect(rowByRow.method == .rowByRow(reason: "server-side checksums are turned off"))

                // Every column's change is caught by the checksums, in each row where it is not NULL.
                for column in columns.dropFirst() {
                    let name = column.name.lowercased()
                    let changed: String
                    switch column.declaration {
                    case "bit": changed = "NOT \(name)"
                    case let declaration where declaration.contains("char"): changed = "\(name) || 'x'"
                    case let declaration where declaration.contains("binary"): changed = "\(name) || '\\x01'::bytea"
                    case "uniqueidentifier": changed = "'12345678-1234-1234-1234-123456789012'"
                    case "date": changed = "\(name) - 1"
                    case let declaration where declaration.contains("date"): changed = "\(name) - interval '1 second'"
                    case "real", "float": changed = "\(name) / 2"
                    case "tinyint": changed = "\(name) / 2 + 1"
                    default: changed = "\(name) / 2 - 1"
                    }
                    try await target.execute("""
                        CREATE TEMP TABLE saved AS SELECT * FROM \(schema).t WHERE k = 1;
                        UPDATE \(schema).t SET \(name) = \(changed) WHERE k = 1;
                        """)
                    let result = try await TableValidator(source: source, target: target, settings: .init(partitionSize: 2), logger: Self.logger).validate(table)
                    try await target.execute("UPDATE \(schema).t SET \(name) = s.\(name) FROM saved s WHERE t.k = 1; DROP TABLE saved")
                    #expect(result.mismatches == [RowMismatch(key: ["K": "1"], kind: .different(columns: [column.name]))], "\(column.declaration)")
                    #expect(result.method == .partitionChecksums)
                }

                // NULL is not zero, false or empty: row 4 holds those, and each turned NULL is found.
                for column in columns.dropFirst() {
                    let name = column.name.lowercased()
                    try await target.execute("""
                        CREATE TEMP TABLE saved AS SELECT * FROM \(schema).t WHERE k = 4;
                        UPDATE \(schema).t SET \(name) = NULL WHERE k = 4;
                        """)
                    let result = try await TableValidator(source: source, target: target, settings: .init(partitionSize: 2), logger: Self.logger).validate(table)
                    try await target.execute("UPDATE \(schema).t SET \(name) = s.\(name) FROM saved s WHERE t.k = 4; DROP TABLE saved")
                    #expect(result.mismatches == [RowMismatch(key: ["K": "4"], kind: .different(columns: [column.name]))], "\(column.declaration)")
                    #expect(result.mismatchedPartitions == 1, "\(column.declaration)")
                }
            }
        }
    }

    // MARK: 50,000 rows

    static let wideColumns = [
        Column(name: "ID", declaration: "int"), Column(name: "Name", declaration: "nvarchar(40)"), Column(name: "Ratio", declaration: "float"),
        Column(name: "At", declaration: "datetime2(7)"), Column(name: "Amount", declaration: "decimal(18,4)"),
        Column(name: "Tag", declaration: "uniqueidentifier"), Column(name: "Data", declaration: "varbinary(16)"), Column(name: "Code", declaration: "char(6)"),
    ]

    /// 50,000 equal rows on both sides (the source built from a digits table, as a DBA would).
    static let wideSource = """
        CREATE TABLE dbo.Digits (d int NOT NULL PRIMARY KEY);
        INSERT INTO dbo.Digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
        INSERT INTO dbo.T (ID, Name, Ratio, At, Amount, Tag, Data, Code)
        SELECT n, N'Grüße ' + CAST(n AS nvarchar(10)), n / 7.0E0, DATEADD(second, n, CAST('2024-01-01 00:00:00.123456' AS datetime2(7))),
               n * 0.125, CAST('00000000-0000-0000-0000-' + RIGHT('000000000000' + CAST(n AS varchar(12)), 12) AS uniqueidentifier),
               CAST(n AS varbinary(4)), 'c' + CAST(n % 100 AS varchar(3))
        FROM (SELECT a.d + b.d * 10 + c.d * 100 + e.d * 1000 + f.d * 10000 AS n
              FROM dbo.Digits a CROSS JOIN dbo.Digits b CROSS JOIN dbo.Digits c CROSS JOIN dbo.Digits e CROSS JOIN dbo.Digits f) AS numbers
        WHERE n < 50000;
        """
    static let wideTarget = """
        INSERT INTO t SELECT n, 'Grüße ' || n, n / 7.0::float8, timestamp '2024-01-01 00:00:00.123456' + n * interval '1 second',
            n * 0.125, ('00000000-0000-0000-0000-' || lpad(n::text, 12, '0'))::uuid, int4send(n), 'c' || (n % 100)
        FROM generate_series(0, 49999) n;
        """

    /// Index scans of the target table so far, flushed from this session's statistics.
    static func indexScans(_ target: PostgresConnection, schema: String) async throws -> Int64 {
        _ = try await target.query("SELECT pg_stat_force_next_flush()")
        _ = try await target.query("SELECT pg_stat_clear_snapshot()")
        let rows = try await target.query("SELECT coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 't'", [.text(schema)])
        return try rows.first?.decode(Int64.self, at: 0) ?? 0
    }

    /// Run with the target read in one scan (no statistics yet) and, once analyzed (rows stored in
    /// key order), partition by partition through the primary key; each both as one scan per side
    /// and cut into three key ranges scanned at once.
    @Test(
        "one changed value in one column of one row of 50,000 is found and its key reported, for each type",
        arguments: [(false, 1), (true, 1), (false, 3), (true, 3)])
    func singleChangeAmongFiftyThousand(targetAnalyzed: Bool, scansPerSide: Int) async throws {
        try await Self.withTable(database: "Wide", columns: Self.wideColumns, sourceLoad: Self.wideSource, targetLoad: { _ in Self.wideTarget }) { source, target, schema, table, openConnections in
            if targetAnalyzed { try await target.execute("ANALYZE \(schema).t") }
            let opened = Mutex(0)
            let validator = TableValidator(
                source: source, target: target, settings: .init(partitionSize: 5_000, partitionsPerScan: 2), scansPerSide: scansPerSide,
                openConnections: {
                    opened.withLock { $0 += 1 }
                    return try await openConnections()
                }, logger: Self.logger)
            let scansBefore = try await Self.indexScans(target, schema: schema)
            let equal = try await validator.validate(table)
            let scans = try await Self.indexScans(target, schema: schema) - scansBefore
            #expect(equal.method == .partitionChecksums)
            #expect(equal.state == .validated, "\(equal.mismatches.prefix(5))")
            #expect(equal.sourceRows == 50_000 && equal.matchedRows == 50_000)
            #expect(equal.partitions >= 10 && equal.mismatchedPartitions == 0)
            #expect(opened.withLock { $0 } == scansPerSide - 1)
            // Partition by partition: one index range per partition (plus min/max of the key). Only
            // this session's scans are counted at once, so the form is checked without slices.
            if scansPerSide == 1 {
                #expect(targetAnalyzed ? scans >= Int64(equal.partitions) : scans <= 2, "\(scans) index scans")
            }

            let changes: [(column: String, key: Int, set: String)] = [
                ("Name", 777, "name = 'Grusse 777'"),
                ("Ratio", 31_415, "ratio = ratio + 1e-9"),
                ("At", 49_999, "at = at + interval '1 microsecond'"),
                ("Amount", 0, "amount = amount + 0.0001"),
                ("Tag", 12_345, "tag = '00000000-0000-0000-0000-000000012346'"),
                ("Data", 2_024, "data = int4send(2025)"),
                ("Code", 999, "code = 'c98'"),
            ]
            for change in changes {
                try await target.execute("""
                    CREATE TEMP TABLE saved AS SELECT * FROM \(schema).t WHERE id = \(change.key);
                    UPDATE \(schema).t SET \(change.set) WHERE id = \(change.key);
                    """)
                let result = try await validator.validate(table)
                try await target.execute("DELETE FROM \(schema).t WHERE id = \(change.key); INSERT INTO \(schema).t SELECT * FROM saved; DROP TABLE saved")
                #expect(result.state == .mismatched)
                #expect(result.mismatches == [RowMismatch(key: ["ID": "\(change.key)"], kind: .different(columns: [change.column]))], "\(change.column)")
                #expect(result.mismatchedPartitions == 1)
                #expect(result.sourceRows == 50_000 && result.matchedRows == 49_999)
            }

            try await target.execute("DELETE FROM \(schema).t WHERE id IN (123, 49999); INSERT INTO \(schema).t (id, name) VALUES (60000, 'extra'), (-5, 'below')")
            let result = try await validator.validate(table)
            #expect(Set(result.mismatches) == [
                RowMismatch(key: ["ID": "123"], kind: .missingOnTarget), RowMismatch(key: ["ID": "49999"], kind: .missingOnTarget),
                RowMismatch(key: ["ID": "60000"], kind: .missingOnSource), RowMismatch(key: ["ID": "-5"], kind: .missingOnSource),
            ])
            #expect(result.mismatchCount == 4)
            #expect(result.sourceRows == 50_000 && result.targetRows == 50_000 && result.matchedRows == 49_998)
        }
    }

    @Test("a composite string key is partitioned by hash; changed, missing and extra rows are found")
    func compositeKeyByHash() async throws {
        let columns = [
            Column(name: "Region", declaration: "nvarchar(10)"), Column(name: "Seq", declaration: "int"), Column(name: "Note", declaration: "varchar(30)"),
        ]
        let regions = ["Nord", "Süd", "東", "west"]
        let sourceLoad = "INSERT INTO dbo.T VALUES " + regions.flatMap { region in (1...500).map { "(N'\(region)', \($0), 'n\($0)')" } }.joined(separator: ", ")
        let targetLoad = "INSERT INTO t VALUES " + regions.flatMap { region in (1...500).map { "('\(region)', \($0), 'n\($0)')" } }.joined(separator: ", ")
        try await Self.withTable(database: "Regions", columns: columns, keyCount: 2, sourceLoad: sourceLoad, targetLoad: { _ in targetLoad }) { source, target, schema, table, _ in
            let validator = TableValidator(source: source, target: target, settings: .init(partitionSize: 200), logger: Self.logger)
            let equal = try await validator.validate(table)
            #expect(equal.method == .partitionChecksums)
            #expect(equal.state == .validated, "\(equal.mismatches.prefix(5))")
            #expect(equal.matchedRows == 2_000 && equal.partitions == 10)
            try await target.execute("""
                UPDATE \(schema).t SET note = 'changed' WHERE region = 'Süd' AND seq = 42;
                DELETE FROM \(schema).t WHERE region = '東' AND seq = 7;
                INSERT INTO \(schema).t VALUES ('sud', 42, 'n42');
                """)
            let result = try await validator.validate(table)
            #expect(Set(result.mismatches) == [
                RowMismatch(key: ["Region": "Süd", "Seq": "42"], kind: .different(columns: ["Note"])),
                RowMismatch(key: ["Region": "東", "Seq": "7"], kind: .missingOnTarget),
                RowMismatch(key: ["Region": "sud", "Seq": "42"], kind: .missingOnSource),
            ])
            #expect(result.mismatchedPartitions <= 3)
        }
    }

    // MARK: Falling back

    @Test("a table with a type that has no server-side form is compared row by row and still finds a change")
    func fallbackTypes() async throws {
        let columns = [
            Column(name: "ID", declaration: "int"), Column(name: "Seen", declaration: "datetimeoffset(3)"), Column(name: "Clock", declaration: "time(7)"),
            Column(name: "Name", declaration: "nvarchar(20)"),
        ]
        let sourceLoad = "INSERT INTO dbo.T VALUES (1, '2024-01-01 10:00:00.123 +05:45', '23:59:59.9999999', N'ä'), (2, '0001-01-01 00:00:00 -12:00', '00:00:00', NULL), (3, NULL, NULL, N'c')"
        let targetLoad = "INSERT INTO t VALUES (1, '2024-01-01 10:00:00.123+05:45', '23:59:59.999999', 'ä'), (2, '0001-01-01 00:00:00-12:00', '00:00:00', NULL), (3, NULL, NULL, 'c')"
        try await Self.withTable(database: "Stamps", columns: columns, sourceLoad: sourceLoad, targetLoad: { _ in targetLoad }) { source, target, schema, table, _ in
            let validator = TableValidator(source: source, target: target, logger: Self.logger)
            let equal = try await validator.validate(table)
            guard case .rowByRow(let reason) = equal.method else {
                Issue.record("expected a row-by-row comparison, got \(equal.method)")
                return
            }
            #expect(reason.contains("Seen") && reason.contains("datetimeoffset"))
            #expect(equal.state == .validated, "\(equal.mismatches)")
            try await target.execute("UPDATE \(schema).t SET seen = seen + interval '1 millisecond' WHERE id = 1")
            let changed = try await validator.validate(table)
            #expect(changed.mismatches == [RowMismatch(key: ["ID": "1"], kind: .different(columns: ["Seen"]))])
        }
    }

    @Test("a target column retyped by hand is compared row by row, naming the column")
    func retypedTargetColumn() async throws {
        let columns = [Column(name: "ID", declaration: "int"), Column(name: "Amount", declaration: "decimal(10,2)")]
        try await Self.withTable(
            database: "Retyped", columns: columns, sourceLoad: "INSERT INTO dbo.T VALUES (1, 12.50), (2, NULL)",
            targetLoad: { _ in "ALTER TABLE t ALTER COLUMN amount TYPE numeric(12,4); INSERT INTO t VALUES (1, 12.5), (2, NULL)" }
        ) { source, target, _, table, _ in
            let result = try await TableValidator(source: source, target: target, logger: Self.logger).validate(table)
            #expect(result.method == .rowByRow(reason: "target column amount is numeric(12,4), not numeric(10,2) as Ferry maps decimal(10,2)"))
            #expect(result.state == .validated, "\(result.mismatches)")
        }
    }
}

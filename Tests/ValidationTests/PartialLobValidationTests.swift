import FerryCore
import Logging
import Testing
import Validation

/// `ValidationPartialLobSize`: a task in limited LOB mode holds long values cut to `LobMaxSize`;
/// comparing only that many bytes of each LOB validates it, and still finds a change in the part kept.
@Suite struct PartialLobValidationTests {
    static let logger = Logger(label: "ferry.test.validation.partial-lob")
    static let columns = [
        ChecksumValidationTests.Column(name: "ID", declaration: "int"),
        ChecksumValidationTests.Column(name: "NV", declaration: "nvarchar(max)"),
        ChecksumValidationTests.Column(name: "VM", declaration: "varchar(max)"),
        ChecksumValidationTests.Column(name: "VB", declaration: "varbinary(max)"),
        ChecksumValidationTests.Column(name: "Note", declaration: "nvarchar(20)"),
    ]
    /// Row 1 holds values longer than 2 KB; row 2 short ones; row 3 NULLs.
    static let sourceLoad = """
        INSERT INTO dbo.T VALUES
        (1, REPLICATE(CAST(N'é😀' AS nvarchar(max)), 700), REPLICATE(CAST('ab' AS varchar(max)), 3000), CONVERT(varbinary(max), REPLICATE(CAST('xy' AS varchar(max)), 3000)), N'long'),
        (2, N'kurz', 'short', 0x0102, N'short'),
        (3, NULL, NULL, NULL, NULL)
        """
    /// The target as limited LOB mode with `LobMaxSize` 2 left it: 2,048 bytes of each value as SQL
    /// Server stores it — 1,024 UTF-16 code units of the nvarchar (341 × "é😀" is 1,023 units, and
    /// the next "é" fits), 2,048 characters of the varchar, 2,048 bytes of the varbinary.
    static let targetLoad = """
        INSERT INTO t VALUES
        (1, repeat('é😀', 341) || 'é', repeat('ab', 1024), decode(repeat('7879', 1024), 'hex'), 'long'),
        (2, 'kurz', 'short', '\\x0102', 'short'),
        (3, NULL, NULL, NULL, NULL)
        """

    @Test("whole LOBs differ from a limited-LOB-mode target; their first LobMaxSize bytes validate, and a change within them is found",
          arguments: [true, false])
    func partialLobs(serverChecksums: Bool) async throws {
        try await ChecksumValidationTests.withTable(
            database: "PartialLobs", columns: Self.columns, sourceLoad: Self.sourceLoad, targetLoad: { _ in Self.targetLoad }
        ) { source, target, schema, table, _ in
            let whole = try await TableValidator(source: source, target: target, settings: .init(serverChecksums: serverChecksums), logger: Self.logger).validate(table)
            #expect(whole.mismatches == [RowMismatch(key: ["ID": "1"], kind: .different(columns: ["NV", "VM", "VB"]))])

            let partial = TableValidator(
                source: source, target: target, settings: .init(largeObjectPrefixBytes: 2048, serverChecksums: serverChecksums), logger: Self.logger)
            let validated = try await partial.validate(table)
            #expect(validated.method == (serverChecksums ? .partitionChecksums : .rowByRow(reason: "server-side checksums are turned off")))
            #expect(validated.state == .validated, "\(validated.mismatches)")
            #expect(validated.matchedRows == 3)

            // Within the compared part, on each LOB column in turn.
            for (column, change) in [("NV", "nv = 'X' || substr(nv, 2)"), ("VM", "vm = substr(vm, 1, 2047) || 'Z'"), ("VB", "vb = overlay(vb placing '\\x00' from 100)")] {
                try await target.execute("CREATE TEMP TABLE saved AS SELECT * FROM \(schema).t WHERE id = 1; UPDATE \(schema).t SET \(change) WHERE id = 1")
                let changed = try await partial.validate(table)
                try await target.execute("DELETE FROM \(schema).t WHERE id = 1; INSERT INTO \(schema).t SELECT * FROM saved; DROP TABLE saved")
                #expect(changed.mismatches == [RowMismatch(key: ["ID": "1"], kind: .different(columns: [column]))], "\(column)")
            }
        }
    }

    @Test("ValidationPartialLobSize and SkipLobColumns reach the comparison from the task settings")
    func taskSettingsMapping() throws {
        var validation = ValidationSettings()
        #expect(TableValidator.Settings(validation, failureMaxCount: 7).largeObjectPrefixBytes == nil)
        validation.validationPartialLobSizeKB = 32
        validation.skipLobColumns = true
        validation.validationQueryCdcDelaySeconds = 3
        let settings = TableValidator.Settings(validation, failureMaxCount: 7)
        #expect(settings.largeObjectPrefixBytes == 32 * 1024)
        #expect(settings.skipLargeObjects)
        #expect(settings.failureMaxCount == 7)
        #expect(settings.recheckDelay == .seconds(3))
    }
}

import EventLog
import FerryCore
import FreeTDS
@testable import SQLServerSource
import Testing

/// DMS LOB settings: limited LOB mode truncates and counts, `SupportLobs: false` leaves LOB columns out.
@Suite(.serialized) struct SourceLobTests {
    static let setup = """
        CREATE TABLE dbo.docs (id int NOT NULL PRIMARY KEY, title nvarchar(20) NOT NULL, body nvarchar(max) NULL, ascii varchar(max) NULL, blob varbinary(max) NULL);
        EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'docs', @role_name = NULL;
        """

    @Test(arguments: LogKind.allCases)
    func valuesLongerThanLobMaxSizeAreTruncatedAndCounted(kind: LogKind) async throws {
        try await SourceTestEnvironment.with(kind, setup: Self.setup) { env in
            // LobMaxSize 1 KB: nvarchar keeps 512 characters, varchar and varbinary 1024.
            try await env.run("INSERT INTO dbo.docs VALUES (1, N'long', REPLICATE(CAST(N'é' AS nvarchar(max)), 3000), REPLICATE(CAST('a' AS varchar(max)), 1500), CAST(REPLICATE(CAST('b' AS varchar(max)), 2000) AS varbinary(max)))")
            try await env.run("INSERT INTO dbo.docs VALUES (2, N'short', N'fits', 'fits', 0x0102)")
            var stop = try await env.capture()
            let lobs = LobPolicy(TargetMetadataSettings.LobHandling.limited(maxSizeKB: 1))
            let configuration = env.configuration(stopAt: stop) { $0.lobs = lobs }
            let source = try SQLServerSource(connection: SourceTestEnvironment.connection(port: env.port, database: env.database), log: env.log,
                                             configuration: configuration, logger: SourceTestEnvironment.logger, reconnectDelays: [])
            try await source.run()

            try await env.run("UPDATE dbo.docs SET body = REPLICATE(CAST(N'x' AS nvarchar(max)), 600) WHERE id = 2")
            stop = try await env.capture()
            let streaming = try SQLServerSource(connection: SourceTestEnvironment.connection(port: env.port, database: env.database), log: env.log,
                                                configuration: env.configuration(stopAt: stop) { $0.lobs = lobs }, logger: SourceTestEnvironment.logger, reconnectDelays: [])
            try await streaming.run()

            let docs = try await env.changes("docs")
            #expect(docs.count == 3)
            let long = try #require(docs.first { $0.operation == .read && $0.after?["id"] == .int(1) })
            #expect(long.after?["body"] == .string(String(repeating: "é", count: 512)))
            #expect(long.after?["ascii"] == .string(String(repeating: "a", count: 1024)))
            #expect(long.after?["blob"] == .bytes([UInt8](repeating: 0x62, count: 1024)))
            let short = try #require(docs.first { $0.operation == .read && $0.after?["id"] == .int(2) })
            #expect(short.after?["body"] == .string("fits"))
            #expect(short.after?["blob"] == .bytes([1, 2]))
            let update = try #require(docs.last)
            #expect(update.operation == .update)
            #expect(update.after?["body"] == .string(String(repeating: "x", count: 512)))

            let table = TableIdentity(database: env.database, schema: "dbo", table: "docs")
            let snapshotCounts = try #require(await source.statistics.tables[table])
            #expect(snapshotCounts.lobTruncations == ["body": 1, "ascii": 1, "blob": 1])
            let streamingCounts = try #require(await streaming.statistics.tables[table])
            #expect(streamingCounts.lobTruncations == ["body": 1])
        }
    }

    @Test func supportLobsFalseLeavesLobColumnsOut() async throws {
        try await SourceTestEnvironment.with(.embedded, setup: Self.setup) { env in
            try await env.run("INSERT INTO dbo.docs VALUES (1, N'a', N'body', 'ascii', 0x01)")
            var stop = try await env.capture()
            let lobs = LobPolicy(TargetMetadataSettings.LobHandling.none)
            try await env.runSource(env.configuration(stopAt: stop) { $0.lobs = lobs })
            try await env.run("INSERT INTO dbo.docs VALUES (2, N'b', N'body', 'ascii', 0x02)")
            try await env.run("UPDATE dbo.docs SET title = N'c', body = N'changed' WHERE id = 1")
            stop = try await env.capture()
            try await env.runSource(env.configuration(stopAt: stop) { $0.lobs = lobs })
            let docs = try await env.changes("docs")
            #expect(docs.map(\.operation) == [.read, .create, .update])
            for event in docs {
                #expect(event.after?.map(\.name) == ["id", "title"])
            }
            #expect(docs[2].after?["title"] == .string("c"))
            #expect(docs[2].before?.map(\.name) == ["id", "title"])
        }
    }

    @Test func truncationRules() throws {
        let policy = LobPolicy(.truncate(maxBytes: 8))
        let nvarcharMax = try SQLServerDataType(.nvarchar, length: .max)
        // Four UTF-16 units: a surrogate pair is never split.
        #expect(policy.limit(.string("abc😀d"), type: nvarcharMax).value == .string("abc"))
        #expect(policy.limit(.string("abc😀d"), type: nvarcharMax).truncated)
        #expect(policy.limit(.string("ab😀cd"), type: nvarcharMax).value == .string("ab😀"))
        #expect(policy.limit(.string("abcd"), type: nvarcharMax).truncated == false)
        let varcharMax = try SQLServerDataType(.varchar, length: .max)
        #expect(policy.limit(.string("123456789"), type: varcharMax).value == .string("12345678"))
        #expect(policy.limit(.null, type: varcharMax).truncated == false)
        #expect(policy.limit(.unchanged, type: varcharMax).value == .unchanged)
        // Not a LOB: left alone whatever its length.
        let varchar100 = try SQLServerDataType(.varchar, length: .limited(100))
        #expect(policy.limit(.string("123456789"), type: varchar100).truncated == false)
        #expect(LobPolicy(.exclude).keeps(ColumnDefinition(name: "b", type: varcharMax, isNullable: true)) == false)
        #expect(LobPolicy(.exclude).keeps(ColumnDefinition(name: "b", type: varchar100, isNullable: true)))
    }
}

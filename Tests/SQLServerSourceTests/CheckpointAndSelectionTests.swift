import FerryCore
@testable import SQLServerSource
import Testing

@Suite struct CheckpointAndSelectionTests {
    @Test func checkpointRoundTrips() throws {
        let table = TableIdentity(database: "HR", schema: "HumanResources", table: "Department")
        let checkpoint = SourceCheckpoint(phase: .streaming, snapshotLSN: LSN("0000002a:00000130:0003"), snapshotCompleted: [table],
                                          position: LSN("0000002d:00000580:001d"), captureInstances: [table: "HumanResources_Department"],
                                          timestampMilliseconds: 1_700_000_000_000)
        let bytes = checkpoint.encoded()
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"position\":\"0000002d:00000580:001d\""))
        #expect(try SourceCheckpoint(decoding: bytes) == checkpoint)
        #expect(String(decoding: SourceCheckpoint.key(prefix: "srv", database: "HR"), as: UTF8.self) == "{\"db\":\"HR\",\"source\":\"srv\"}")
    }

    @Test func snapshotBoundariesRoundTripAndOlderCheckpointsReadWithout() throws {
        let items = TableIdentity(database: "shop", schema: "dbo", table: "items")
        let ledger = TableIdentity(database: "shop", schema: "dbo", table: "ledger")
        let old = try #require(LSN("0000002a:00000130:0003"))
        let low = try #require(LSN("0000002a:00000140:0001"))
        let high = try #require(LSN("0000002a:00000150:0001"))
        var checkpoint = SourceCheckpoint(phase: .snapshot, snapshotLSN: old, snapshotCompleted: [items, ledger])
        checkpoint.snapshotBoundaries = [items: high]
        checkpoint.snapshotTimes = [ledger: "2026-11-27 08:00:00.1234567"]
        checkpoint.snapshotStarted = [items, ledger]
        let decoded = try SourceCheckpoint(decoding: checkpoint.encoded())
        #expect(decoded == checkpoint)
        // Streaming starts after the smallest boundary; a table without one counts the snapshot LSN.
        #expect(decoded.streamingStart(for: [items]) == high)
        #expect(decoded.streamingStart(for: [items, ledger]) == old)
        var both = decoded
        both.snapshotBoundaries[ledger] = low
        #expect(both.streamingStart(for: [items, ledger]) == low)
        #expect(both.isInSnapshot(items, commitLSN: high) && !both.isInSnapshot(items, commitLSN: high.incremented()!))
        #expect(!both.isInSnapshot(TableIdentity(database: "shop", schema: "dbo", table: "other"), commitLSN: low))
        // A format-1 checkpoint of an earlier build: no boundaries, the old behaviour.
        let earlier = try SourceCheckpoint(decoding: Array(#"{"version":1,"phase":"snapshot","snapshot_lsn":"0000002a:00000130:0003","snapshot_completed":["shop.dbo.items"],"capture_instances":{},"ts_ms":0}"#.utf8))
        #expect(earlier.snapshotBoundaries.isEmpty && earlier.snapshotTimes.isEmpty && earlier.snapshotStarted.isEmpty)
        #expect(earlier.streamingStart(for: [items]) == old)
        // Without boundaries the stored JSON is what earlier builds wrote.
        let plain = String(decoding: SourceCheckpoint(phase: .streaming, position: old).encoded(), as: UTF8.self)
        #expect(!plain.contains("snapshot_boundaries") && !plain.contains("snapshot_times") && !plain.contains("snapshot_started"))
        #expect(throws: SourceError.self) {
            try SourceCheckpoint(decoding: Array(#"{"version":1,"phase":"snapshot","snapshot_completed":[],"capture_instances":{},"ts_ms":0,"snapshot_boundaries":{"shop.dbo.items":"nope"}}"#.utf8))
        }
    }

    @Test func badCheckpointsNameTheField() {
        do {
            _ = try SourceCheckpoint(decoding: Array(#"{"version":1,"phase":"streaming","snapshot_completed":[],"position":"nope","capture_instances":{},"ts_ms":0}"#.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidCheckpoint)
            #expect(error.context["field"] == "position")
        }
        #expect(throws: SourceError.self) { try SourceCheckpoint(decoding: Array(#"{"version":2,"phase":"streaming","snapshot_completed":[],"capture_instances":{},"ts_ms":0}"#.utf8)) }
    }

    @Test func selectionPatternsIncludeAndExclude() {
        let selection = TableSelection.patterns(include: [(schema: "Human%", table: "%")], exclude: [(schema: "%", table: "%History")])
        #expect(selection.includes(schema: "HumanResources", table: "Department"))
        #expect(selection.includes(schema: "humanresources", table: "Shift"))
        #expect(!selection.includes(schema: "HumanResources", table: "EmployeePayHistory"))
        #expect(!selection.includes(schema: "Sales", table: "Customer"))
        #expect(TableSelection.all.includes(schema: "dbo", table: "anything"))
    }

    @Test func tableMappingsFilesDriveSelection() throws {
        let mappings = try TableMappings(parsing: """
            {"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"1","object-locator":{"schema-name":"dbo","table-name":"ord%"},"rule-action":"include"}]}
            """)
        let selection = TableSelection(mappings: mappings)
        #expect(selection.includes(schema: "dbo", table: "orders"))
        #expect(!selection.includes(schema: "dbo", table: "customers"))
    }

    @Test func missingCaptureNamesTheTableAndTheFix() {
        let error = SourceCatalog.notCapturedError([TableIdentity(database: "HR", schema: "dbo", table: "it's")])
        #expect(error.code == .tableNotCaptured)
        #expect(error.message.contains("HR.dbo.it's"))
        #expect(error.message.contains("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'it''s', @role_name = NULL"))
    }

    @Test func rotationNamesTheNextInstance() {
        #expect(ChangeStreamer.nextInstanceName("dbo_orders") == "dbo_orders_v2")
        #expect(ChangeStreamer.nextInstanceName("dbo_orders_v2") == "dbo_orders_v3")
    }

    @Test func theInstanceAtAnLSNIsTheNewestStartedOne() {
        let old = CaptureInstance(name: "a", changeTableObjectID: 1, startLSN: LSN(virtualLogFile: 1, block: 1, slot: 0), columns: [], indexColumns: [])
        let new = CaptureInstance(name: "b", changeTableObjectID: 2, startLSN: LSN(virtualLogFile: 1, block: 9, slot: 0), columns: [], indexColumns: [])
        let pending = CaptureInstance(name: "c", changeTableObjectID: 3, startLSN: nil, columns: [], indexColumns: [])
        let table = CapturedTable(identity: TableIdentity(database: "d", schema: "s", table: "t"), objectID: 9, instances: [new, old], currentColumns: [], primaryKey: [])
        #expect(table.instance(at: LSN(virtualLogFile: 1, block: 5, slot: 0))?.name == "a")
        #expect(table.instance(at: LSN(virtualLogFile: 1, block: 9, slot: 0))?.name == "b")
        #expect(table.switchLSN == LSN(virtualLogFile: 1, block: 9, slot: 0))
        let rotating = CapturedTable(identity: table.identity, objectID: 9, instances: [pending, old], currentColumns: [], primaryKey: [])
        #expect(rotating.instance(at: .max)?.name == "a")
        #expect(rotating.switchLSN == nil)
    }
}

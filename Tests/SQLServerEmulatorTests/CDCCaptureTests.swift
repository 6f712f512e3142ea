@testable import SQLServerEmulator
import Testing

/// Capture at commit, the capture scan, change tables and fn_cdc_get_all_changes, at engine level.
@Suite struct CDCCaptureTests {
    static let allChanges = """
        DECLARE @from binary(10) = sys.fn_cdc_get_min_lsn(N'HumanResources_Department');
        DECLARE @to binary(10) = sys.fn_cdc_get_max_lsn();
        SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(@from, @to, N'all update old')
        ORDER BY __$start_lsn, __$seqval, __$operation;
        """

    @Test func enableDatabaseCreatesMetadataAndFlags() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            let sets = try await session.resultSets(
                """
                SELECT capture_instance, supports_net_changes, index_name, source_object_id FROM cdc.change_tables;
                SELECT column_name, column_ordinal, column_type FROM cdc.captured_columns ORDER BY column_ordinal;
                SELECT column_name, index_ordinal FROM cdc.index_columns;
                SELECT is_cdc_enabled FROM sys.databases WHERE name = N'HR';
                SELECT is_tracked_by_cdc FROM sys.tables WHERE name = N'Department';
                SELECT OBJECT_ID(N'HumanResources.Department') AS id;
                """)
            #expect(sets[0].value("capture_instance")?.text == "HumanResources_Department")
            #expect(sets[0].value("supports_net_changes") == .bit(true))
            #expect(sets[0].value("index_name")?.text == "PK_Department_DepartmentID")
            #expect(sets[0].value("source_object_id") == sets[5].value("id"))
            #expect(sets[1].column("column_name").compactMap(\.text) == ["DepartmentID", "Name", "GroupName", "Budget", "ModifiedDate"])
            #expect(sets[1].column("column_type").compactMap(\.text) == ["smallint", "nvarchar", "nvarchar", "decimal", "datetime"])
            #expect(sets[2].column("column_name").compactMap(\.text) == ["DepartmentID"])
            #expect(sets[3].value("is_cdc_enabled") == .bit(true))
            #expect(sets[4].value("is_tracked_by_cdc") == .bit(true))
        }
    }

    @Test func multiRowAndMultiStatementTransactionsGetOneCommitLSNAndOrderedSeqvals() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            try await session.run(
                """
                BEGIN TRANSACTION;
                INSERT INTO HumanResources.Department (Name, GroupName, Budget) VALUES (N'Eng', N'R&D', 10), (N'Ops', N'Ops', 20);
                UPDATE HumanResources.Department SET Budget = 11 WHERE Name = N'Eng';
                DELETE FROM HumanResources.Department WHERE Name = N'Ops';
                COMMIT;
                INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Sales', N'Sales');
                EXEC sys.sp_cdc_scan;
                """)
            let changes = try #require(try await session.resultSets(Self.allChanges).first)
            #expect(changes.columns.map(\.name).prefix(4) == ["__$start_lsn", "__$seqval", "__$operation", "__$update_mask"])
            #expect(changes.columns[0].type == SQLServerType(.binary, length: .bounded(10)))
            #expect(!changes.columns.contains { $0.name == "__$command_id" })
            #expect(changes.column("__$operation").compactMap(\.int) == [2, 2, 3, 4, 1, 2])
            let starts = changes.column("__$start_lsn").compactMap(\.bytes)
            #expect(starts.allSatisfy { $0.count == 10 })
            #expect(Set(starts.prefix(5)).count == 1)
            #expect(lsnLess(starts[0], starts[5]))
            let seqvals = changes.column("__$seqval").compactMap(\.bytes)
            #expect(seqvals[2] == seqvals[3])  // before and after image of one update
            #expect(lsnLess(seqvals[0], seqvals[1]) && lsnLess(seqvals[1], seqvals[2]) && lsnLess(seqvals[3], seqvals[4]))
            #expect(seqvals.prefix(5).allSatisfy { lsnLess($0, starts[0]) })
            // Insert and delete: every bit of five columns; the update: Budget (ordinal 4) only.
            #expect(changes.column("__$update_mask").compactMap(\.bytes) == [[0x1F], [0x1F], [0x08], [0x08], [0x1F], [0x1F]])
            #expect(changes.column("Budget")[2] == .decimal("10.00") && changes.column("Budget")[3] == .decimal("11.00"))

            // Command ids order the statements of the transaction (read from the change table).
            let direct = try #require(try await session.resultSets(
                "SELECT __$command_id AS c FROM cdc.HumanResources_Department_CT ORDER BY __$start_lsn, __$command_id, __$seqval, __$operation").first)
            #expect(direct.column("c").compactMap(\.int) == [1, 1, 2, 2, 3, 1])
            // 'all' leaves out the before images.
            let all = try #require(try await session.resultSets(Self.allChanges.replacingOccurrences(of: "N'all update old'", with: "N'all'")).first)
            #expect(all.column("__$operation").compactMap(\.int) == [2, 2, 4, 1, 2])
        }
    }

    @Test func rolledBackWorkIsNeverCaptured() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            try await session.run(
                """
                BEGIN TRANSACTION;
                INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Gone', N'X');
                ROLLBACK;
                BEGIN TRANSACTION;
                INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Kept', N'X');
                SAVE TRANSACTION s1;
                INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Undone', N'X');
                ROLLBACK TRANSACTION s1;
                COMMIT;
                EXEC sys.sp_cdc_scan;
                """)
            let changes = try #require(try await session.resultSets(Self.allChanges).first)
            #expect(changes.column("Name").compactMap(\.text) == ["Kept"])
            let mapping = try #require(try await session.resultSets(
                "SELECT COUNT(*) AS n FROM cdc.lsn_time_mapping WHERE tran_id <> 0x00").first)
            #expect(mapping.value("n")?.int == 1)
        }
    }

    @Test func idleScansAdvanceTheMaxLSN() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            let before = try #require(try await session.resultSets("SELECT sys.fn_cdc_get_max_lsn() AS m").first)
            #expect(before.value("m") == .null)
            try await session.run("EXEC sys.sp_cdc_scan;")
            let first = try #require(try await session.resultSets("SELECT sys.fn_cdc_get_max_lsn() AS m").first?.value("m")?.bytes)
            try await session.run("EXEC sys.sp_cdc_scan;")
            let second = try #require(try await session.resultSets("SELECT sys.fn_cdc_get_max_lsn() AS m").first?.value("m")?.bytes)
            #expect(lsnLess(first, second))
            let idle = try #require(try await session.resultSets(
                "SELECT COUNT(*) AS n FROM cdc.lsn_time_mapping WHERE tran_id = 0x00").first)
            #expect(idle.value("n")?.int == 2)
        }
    }
}

/// The capture job and LSN persistence.
@Suite struct CDCCaptureJobTests {
    @Test func lsnsContinueAfterTheEngineRestarts() async throws {
        try await CDCFixture.withCDC { session, _, url in
            try await session.run("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'A', N'G'); EXEC sys.sp_cdc_scan;")
            let before = try #require(try await session.resultSets("SELECT sys.fn_cdc_get_max_lsn() AS m").first?.value("m")?.bytes)
            let restarted = try await SQLServerEngine.open(postgresURL: url, logger: EmulatorTestDatabase.logger)
            let other = try await restarted.makeSession(database: "HR")
            try await other.run("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'B', N'G'); EXEC sys.sp_cdc_scan;")
            let after = try #require(try await other.resultSets("SELECT MAX(start_lsn) AS m FROM cdc.lsn_time_mapping WHERE tran_id <> 0x00").first?.value("m")?.bytes)
            await other.close()
            #expect(lsnLess(before, after))
        }
    }

    @Test func theJobHonoursStopStartAndMaxtrans() async throws {
        try await CDCFixture.withCDC { session, engine, _ in
            let job = engine.makeCaptureJob(configuration: .init(captureInterval: .milliseconds(50)))
            let running = Task { try await job.run() }
            func captured() async throws -> Int {
                try await session.resultSets("SELECT COUNT(*) AS n FROM cdc.lsn_time_mapping WHERE tran_id <> 0x00").first?.value("n")?.int ?? -1
            }
            try await session.run(
                """
                EXEC sys.sp_cdc_stop_job @job_type = N'capture';
                EXEC sys.sp_cdc_change_job @job_type = N'capture', @maxtrans = 2, @maxscans = 1;
                INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'A', N'G');
                INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'B', N'G');
                INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'C', N'G');
                """)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await captured() == 0)
            let jobs = try #require(try await session.resultSets("EXEC sys.sp_cdc_help_jobs").first)
            #expect(jobs.column("maxtrans").compactMap(\.int) == [2, 500])
            try await session.run("EXEC sys.sp_cdc_start_job;")
            var count = 0
            for _ in 0..<100 {
                count = try await captured()
                if count == 3 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(count == 3)
            let bad = try await session.errors("EXEC sys.sp_cdc_start_job @job_type = N'reader'")
            #expect(bad.map(\.number) == [22992])
            running.cancel()
            _ = await running.result
        }
    }
}

/// The catalog queries a CDC client such as Debezium sends.
@Suite struct CDCClientQueryTests {
    @Test func captureInstancesByRowNumberOverChangeTables() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            let set = try #require(try await session.resultSets(
                """
                WITH ct AS (
                    SELECT capture_instance, source_object_id, start_lsn, create_date,
                        ROW_NUMBER() OVER (PARTITION BY source_object_id, start_lsn ORDER BY create_date DESC) AS rn
                    FROM cdc.change_tables)
                SELECT OBJECT_SCHEMA_NAME(source_object_id) AS schema_name, OBJECT_NAME(source_object_id) AS table_name,
                    capture_instance, start_lsn
                FROM ct WHERE rn = 1
                """).first)
            #expect(set.value("schema_name")?.text == "HumanResources")
            #expect(set.value("table_name")?.text == "Department")
            #expect(set.value("capture_instance")?.text == "HumanResources_Department")
            #expect(set.value("start_lsn")?.bytes?.count == 10)
        }
    }
}

@Suite struct CDCHundredNanosecondTests {
    /// `time(7)`, `datetime2(7)` and `datetimeoffset(7)` are stored as composites with the 7th
    /// digit; the capture job must copy them into the change table whole (it once cast the row
    /// image's object to a timestamp and failed every scan).
    @Test func hundredNanosecondValuesAreCapturedWithTheirSeventhDigit() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            try await session.run("""
                CREATE TABLE dbo.Clock (ID int NOT NULL PRIMARY KEY, At datetime2(7) NULL, T time(7) NULL, O datetimeoffset(7) NULL);
                EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Clock', @role_name = NULL;
                """)
            try await session.run("""
                INSERT INTO dbo.Clock VALUES (1, '2026-11-27T10:00:00.1234567', '23:59:59.9999999', '2026-11-27T10:00:00.0000001+14:00');
                UPDATE dbo.Clock SET At = '2026-11-27T10:00:00.1234568' WHERE ID = 1;
                EXEC sys.sp_cdc_scan;
                """)
            let rows = try await session.resultSets("SELECT At, T, O, __$operation AS op FROM cdc.dbo_Clock_CT ORDER BY __$seqval, __$operation")[0]
            #expect(rows.column("op").compactMap(\.int) == [2, 3, 4])
            let source = try await session.resultSets("SELECT At, T, O FROM dbo.Clock")[0]
            #expect(rows.column("At").last == source.value("At"))
            #expect(rows.column("T").first == source.value("T"))
            #expect(rows.column("O").first == source.value("O"))
            #expect(rows.column("At").first != rows.column("At").last, "the insert's and the update's values differ only in the 7th digit")
        }
    }
}

@testable import SQLServerEmulator
import Testing

/// The rest of the CDC surface at engine level: net changes, Msg 313, cleanup, time mapping, DDL,
/// errors of the procedures, large values, concurrent commits.
@Suite struct CDCSurfaceTests {
    func rows(_ session: EngineSession, _ sql: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ResultSet {
        try #require(try await session.resultSets(sql, sourceLocation: sourceLocation).first, sourceLocation: sourceLocation)
    }

    func lsn(_ session: EngineSession, _ expression: String) async throws -> [UInt8] {
        try #require(try await rows(session, "SELECT \(expression) AS v").value("v")?.bytes)
    }

    @Test func netChangesInAllThreeModes() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            try await session.run(
                """
                INSERT INTO HumanResources.Department (Name, GroupName, Budget) VALUES (N'Y', N'G', 1), (N'W', N'G', 1), (N'V', N'G', 1);
                EXEC sys.sp_cdc_scan;
                """)
            let before = try await lsn(session, "sys.fn_cdc_get_max_lsn()")
            try await session.run(
                """
                INSERT INTO HumanResources.Department (Name, GroupName, Budget) VALUES (N'X', N'G', 5);
                UPDATE HumanResources.Department SET Budget = 6 WHERE Name = N'X';
                UPDATE HumanResources.Department SET Budget = 2 WHERE Name = N'Y';
                UPDATE HumanResources.Department SET GroupName = N'H' WHERE Name = N'Y';
                INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Z', N'G');
                DELETE FROM HumanResources.Department WHERE Name = N'Z';
                DELETE FROM HumanResources.Department WHERE Name = N'W';
                DELETE FROM HumanResources.Department WHERE Name = N'V';
                SET IDENTITY_INSERT HumanResources.Department ON;
                INSERT INTO HumanResources.Department (DepartmentID, Name, GroupName, Budget) VALUES (3, N'V2', N'G', 9);
                SET IDENTITY_INSERT HumanResources.Department OFF;
                EXEC sys.sp_cdc_scan;
                """)
            func net(_ option: String) async throws -> [String: (op: Int, mask: [UInt8]?, budget: SQLServerValue)] {
                let set = try await rows(
                    session,
                    """
                    DECLARE @from binary(10) = sys.fn_cdc_increment_lsn(0x\(before.map { String($0, radix: 16).leftPadded(to: 2) }.joined()));
                    SELECT * FROM cdc.fn_cdc_get_net_changes_HumanResources_Department(@from, sys.fn_cdc_get_max_lsn(), N'\(option)')
                    """)
                #expect(set.columns.map(\.name).prefix(3) == ["__$start_lsn", "__$operation", "__$update_mask"])
                var result: [String: (op: Int, mask: [UInt8]?, budget: SQLServerValue)] = [:]
                for row in set.rows {
                    let name = row[set.columns.firstIndex { $0.name == "Name" }!]
                    let key = name.text ?? "deleted:\(row[set.columns.firstIndex { $0.name == "DepartmentID" }!])"
                    result[key] = (row[1].int ?? -1, row[2].bytes, row[set.columns.firstIndex { $0.name == "Budget" }!])
                }
                return result
            }
            let all = try await net("all")
            #expect(Set(all.keys) == ["X", "Y", "W", "V2"])
            #expect(all["X"]?.op == 2 && all["X"]?.budget == .decimal("6.00"))
            #expect(all["Y"]?.op == 4 && all["Y"]?.mask == nil)
            #expect(all["W"]?.op == 1)
            #expect(all["V2"]?.op == 4)
            let masked = try await net(" ALL WITH MASK ")
            #expect(masked["Y"]?.mask == [0x0C])  // GroupName (3) and Budget (4)
            #expect(masked["X"]?.mask == nil && masked["W"]?.mask == nil)
            let merged = try await net("all with merge")
            #expect(merged["X"]?.op == 5 && merged["Y"]?.op == 5 && merged["V2"]?.op == 5 && merged["W"]?.op == 1)
        }
    }

    @Test func invalidRangesAndOptionsRaiseMsg313() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            try await session.run("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'A', N'G'); EXEC sys.sp_cdc_scan;")
            let cases = [
                "NULL, sys.fn_cdc_get_max_lsn(), N'all'",
                "sys.fn_cdc_get_min_lsn(N'HumanResources_Department'), NULL, N'all'",
                "sys.fn_cdc_decrement_lsn(sys.fn_cdc_get_min_lsn(N'HumanResources_Department')), sys.fn_cdc_get_max_lsn(), N'all'",
                "sys.fn_cdc_get_min_lsn(N'HumanResources_Department'), sys.fn_cdc_increment_lsn(sys.fn_cdc_get_max_lsn()), N'all'",
                "sys.fn_cdc_get_min_lsn(N'HumanResources_Department'), sys.fn_cdc_get_max_lsn(), N'all with merge'",
            ]
            for arguments in cases {
                let errors = try await session.errors("SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(\(arguments))")
                #expect(errors.map(\.number) == [313], "\(arguments)")
                #expect(errors.first?.state == 3)
                #expect(errors.first?.message == "An insufficient number of arguments were supplied for the procedure or function cdc.fn_cdc_get_all_changes_ ... .")
            }
            let net = try await session.errors(
                "SELECT * FROM cdc.fn_cdc_get_net_changes_HumanResources_Department(NULL, NULL, N'all update old')")
            #expect(net.first?.message == "An insufficient number of arguments were supplied for the procedure or function cdc.fn_cdc_get_net_changes_ ... .")
            // Reading the change table directly validates nothing.
            #expect(try await session.errors("SELECT * FROM cdc.HumanResources_Department_CT").isEmpty)
        }
    }

    @Test func cleanupRaisesTheMinimumAndOlderRangesFailWith313() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            try await session.run("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Old', N'G'); EXEC sys.sp_cdc_scan;")
            let oldMin = try await lsn(session, "sys.fn_cdc_get_min_lsn(N'HumanResources_Department')")
            try await session.run("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'New', N'G'); EXEC sys.sp_cdc_scan;")
            try await session.run(
                """
                DECLARE @mark binary(10) = (SELECT MAX(start_lsn) FROM cdc.lsn_time_mapping WHERE tran_id <> 0x00);
                EXEC sys.sp_cdc_cleanup_change_table @capture_instance = N'HumanResources_Department', @low_water_mark = @mark, @threshold = 5000;
                """)
            let newMin = try await lsn(session, "sys.fn_cdc_get_min_lsn(N'HumanResources_Department')")
            #expect(lsnLess(oldMin, newMin))
            #expect(try await rows(session, "SELECT Name FROM cdc.HumanResources_Department_CT").column("Name").compactMap(\.text) == ["New"])
            let oldHex = oldMin.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            let errors = try await session.errors(
                "SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(0x\(oldHex), sys.fn_cdc_get_max_lsn(), N'all')")
            #expect(errors.map(\.number) == [313])
            let current = try await rows(
                session,
                "SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(sys.fn_cdc_get_min_lsn(N'HumanResources_Department'), sys.fn_cdc_get_max_lsn(), N'all')")
            #expect(current.column("Name").compactMap(\.text) == ["New"])
            // A mark that is no LSN of lsn_time_mapping is refused.
            let refused = try await session.errors(
                "EXEC sys.sp_cdc_cleanup_change_table @capture_instance = N'HumanResources_Department', @low_water_mark = 0x00000000000000000001, @threshold = 10")
            #expect(refused.map(\.number) == [22964])
        }
    }

    @Test func mapTimeToLSNBoundariesAndLSNToTime() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            try await session.run("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'A', N'G'); EXEC sys.sp_cdc_scan;")
            try await session.run("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'B', N'G'); EXEC sys.sp_cdc_scan;")
            try await session.run("EXEC sys.sp_cdc_scan;")
            let mapping = try await rows(session, "SELECT start_lsn, tran_end_time, tran_id FROM cdc.lsn_time_mapping ORDER BY start_lsn")
            try #require(mapping.rows.count == 3)
            let lsns = mapping.column("start_lsn").compactMap(\.bytes)
            #expect(mapping.column("tran_id")[2] == .binary([0]))
            let boundaries = try await rows(
                session,
                """
                DECLARE @t datetime = (SELECT tran_end_time FROM cdc.lsn_time_mapping WHERE start_lsn = (SELECT MAX(start_lsn) FROM cdc.lsn_time_mapping WHERE tran_id <> 0x00));
                SELECT sys.fn_cdc_map_time_to_lsn('largest less than', @t) AS lt,
                    sys.fn_cdc_map_time_to_lsn('largest less than or equal', @t) AS le,
                    sys.fn_cdc_map_time_to_lsn('smallest greater than', @t) AS gt,
                    sys.fn_cdc_map_time_to_lsn('smallest greater than or equal', @t) AS ge,
                    sys.fn_cdc_map_lsn_to_time(sys.fn_cdc_map_time_to_lsn('largest less than or equal', @t)) AS back,
                    @t AS t
                """)
            #expect(boundaries.value("lt")?.bytes == lsns[0])
            #expect(boundaries.value("le")?.bytes == lsns[1])
            #expect(boundaries.value("gt")?.bytes == lsns[2])
            #expect(boundaries.value("ge")?.bytes == lsns[1])
            #expect(boundaries.value("back") == boundaries.value("t"))
        }
    }

    @Test func truncateOfATrackedTableIsRefusedWith4711() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            let errors = try await session.errors("TRUNCATE TABLE HumanResources.Department")
            #expect(errors.map(\.number) == [4711])
            #expect(errors.first?.message == "Cannot truncate table 'HumanResources.Department' because it is published for replication or enabled for Change Data Capture.")
        }
    }

    @Test func procedureErrors22901And22939And22962() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE DATABASE Plain; USE Plain; CREATE TABLE dbo.NoKey (a int, b int);")
            let notEnabled = try await session.errors("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'NoKey', @role_name = NULL")
            #expect(notEnabled.map(\.number) == [22901])
            #expect(notEnabled.first?.message.hasPrefix("The database 'Plain' is not enabled for Change Data Capture.") == true)
            let noDatabase = try await session.errors("SELECT sys.fn_cdc_get_max_lsn()")
            #expect(noDatabase.first?.number == 208 && noDatabase.first?.message == "Invalid object name 'cdc.lsn_time_mapping'.")
            try await session.run("EXEC sys.sp_cdc_enable_db")
            let noKey = try await session.errors(
                "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'NoKey', @role_name = NULL, @supports_net_changes = 1")
            #expect(noKey.map(\.number) == [22939])
            let missingRole = try await session.errors("EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'NoKey'")
            #expect(missingRole.map(\.number) == [201])
            try await session.run(
                """
                EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'NoKey', @role_name = NULL;
                EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'NoKey', @role_name = NULL, @capture_instance = N'second';
                """)
            let third = try await session.errors(
                "EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'NoKey', @role_name = NULL, @capture_instance = N'third'")
            #expect(third.map(\.number) == [22962])
            #expect(third.first?.message.hasPrefix("Two capture instances already exist for source table 'dbo.NoKey'.") == true)
            // Without a key there is no net changes function.
            let noNet = try await session.errors(
                "SELECT * FROM cdc.fn_cdc_get_net_changes_dbo_NoKey(sys.fn_cdc_get_min_lsn('dbo_NoKey'), sys.fn_cdc_get_max_lsn(), 'all')")
            #expect(noNet.map(\.number) == [208])
            let help = try await rows(session, "EXEC sys.sp_cdc_help_change_data_capture @source_schema = N'dbo', @source_name = N'NoKey'")
            #expect(help.column("capture_instance").compactMap(\.text) == ["dbo_NoKey", "second"])
            #expect(help.value("captured_column_list")?.text == "[a], [b]")
            #expect(help.value("supports_net_changes") == .bit(false))
            try await session.run("EXEC sys.sp_cdc_disable_table @source_schema = N'dbo', @source_name = N'NoKey', @capture_instance = N'all'")
            #expect(try await rows(session, "SELECT COUNT(*) AS n FROM cdc.change_tables").value("n")?.int == 0)
            #expect(try await rows(session, "SELECT is_tracked_by_cdc AS t FROM sys.tables WHERE name = N'NoKey'").value("t") == .bit(false))
            try await session.run("EXEC sys.sp_cdc_disable_db")
            #expect(try await rows(session, "SELECT is_cdc_enabled AS e FROM sys.databases WHERE name = N'Plain'").value("e") == .bit(false))
        }
    }

    @Test func addAndDropColumnWithASecondCaptureInstance() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            try await session.run(
                """
                INSERT INTO HumanResources.Department (Name, GroupName, Budget) VALUES (N'R1', N'G', 1);
                ALTER TABLE HumanResources.Department ADD Location nvarchar(20) NULL;
                EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'Department', @role_name = NULL,
                    @capture_instance = N'HumanResources_Department_v2';
                INSERT INTO HumanResources.Department (Name, GroupName, Budget, Location) VALUES (N'R2', N'G', 2, N'Paris');
                UPDATE HumanResources.Department SET Budget = 3, Location = N'Lyon' WHERE Name = N'R2';
                ALTER TABLE HumanResources.Department DROP COLUMN Budget;
                INSERT INTO HumanResources.Department (Name, GroupName, Location) VALUES (N'R3', N'G', N'Nice');
                EXEC sys.sp_cdc_scan;
                """)
            let first = try await rows(
                session,
                "SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(sys.fn_cdc_get_min_lsn('HumanResources_Department'), sys.fn_cdc_get_max_lsn(), 'all update old') ORDER BY __$start_lsn, __$seqval, __$operation")
            #expect(!first.columns.contains { $0.name == "Location" })
            #expect(first.column("Name").compactMap(\.text) == ["R1", "R2", "R2", "R2", "R3"])
            #expect(first.column("Budget") == [.decimal("1.00"), .decimal("2.00"), .decimal("2.00"), .decimal("3.00"), .null])
            // The update changed Budget (4) and Location, which this instance does not capture.
            #expect(first.column("__$update_mask")[3].bytes == [0x08])
            let second = try await rows(
                session,
                "SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Department_v2(sys.fn_cdc_get_min_lsn('HumanResources_Department_v2'), sys.fn_cdc_get_max_lsn(), 'all update old') ORDER BY __$start_lsn, __$seqval, __$operation")
            #expect(second.column("Name").compactMap(\.text) == ["R2", "R2", "R2", "R3"])
            #expect(second.column("Location").compactMap(\.text) == ["Paris", "Paris", "Lyon", "Nice"])
            #expect(second.column("Budget").last == .null)
            #expect(second.column("__$update_mask")[2].bytes == [0x28])  // Budget (4) and Location (6)
            let history = try await rows(
                session,
                "SELECT ddl_command, required_column_update, ddl_lsn FROM cdc.ddl_history ORDER BY ddl_lsn, object_id")
            #expect(history.rows.count == 3)
            #expect(history.column("ddl_command").compactMap(\.text).allSatisfy { $0.uppercased().hasPrefix("ALTER TABLE") })
            #expect(history.column("required_column_update").allSatisfy { $0 == .bit(false) })
        }
    }

    @Test func alterColumnChangesTheChangeTableAndIsRecorded() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            try await session.run(
                """
                ALTER TABLE HumanResources.Department ALTER COLUMN Name nvarchar(80) NOT NULL;
                INSERT INTO HumanResources.Department (Name, GroupName) VALUES (REPLICATE(N'n', 70), N'G');
                EXEC sys.sp_cdc_scan;
                """)
            let history = try await rows(session, "SELECT required_column_update AS r FROM cdc.ddl_history")
            #expect(history.column("r") == [.bit(true)])
            let name = try await rows(session, "SELECT LEN(Name) AS n FROM cdc.HumanResources_Department_CT")
            #expect(name.value("n")?.int == 70)
        }
    }

    @Test func concurrentTransactionsAreOrderedByCommitNotByStart() async throws {
        try await CDCFixture.withCDC { session, engine, _ in
            let other = try await engine.makeSession(database: "HR")
            try await session.run("BEGIN TRANSACTION; INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'started first', N'G');")
            try await other.run("BEGIN TRANSACTION; INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'committed first', N'G'); COMMIT;")
            try await session.run("COMMIT;")
            await other.close()
            try await session.run("EXEC sys.sp_cdc_scan")
            let changes = try await rows(
                session,
                "SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(sys.fn_cdc_get_min_lsn('HumanResources_Department'), sys.fn_cdc_get_max_lsn(), 'all') ORDER BY __$start_lsn")
            #expect(changes.column("Name").compactMap(\.text) == ["committed first", "started first"])
        }
    }

    @Test func largeValueAndComputedColumnRules() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            try await session.run(
                """
                CREATE TABLE dbo.Doc (Id int NOT NULL PRIMARY KEY, Title nvarchar(50) NULL, Body nvarchar(max) NULL, Legacy ntext NULL,
                    Twice AS (Id * 2));
                EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'Doc', @role_name = NULL;
                INSERT INTO dbo.Doc (Id, Title, Body, Legacy) VALUES (1, N't', N'long body', N'old text');
                UPDATE dbo.Doc SET Title = N'u' WHERE Id = 1;
                DELETE FROM dbo.Doc WHERE Id = 1;
                EXEC sys.sp_cdc_scan;
                """)
            let changes = try await rows(
                session,
                "SELECT * FROM cdc.fn_cdc_get_all_changes_dbo_Doc(sys.fn_cdc_get_min_lsn('dbo_Doc'), sys.fn_cdc_get_max_lsn(), 'all update old') ORDER BY __$start_lsn, __$seqval, __$operation")
            #expect(changes.column("__$operation").compactMap(\.int) == [2, 3, 4, 1])
            #expect(changes.column("Body") == [.string("long body"), .null, .string("long body"), .string("long body")])
            #expect(changes.column("Legacy") == [.string("old text"), .null, .string("old text"), .null])
            #expect(changes.column("Twice").allSatisfy { $0 == .null })
            let ordinal = try await rows(
                session,
                """
                SELECT sys.fn_cdc_get_column_ordinal('dbo_Doc', 'Title') AS o,
                    sys.fn_cdc_is_bit_set(sys.fn_cdc_get_column_ordinal('dbo_Doc', 'Title'), 0x02) AS s,
                    sys.fn_cdc_is_bit_set(3, 0x02) AS n
                """)
            #expect(ordinal.value("o")?.int == 2 && ordinal.value("s") == .bit(true) && ordinal.value("n") == .bit(false))
        }
    }
}

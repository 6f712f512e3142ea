@testable import SQLServerEmulator
import Testing

/// CDC on the shipped HumanResources sample: every table tracked, a transaction spanning two tables.
@Suite struct CDCHumanResourcesTests {
    @Test func theSampleSchemaIsCapturedWithMasksComputedColumnsAndSharedCommitLSNs() async throws {
        try await EmulatorTestDatabase.withDatabase { url in
            let engine = try await SQLServerEngine.open(postgresURL: url, logger: EmulatorTestDatabase.logger)
            _ = try await engine.install(SampleDatabases.humanResources)
            let session = try await engine.makeSession(database: "AdventureWorks2014")
            try await session.run("EXEC sys.sp_cdc_enable_db;")
            for table in ["Department", "Shift", "Employee", "EmployeeDepartmentHistory", "EmployeePayHistory", "JobCandidate"] {
                try await session.run(
                    "EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'\(table)', @role_name = NULL, @supports_net_changes = 1;")
            }
            try await session.run(
                """
                BEGIN TRANSACTION;
                UPDATE HumanResources.Employee SET VacationHours = VacationHours + 1 WHERE BusinessEntityID <= 3;
                INSERT INTO HumanResources.EmployeePayHistory (BusinessEntityID, RateChangeDate, Rate, PayFrequency)
                    VALUES (1, '2026-11-27', 99.50, 2);
                COMMIT;
                UPDATE HumanResources.JobCandidate SET ModifiedDate = '2026-01-01'
                    WHERE JobCandidateID = (SELECT MIN(JobCandidateID) FROM HumanResources.JobCandidate);
                EXEC sys.sp_cdc_scan;
                """)
            let employee = try #require(try await session.resultSets(
                """
                SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Employee(
                    sys.fn_cdc_get_min_lsn(N'HumanResources_Employee'), sys.fn_cdc_get_max_lsn(), N'all update old')
                ORDER BY __$start_lsn, __$seqval, __$operation
                """).first)
            #expect(employee.column("__$operation").compactMap(\.int) == [3, 4, 3, 4, 3, 4])
            // 14 captured columns: two mask bytes; VacationHours is ordinal 10.
            #expect(employee.column("__$update_mask").allSatisfy { $0.bytes == [0x02, 0x00] })
            #expect(employee.column("OrganizationLevel").allSatisfy { $0 == .null })
            #expect(employee.column("rowguid")[0] == employee.column("rowguid")[1])
            let pay = try #require(try await session.resultSets(
                """
                SELECT __$start_lsn, __$operation, __$update_mask, Rate FROM cdc.fn_cdc_get_net_changes_HumanResources_EmployeePayHistory(
                    sys.fn_cdc_get_min_lsn(N'HumanResources_EmployeePayHistory'), sys.fn_cdc_get_max_lsn(), N'all with mask')
                """).first)
            #expect(pay.column("__$operation").compactMap(\.int) == [2])
            #expect(pay.value("__$start_lsn") == employee.value("__$start_lsn"))  // one transaction, one commit LSN
            #expect(pay.value("Rate") != .null && pay.value("__$update_mask") == .null)
            let candidate = try #require(try await session.resultSets(
                """
                SELECT __$operation, Resume FROM cdc.fn_cdc_get_all_changes_HumanResources_JobCandidate(
                    sys.fn_cdc_get_min_lsn(N'HumanResources_JobCandidate'), sys.fn_cdc_get_max_lsn(), N'all update old')
                ORDER BY __$seqval, __$operation
                """).first)
            // xml is a large value: not updated, so NULL in the before image, present in the after image.
            #expect(candidate.column("__$operation").compactMap(\.int) == [3, 4])
            #expect(candidate.column("Resume").first == .null && candidate.column("Resume").last != .null)
            await session.close()
        }
    }
}

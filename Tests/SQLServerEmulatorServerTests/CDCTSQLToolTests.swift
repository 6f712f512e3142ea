import Foundation
import SQLServerEmulator
import Testing

/// FreeTDS's `tsql` enabling CDC on the HumanResources sample and reading changes, as a DBA would.
@Suite struct CDCTSQLToolTests {
    @Test(.enabled(if: TSQLToolTests.tsqlPath != nil, "tsql is not installed: apt-get install freetds-bin (scripts/install-deps.sh)"))
    func tsqlEnablesCDCAndReadsAllAndNetChanges() async throws {
        try await EmulatorHarness.withServer { port, _ in
            let script = SampleDatabases.humanResources.script + """
                EXEC sys.sp_cdc_enable_db
                GO
                EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'Department', @role_name = NULL
                GO
                BEGIN TRANSACTION
                UPDATE HumanResources.Department SET GroupName = N'Engineering Group' WHERE Name = N'Engineering'
                INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'Cdc Lab', N'Research')
                COMMIT
                EXEC sys.sp_cdc_scan
                GO
                DECLARE @from binary(10) = sys.fn_cdc_get_min_lsn(N'HumanResources_Department'), @to binary(10) = sys.fn_cdc_get_max_lsn()
                SELECT 'all:' + CAST(__$operation AS varchar(2)) + ':' + Name + ':' + GroupName AS change
                FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(@from, @to, N'all update old')
                ORDER BY __$start_lsn, __$seqval, __$operation
                SELECT 'net:' + CAST(__$operation AS varchar(2)) + ':' + Name AS change
                FROM cdc.fn_cdc_get_net_changes_HumanResources_Department(@from, @to, N'all with merge')
                ORDER BY Name
                GO
                SELECT * FROM cdc.fn_cdc_get_all_changes_HumanResources_Department(NULL, NULL, N'all')
                GO
                exit

                """
            let (status, output, errors) = try await TSQLToolTests.runTSQL(port: port, input: script)
            #expect(status == 0)
            for line in [
                "all:3:Engineering:Research and Development", "all:4:Engineering:Engineering Group", "all:2:Cdc Lab:Research",
                "net:5:Cdc Lab", "net:5:Engineering",
            ] {
                #expect(output.contains(line), "tsql printed: \(output)")
            }
            let messages = (output + errors).components(separatedBy: "\n").filter { $0.contains("Msg ") }
            #expect(messages.count == 1 && messages.first?.contains("Msg 313") == true, "tsql printed: \(output + errors)")
        }
    }
}

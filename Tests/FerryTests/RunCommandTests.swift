import FerryTestSupport
import Foundation
import Logging
import Postgres
import Testing

/// `ferry run` options and the tasks that end on their own.
@Suite(.serialized) struct RunCommandTests {
    @Test("full-load stops on its own once the load is applied, rows equal to the source")
    func fullLoadStopsWhenApplied() async throws {
        try await WalkthroughTests.withEnvironment { environment in
            try await WalkthroughTests.convert(environment)
            var arguments = environment.runArguments()
            arguments[arguments.firstIndex(of: "full-load-and-cdc")!] = "full-load"
            let run = try ChildProcess(ferry: arguments)
            #expect(try await run.waitForExit(timeout: .seconds(180)) == 0, "\(run.standardError)")
            #expect(run.output.contains("full load applied"))
            let counts = try await WalkthroughTests.sourceCounts(environment)
            let target = try await PostgresConnection.connect(url: environment.targetURL, logger: Logger(label: "test"))
            for (table, rows) in counts {
                let applied = try await target.query("SELECT count(*) FROM \(WalkthroughTests.schema).\(table.lowercased())").first?.decode(Int64.self, at: 0)
                #expect(applied == Int64(rows), "rows of \(table)")
            }
            await target.close()
            let statistics = try await WalkthroughTests.status(environment)
            for (table, rows) in counts where rows > 0 { #expect(statistics[table]?.fullLoadRows == rows, "full-load rows of \(table)") }
        }
    }

    @Test("bad options exit 2 naming the option", arguments: [
        (["--migration-type", "everything"], "--migration-type"),
        (["--migration-type", "full-load", "--cdc-start-position", "0000002a:00000130:0003"], "--cdc-start-position"),
        (["--migration-type", "cdc", "--cdc-start-position", "yesterday"], "--cdc-start-position"),
        (["--progress", "sometimes"], "--progress"),
    ])
    func badOptions(extra: [String], option: String) async throws {
        let run = try ChildProcess(ferry: ["run", "--source", "sqlserver://sa:x@127.0.0.1:1/Db", "--target", "postgresql://127.0.0.1:1/x"] + extra)
        #expect(try await run.waitForExit() == 2)
        #expect(run.standardError.contains(option), "\(run.standardError)")
    }

    @Test("--target is required")
    func targetRequired() async throws {
        let run = try ChildProcess(ferry: ["run", "--source", "sqlserver://sa:x@127.0.0.1:1/Db"])
        #expect(try await run.waitForExit() == 2)
        #expect(run.standardError.contains("--target"))
    }
}

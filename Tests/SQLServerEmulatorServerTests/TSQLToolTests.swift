import Foundation
import SQLServerEmulator
import Testing

/// FreeTDS's own command-line client, `tsql`, runs the shipped HumanResources script against the
/// emulator as a user would: the script on standard input, batches separated by `GO`.
@Suite struct TSQLToolTests {
    /// Where `tsql` is, or nil when FreeTDS's command-line tools are not installed.
    static let tsqlPath: String? = ["/usr/bin/tsql", "/usr/local/bin/tsql", "/opt/homebrew/bin/tsql"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: tsqlPath != nil, "tsql is not installed: apt-get install freetds-bin (scripts/install-deps.sh)"))
    func tsqlRunsTheSeedScriptAndReadsItBack() async throws {
        try await EmulatorHarness.withServer { port, _ in
            let script = SampleDatabases.humanResources.script + """
                SELECT COUNT(*) AS employees FROM HumanResources.Employee
                GO
                SELECT t.name + ':' + s.name AS alias FROM sys.types t JOIN sys.types s ON s.user_type_id = t.system_type_id
                WHERE t.is_user_defined = 1 ORDER BY t.name
                GO
                SELECT TOP 1 JobTitle + '|' + Department FROM HumanResources.vEmployeeDepartment ORDER BY BusinessEntityID
                GO
                SELECT * FROM dbo.no_such_table
                GO
                exit

                """
            let (status, output, errors) = try await Self.runTSQL(port: port, input: script)
            #expect(status == 0)
            #expect(output.contains("\n300\n"), "tsql printed: \(output)")
            #expect(output.contains("Flag:bit"))
            #expect(output.contains("Name:nvarchar"))
            #expect(output.contains("Phone:nvarchar"))
            #expect(output.contains("Technician|Tool Design"))
            // Only the deliberate error: SQL Server's 208 with its text.
            let messages = (output + errors).components(separatedBy: "\n").filter { $0.contains("Msg ") }
            #expect(messages.count == 1, "tsql printed: \(output + errors)")
            #expect(messages.first?.contains("Msg 208") == true)
            #expect((output + errors).contains("Invalid object name 'dbo.no_such_table'."))
        }
    }

    /// Runs `tsql` with `input` on standard input; returns its exit status, stdout and stderr.
    /// Files, not pipes, carry the streams, so nothing blocks a thread of Swift's pool (the
    /// emulator's handler runs there).
    static func runTSQL(port: Int, input: String) async throws -> (Int32, String, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tsql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("in.sql")
        let outputURL = directory.appendingPathComponent("out.txt")
        let errorURL = directory.appendingPathComponent("err.txt")
        try Data(input.utf8).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(tsqlPath))
        process.arguments = ["-H", "127.0.0.1", "-p", String(port), "-U", "sa", "-P", EmulatorHarness.password, "-o", "q"]
        var environment = ProcessInfo.processInfo.environment
        environment["TDSVER"] = "7.4"
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { process in
            exited.continuation.yield(process.terminationStatus)
            exited.continuation.finish()
        }
        try process.run()
        // A hang guard, not a speed check: a stuck tsql must not stall the whole test run.
        let guardTask = Task {
            try await Task.sleep(for: .seconds(300))
            process.terminate()
        }
        var status: Int32 = -1
        for await value in exited.stream { status = value }
        guardTask.cancel()
        let output = String(decoding: try Data(contentsOf: outputURL), as: UTF8.self)
        let errors = String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
        return (status, output, errors)
    }
}

import EventLog
import Testing

@Suite struct EmbeddedLogConformanceTests {
    @Test(arguments: ConformanceCheck.all)
    func embeddedLogConforms(_ check: ConformanceCheck) async throws {
        try await EmbeddedLogEnvironment.with { environment in
            try await check.run(environment)
        }
    }
}

import EventLog
import Testing

@Suite struct KafkaLogConformanceTests {
    @Test(arguments: ConformanceCheck.all)
    func kafkaLogConforms(_ check: ConformanceCheck) async throws {
        let env = try await KafkaLogEnvironment()
        do {
            try await check.run(env)
        } catch {
            await env.tearDown()
            throw error
        }
        await env.tearDown()
    }
}

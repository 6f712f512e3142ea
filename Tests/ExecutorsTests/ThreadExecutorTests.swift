import Executors
import Testing

private actor Counter {
    let executor: ThreadExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private(set) var value = 0
    private(set) var ranOnOwnThread = true

    init(executor: ThreadExecutor) { self.executor = executor }

    func increment() {
        if !executor.isCurrentThread { ranOnOwnThread = false }
        value += 1
    }
}

@Suite struct ThreadExecutorTests {
    @Test func actorMethodsRunSeriallyOnTheDedicatedThread() async {
        let executor = ThreadExecutor(name: "test-executor")
        defer { executor.shutdown() }
        let counter = Counter(executor: executor)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<1000 {
                group.addTask { await counter.increment() }
            }
        }
        #expect(await counter.value == 1000)
        #expect(await counter.ranOnOwnThread)
    }

    @Test func jobsEnqueuedBeforeShutdownStillRun() async {
        let executor = ThreadExecutor(name: "test-shutdown")
        let counter = Counter(executor: executor)
        await counter.increment()
        executor.shutdown()
        #expect(await counter.value == 1)
    }

    @Test func jobsEnqueuedAfterTheThreadExitedStillRun() async throws {
        let executor = ThreadExecutor(name: "test-late")
        let counter = Counter(executor: executor)
        executor.shutdown()
        // Give the thread time to drain and exit, then call again: the call must not hang.
        try await Task.sleep(for: .milliseconds(100))
        await counter.increment()
        await counter.increment()
        #expect(await counter.value == 2)
        #expect(await counter.ranOnOwnThread)
    }
}

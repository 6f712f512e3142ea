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
}

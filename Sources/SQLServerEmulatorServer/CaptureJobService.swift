import ServiceLifecycle
import SQLServerEmulator

/// The emulator's CDC capture and cleanup jobs as a service of the executable's group: they run
/// while the server does and stop on SIGTERM/SIGINT with it.
struct CaptureJobService: Service {
    let job: CaptureJob

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await job.run() }
        } catch is CancellationError {
            return
        }
    }
}

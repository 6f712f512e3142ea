import ArgumentParser
import Logging
import Metrics
import Prometheus
import Synchronization

/// `--metrics-listen HOST:PORT`, shared by the long-running commands: where to serve Prometheus
/// metrics and the health check.
struct MetricsOptions: ParsableArguments {
    @Option(
        name: .customLong("metrics-listen"),
        help: ArgumentHelp("Serve Prometheus metrics at http://HOST:PORT/metrics and a health check at /health.", valueName: "HOST:PORT")
    )
    var listen: String?

    func validate() throws {
        _ = try address()
    }

    /// The parsed address, or `nil` without `--metrics-listen`.
    func address() throws -> (host: String, port: UInt16)? {
        guard let listen else { return nil }
        guard let colon = listen.lastIndex(of: ":"), let port = UInt16(listen[listen.index(after: colon)...]) else {
            throw ValidationError("--metrics-listen '\(listen)' is not HOST:PORT (e.g. 127.0.0.1:9464)")
        }
        let host = String(listen[..<colon])
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// Routes every swift-metrics metric of the process to Prometheus and opens the endpoint;
    /// `nil` without `--metrics-listen` (metrics then go nowhere, at no cost).
    func makeEndpoint(logger: Logger) throws -> MetricsEndpoint? {
        guard let (host, port) = try address() else { return nil }
        return try MetricsEndpoint(host: host, port: port, registry: PrometheusBootstrap.registry, logger: logger)
    }
}

/// The process's one Prometheus registry, installed as the swift-metrics backend on first use
/// (swift-metrics allows a single bootstrap per process).
enum PrometheusBootstrap {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

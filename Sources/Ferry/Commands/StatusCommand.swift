import ArgumentParser
import Foundation
import Logging
import Postgres
import PostgresSink

/// `ferry status`: per-table statistics, lag and state of the sinks writing to a target.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show per-table statistics, lag and state of the sinks of a PostgreSQL target."
    )

    @Option(help: "The target PostgreSQL database (a libpq URL).")
    var target: String

    @Option(help: "Only this sink.")
    var name: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        var logger = Logger(label: "ferry.status") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let connection = try await PostgresConnection.connect(url: target, logger: logger)
        let statuses = try await SinkTableStatus.load(from: connection, sink: name)
        await connection.close()
        if json {
            let objects: [[String: Any]] = statuses.map { status in
                [
                    "sink": status.sink, "source_table": status.sourceTable, "target_table": status.targetTable, "state": status.state,
                    "full_load_rows": status.fullLoadRows, "inserts": status.inserts, "updates": status.updates, "deletes": status.deletes,
                    "ddls": status.ddls, "applied_lsn": status.appliedLSN ?? NSNull(), "applied_commit_time": status.appliedCommitTime ?? NSNull(),
                    "lag_seconds": status.lagSeconds ?? NSNull(), "last_update": status.lastUpdate, "exceptions": status.exceptions,
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        guard !statuses.isEmpty else {
            print("no sink has written statistics to this target")
            return
        }
        let header = ["sink", "source table", "target table", "state", "full load", "inserts", "updates", "deletes", "ddls",
                      "applied lsn", "commit time", "lag s", "exceptions"]
        let rows = statuses.map { s in
            [s.sink, s.sourceTable, s.targetTable, s.state, "\(s.fullLoadRows)", "\(s.inserts)", "\(s.updates)", "\(s.deletes)", "\(s.ddls)",
             s.appliedLSN ?? "-", s.appliedCommitTime ?? "-", s.lagSeconds.map { String(format: "%.1f", $0) } ?? "-", "\(s.exceptions)"]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        print(line(header))
        print(line(widths.map { String(repeating: "-", count: $0) }))
        for row in rows { print(line(row)) }
    }
}

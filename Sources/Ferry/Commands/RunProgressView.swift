import ArgumentParser
import FerryCore
import Foundation
import FreeTDS
import Logging
import Postgres
import PostgresSink
import SQLServerSource
import ServiceLifecycle

/// The table statistics of a running task, refreshed every interval: on a terminal a live table
/// redrawn in place (state, full-load rows of the source's total, inserts, updates, deletes, DDLs,
/// rows per second, ETA during the full load); otherwise one log line per table whose counts
/// changed. Counts come from `ferry.table_statistics` in each target and the source's statistics.
final class RunProgressView: Service, Sendable {
    /// `--progress`.
    enum Mode: String, ExpressibleByArgument, Sendable {
        case auto, table, lines, none
    }

    /// One table's numbers at one refresh.
    struct Row: Equatable {
        var target: Int
        var table: String
        var state: String
        var read: Int64?
        var total: Int64?
        var fullLoadRows: Int64
        var inserts: Int64
        var updates: Int64
        var deletes: Int64
        var ddls: Int64
        var applied: Int64 { fullLoadRows + inserts + updates + deletes }
    }

    private let mode: Mode
    private let interval: Duration
    private let targets: [String]
    private let sinkName: String
    private let source: SourceURL
    private let countSourceRows: Bool
    private let state: RunTask.State
    private let output: RunOutput
    private let logger: Logger

    init(mode: Mode, interval: Duration, targets: [String], sinkName: String, source: SourceURL, countSourceRows: Bool,
         state: RunTask.State, output: RunOutput, logger: Logger) {
        self.mode = mode
        self.interval = interval
        self.targets = targets
        self.sinkName = sinkName
        self.source = source
        self.countSourceRows = countSourceRows
        self.state = state
        self.output = output
        self.logger = logger
    }

    func run() async throws {
        guard mode != .none else { return }
        let live = mode == .table || (mode == .auto && isatty(STDOUT_FILENO) == 1)
        let refresher = Refresher(view: self, live: live)
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    await refresher.refresh()
                    try await Task.sleep(for: self.interval)
                }
            }
        } catch is CancellationError {}
        await refresher.refresh()
        await refresher.close()
    }

    /// The view's connections and the previous refresh, on one task at a time.
    private actor Refresher {
        let view: RunProgressView
        let live: Bool
        var connections: [Int: PostgresConnection] = [:]
        var sourceConnection: TDSConnection?
        var totals: [String: Int64] = [:]
        var previous: [String: Row] = [:]
        var lastRefresh: ContinuousClock.Instant?
        var rates: [String: Double] = [:]

        init(view: RunProgressView, live: Bool) {
            self.view = view
            self.live = live
        }

        func refresh() async {
            var rows: [Row] = []
            for (index, url) in view.targets.enumerated() {
                do {
                    let connection: PostgresConnection
                    if let existing = connections[index] { connection = existing } else {
                        connection = try await PostgresConnection.connect(url: url, logger: view.logger)
                        connections[index] = connection
                    }
                    for status in try await SinkTableStatus.load(from: connection, sink: view.sinkName) {
                        rows.append(Row(target: index + 1, table: status.sourceTable, state: status.state, fullLoadRows: status.fullLoadRows,
                                        inserts: status.inserts, updates: status.updates, deletes: status.deletes, ddls: status.ddls))
                    }
                } catch {
                    // A target that is not reachable yet (or any more) shows nothing this time; the sink reports the error.
                    if let connection = connections.removeValue(forKey: index) { await connection.close() }
                    view.logger.debug("table statistics unavailable", metadata: ["target": "\(index + 1)", "error": "\(error)"])
                }
            }
            let read = await view.state.statistics?.tables ?? [:]
            var readByName: [String: Int64] = [:]
            for (identity, counts) in read { readByName[identity.description] = counts.snapshotRows }
            // Tables the source has started reading but no sink has reached yet.
            for name in readByName.keys.sorted() where !rows.contains(where: { $0.table == name }) {
                rows.append(Row(target: 1, table: name, state: "Before load", fullLoadRows: 0, inserts: 0, updates: 0, deletes: 0, ddls: 0))
            }
            if view.countSourceRows { await countMissing(rows.map(\.table)) }
            for index in rows.indices {
                rows[index].read = readByName[rows[index].table]
                rows[index].total = totals[rows[index].table]
            }
            rows.sort { ($0.target, $0.table) < ($1.target, $1.table) }

            let now = ContinuousClock.now
            let elapsed = lastRefresh.map { Double(($0.duration(to: now)).components.seconds) + Double(($0.duration(to: now)).components.attoseconds) / 1e18 } ?? 0
            lastRefresh = now
            var changed: [Row] = []
            for row in rows {
                let key = "\(row.target) \(row.table)"
                if let before = previous[key], elapsed > 0 {
                    rates[key] = Double(row.applied - before.applied) / elapsed
                }
                if previous[key] != row { changed.append(row) }
                previous[key] = row
            }
            if live {
                view.output.redraw(table(rows))
            } else {
                view.output.plain(changed.map(line))
            }
        }

        /// `COUNT_BIG(*)` of each table not counted yet, once: the full load's total for the ETA.
        func countMissing(_ tables: [String]) async {
            for name in tables where totals[name] == nil {
                let parts = name.split(separator: ".", maxSplits: 2).map(String.init)
                guard parts.count == 3 else { continue }
                do {
                    let connection: TDSConnection
                    if let existing = sourceConnection { connection = existing } else {
                        connection = try await TDSConnection.connect(configuration: view.source.connection, logger: view.logger)
                        sourceConnection = connection
                    }
                    let quoted = "[\(parts[1].replacingOccurrences(of: "]", with: "]]"))].[\(parts[2].replacingOccurrences(of: "]", with: "]]"))]"
                    if let count = try await connection.query("SELECT COUNT_BIG(*) AS n FROM \(quoted)").first?[0].int64Value {
                        totals[name] = count
                    }
                } catch {
                    if let connection = sourceConnection { await connection.close() }
                    sourceConnection = nil
                    view.logger.debug("source row count unavailable", metadata: ["table": "\(name)", "error": "\(error)"])
                    return
                }
            }
        }

        func close() async {
            for connection in connections.values { await connection.close() }
            connections = [:]
            if let sourceConnection { await sourceConnection.close() }
            sourceConnection = nil
        }

        func rate(_ row: Row) -> Double { rates["\(row.target) \(row.table)"] ?? 0 }

        /// Seconds left of the full load at the current rate, while it runs.
        func eta(_ row: Row) -> String {
            guard row.state == "Full load", let total = row.total, total > row.fullLoadRows else { return "-" }
            let speed = rate(row)
            guard speed > 0 else { return "?" }
            let seconds = Int((Double(total - row.fullLoadRows) / speed).rounded(.up))
            return seconds >= 3600 ? "\(seconds / 3600)h\(seconds % 3600 / 60)m" : seconds >= 60 ? "\(seconds / 60)m\(seconds % 60)s" : "\(seconds)s"
        }

        func fullLoad(_ row: Row) -> String {
            row.total.map { "\(row.fullLoadRows)/\($0)" } ?? "\(row.fullLoadRows)"
        }

        func line(_ row: Row) -> String {
            var text = view.targets.count > 1 ? "target=\(row.target) " : ""
            text += "table=\(row.table) state=\"\(row.state)\" full_load_rows=\(fullLoad(row))"
            if let read = row.read { text += " read=\(read)" }
            text += " inserts=\(row.inserts) updates=\(row.updates) deletes=\(row.deletes) ddls=\(row.ddls) rows_per_s=\(Int(rate(row).rounded()))"
            if row.state == "Full load" { text += " eta=\(eta(row))" }
            return text
        }

        func table(_ rows: [Row]) -> [String] {
            var header = ["table", "state", "full load", "read", "inserts", "updates", "deletes", "ddls", "rows/s", "eta"]
            if view.targets.count > 1 { header.insert("target", at: 0) }
            let cells: [[String]] = rows.map { row in
                var cells = [row.table, row.state, fullLoad(row), row.read.map(String.init) ?? "-", "\(row.inserts)", "\(row.updates)", "\(row.deletes)",
                             "\(row.ddls)", "\(Int(rate(row).rounded()))", eta(row)]
                if view.targets.count > 1 { cells.insert("\(row.target)", at: 0) }
                return cells
            }
            let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
            func format(_ cells: [String]) -> String {
                cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            }
            return ["ferry run: \(view.state.phase)", format(header), format(widths.map { String(repeating: "-", count: $0) })] + cells.map(format)
        }
    }
}

import FerryCore
import Foundation
import SQLServerSource

/// The snapshot's progress for `ferry source`: on a terminal (stderr a TTY) a table of rows, percent,
/// rate and ETA per table, redrawn in place every second; otherwise a plain line per unfinished
/// table on stderr every `logInterval` while the snapshot runs. Fed by ``SourceStatistics`` only.
struct SourceProgress {
    let statistics: SourceStatistics
    var logInterval: Duration = .seconds(10)

    /// One table's line.
    struct Line: Equatable {
        var table: String
        var rows: Int64
        var estimate: Int64?
        var rowsPerSecond: Double
        var state: String
        var etaSeconds: Double?

        /// `orders   412,000 / 1,000,000  41%  82,400 rows/s  ETA 7s  loading`
        var rendered: String {
            var text = table.padding(toLength: max(table.count, 32), withPad: " ", startingAt: 0) + " "
            text += Self.grouped(rows)
            if let estimate, estimate > 0 {
                text += " / " + Self.grouped(estimate) + String(format: " %3.0f%%", min(100, Double(rows) * 100 / Double(estimate)))
            }
            text += String(format: "  %.0f rows/s", rowsPerSecond)
            if let etaSeconds { text += "  ETA " + Self.duration(etaSeconds) }
            return text + "  " + state
        }

        static func grouped(_ value: Int64) -> String {
            let digits = String(value)
            var result = ""
            for (index, character) in digits.enumerated() {
                if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
                result.append(character)
            }
            return result
        }

        static func duration(_ seconds: Double) -> String {
            let total = Int(seconds.rounded(.up))
            if total >= 3600 { return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m" }
            if total >= 60 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
            return "\(total)s"
        }
    }

    /// The lines for the tables the snapshot covers, from their counts at `now` (ms since 1970).
    static func lines(_ tables: [TableIdentity: SourceStatistics.TableCounts], nowMilliseconds now: Int64) -> [Line] {
        tables.filter { $0.value.snapshotStartMilliseconds != nil }.sorted { $0.key < $1.key }.map { table, counts in
            let start = counts.snapshotStartMilliseconds!
            let end = counts.snapshotEndMilliseconds ?? now
            let seconds = max(0.001, Double(end - start) / 1000)
            let rate = Double(counts.snapshotRows) / seconds
            var eta: Double?
            var state = counts.snapshotEndMilliseconds == nil ? (counts.snapshotRows == 0 ? "waiting" : "loading") : "done"
            if counts.snapshotEndMilliseconds == nil, let estimate = counts.snapshotEstimatedRows, rate > 0 {
                // The estimate can be below the rows read (rows inserted meanwhile): ETA unknown then.
                if estimate > counts.snapshotRows { eta = Double(estimate - counts.snapshotRows) / rate }
            }
            if counts.isDropped { state = "dropped" }
            if counts.totalLobTruncations > 0 { state += " (\(counts.totalLobTruncations) LOBs truncated)" }
            return Line(table: table.description, rows: counts.snapshotRows, estimate: counts.snapshotEstimatedRows,
                        rowsPerSecond: rate, state: state, etaSeconds: eta)
        }
    }

    /// Runs until cancelled.
    func run() async {
        let terminal = isatty(STDERR_FILENO) == 1
        var drawn = 0
        var lastLog = ContinuousClock.now - logInterval
        var finalDrawn = false
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let running = await statistics.snapshotRunning
            let lines = Self.lines(await statistics.tables, nowMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))
            guard !lines.isEmpty else { continue }
            if terminal {
                if running && finalDrawn {
                    // A new snapshot (a re-snapshot after a gap): start a new drawing below the old one.
                    drawn = 0
                    finalDrawn = false
                }
                guard running || !finalDrawn else { continue }
                // Move up over the previous drawing and redraw it; the last drawing stays on screen.
                var text = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
                text += "snapshot: \(lines.filter { $0.state.hasPrefix("done") }.count)/\(lines.count) tables\u{1B}[K\n"
                for line in lines { text += line.rendered + "\u{1B}[K\n" }
                FileHandle.standardError.write(Data(text.utf8))
                drawn = lines.count + 1
                finalDrawn = !running
            } else if running, ContinuousClock.now - lastLog >= logInterval {
                // Plain lines, whatever the log level: progress is what the operator asked for.
                lastLog = .now
                let stamp = ISO8601DateFormatter().string(from: Date())
                var text = ""
                for line in lines where line.state != "done" { text += "\(stamp) snapshot progress: \(line.rendered)\n" }
                FileHandle.standardError.write(Data(text.utf8))
            }
        }
    }
}

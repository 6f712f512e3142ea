import Foundation
import Synchronization

/// Standard output of `ferry run`, shared by the task's messages and the table-statistics view: a
/// message first erases the live view (it is redrawn on the next refresh), so the two never mix.
final class RunOutput: Sendable {
    private let liveLines = Mutex(0)

    /// Writes one line.
    func line(_ text: String) {
        liveLines.withLock { count in
            FileHandle.standardOutput.write(Data((Self.erase(count) + text + "\n").utf8))
            count = 0
        }
    }

    /// Replaces the live view with `lines` (terminal only).
    func redraw(_ lines: [String]) {
        liveLines.withLock { count in
            FileHandle.standardOutput.write(Data((Self.erase(count) + lines.map { $0 + "\u{1B}[K\n" }.joined()).utf8))
            count = lines.count
        }
    }

    /// Lines without the live view's cursor control.
    func plain(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        line(lines.joined(separator: "\n"))
    }

    private static func erase(_ count: Int) -> String {
        count == 0 ? "" : "\u{1B}[\(count)A\u{1B}[J"
    }
}

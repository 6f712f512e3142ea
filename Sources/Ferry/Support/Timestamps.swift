import ArgumentParser
import Foundation

/// Reads the points in time that options accept.
enum Timestamps {
    /// Milliseconds since 1970 from either a number or an ISO 8601 date-time.
    static func milliseconds(parsing text: String, option: String) throws -> Int64 {
        if let milliseconds = Int64(text) { return milliseconds }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        throw ValidationError("\(option) '\(text)' is neither milliseconds since 1970 nor an ISO 8601 time like 2026-11-27T10:00:00Z")
    }
}

import FerryCore
import Foundation
import Validation

/// How `ferry validate` prints its results: an aligned table for people, JSON for scripts.
enum ValidationReport {
    /// Rows of differing keys printed per table.
    static let shownMismatches = 20

    static func text(_ results: [TableValidationResult], notValidated: [(table: TableIdentity, reason: String)]) -> String {
        var rows: [[String]] = [["TABLE", "TARGET", "STATE", "SOURCE ROWS", "TARGET ROWS", "MISMATCHED", "TIME"]]
        for result in results {
            rows.append([
                "\(result.table.source.schema).\(result.table.source.table)", "\(result.table.targetSchema).\(result.table.targetTable)",
                result.state == .validated ? "Validated" : result.state == .mismatched ? "Mismatched records" : "Not validated",
                String(result.sourceRows), String(result.targetRows), String(result.mismatchCount),
                String(format: "%.2fs", Double(result.duration.components.seconds) + Double(result.duration.components.attoseconds) / 1e18),
            ])
        }
        for entry in notValidated {
            rows.append(["\(entry.table.schema).\(entry.table.table)", "", "Not validated", "", "", "", ""])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for row in rows {
            text += zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacing(/\s+$/, with: "") + "\n"
        }
        for result in results where result.state != .validated {
            text += "\n\(result.table.source.schema).\(result.table.source.table): "
            if case .notValidated(let reason) = result.state {
                text += reason + "\n"
                continue
            }
            text += "\(result.mismatchCount) row\(result.mismatchCount == 1 ? "" : "s") differ\n"
            for mismatch in result.mismatches.prefix(shownMismatches) { text += "  \(mismatch)\n" }
            if result.mismatchCount > shownMismatches { text += "  … and \(result.mismatchCount - shownMismatches) more\n" }
        }
        for entry in notValidated {
            text += "\n\(entry.table.schema).\(entry.table.table): not validated: \(entry.reason)\n"
        }
        for result in results where !result.skippedColumns.isEmpty {
            let skipped = result.skippedColumns.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
            text += "\n\(result.table.source.schema).\(result.table.source.table): not compared: \(skipped.joined(separator: "; "))\n"
        }
        return text
    }

    /// `{"TableStatistics": [...]}` with DMS's validation field names plus the row counts and keys.
    static func json(_ results: [TableValidationResult], notValidated: [(table: TableIdentity, reason: String)]) -> String {
        var tables: [[String: Any]] = results.map { result in
            var state = "Validated"
            var details = ""
            switch result.state {
            case .validated: break
            case .mismatched: state = "Mismatched records"
            case .notValidated(let reason): state = "Not validated"; details = reason
            }
            return [
                "SchemaName": result.table.source.schema,
                "TableName": result.table.source.table,
                "TargetSchemaName": result.table.targetSchema,
                "TargetTableName": result.table.targetTable,
                "ValidationState": state,
                "ValidationStateDetails": details,
                "ValidationPendingRecords": 0,
                "ValidationFailedRecords": result.mismatchCount,
                "ValidationSuspendedRecords": 0,
                "SourceRows": result.sourceRows,
                "TargetRows": result.targetRows,
                "MismatchedRecords": result.mismatches.map { mismatch -> [String: Any] in
                    switch mismatch.kind {
                    case .missingOnTarget: return ["Key": mismatch.key, "Kind": "MissingOnTarget"]
                    case .missingOnSource: return ["Key": mismatch.key, "Kind": "MissingOnSource"]
                    case .different(let names): return ["Key": mismatch.key, "Kind": "Different", "Columns": names]
                    }
                },
                "NotComparedColumns": result.skippedColumns,
            ]
        }
        tables += notValidated.map { entry in
            ["SchemaName": entry.table.schema, "TableName": entry.table.table, "ValidationState": "Not validated", "ValidationStateDetails": entry.reason]
        }
        let data = (try? JSONSerialization.data(withJSONObject: ["TableStatistics": tables], options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

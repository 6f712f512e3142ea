#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the task files users pass as `--task-settings` and `--table-mappings`, accepting the
/// `file://` prefix the AWS CLI uses.
public enum TaskConfigurationFile {
    /// The filesystem path for an argument: `file://` removed (`file:///tmp/x.json` → `/tmp/x.json`,
    /// `file://x.json` → `x.json`, as the AWS CLI reads it).
    public static func path(for argument: String) -> String {
        argument.hasPrefix("file://") ? String(argument.dropFirst("file://".count)) : argument
    }

    /// The file's bytes; throws `.unreadableFile` naming the path and the system's reason.
    public static func read(_ argument: String) throws(TaskConfigurationError) -> [UInt8] {
        let path = path(for: argument)
        guard let file = fopen(path, "rb") else {
            let reason = String(cString: strerror(errno))
            throw TaskConfigurationError(.unreadableFile, "cannot read '\(path)': \(reason)", field: "", file: path)
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if count < chunk.count {
                if ferror(file) != 0 {
                    throw TaskConfigurationError(.unreadableFile, "cannot read '\(path)': \(String(cString: strerror(errno)))", field: "", file: path)
                }
                break
            }
        }
        // A UTF-8 byte-order mark (Windows editors write one) is not part of the JSON.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return bytes
    }

    /// Loads task settings from a file; errors carry the file's path.
    public static func taskSettings(_ argument: String) throws(TaskConfigurationError) -> TaskSettings {
        let bytes = try read(argument)
        do {
            return try TaskSettings(json: bytes)
        } catch {
            throw error.inFile(path(for: argument))
        }
    }

    /// Loads table mappings from a file; errors carry the file's path.
    public static func tableMappings(_ argument: String, nameComparison: NameComparison = .caseInsensitive) throws(TaskConfigurationError) -> TableMappings {
        let bytes = try read(argument)
        do {
            return try TableMappings(json: bytes, nameComparison: nameComparison)
        } catch {
            throw error.inFile(path(for: argument))
        }
    }
}

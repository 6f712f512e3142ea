import ArgumentParser
import Foundation

/// `ferry`: change data capture from SQL Server to PostgreSQL.
@main
struct FerryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry",
        abstract: "Change data capture from SQL Server to PostgreSQL.",
        version: "0.1.0",
        subcommands: [ConvertCommand.self, DemoCommand.self, LogCommand.self, RunCommand.self, TaskCommand.self, ValidateCommand.self,
            SinkCommand.self,
            SourceCommand.self,
            StatusCommand.self,
        ]
    )

    /// Parses and runs a command, mapping failures to the exit statuses Ferry documents:
    /// 0 success, 1 runtime failure, 2 bad usage or configuration.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(ExitStatus.usage)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            let status = ExitStatus.of(error)
            FileHandle.standardError.write(Data("ferry: error: \(String(describing: error))\n".utf8))
            Foundation.exit(status)
        }
    }
}

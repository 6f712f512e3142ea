import ArgumentParser

/// `ferry log`: look into and exercise an event log directly.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Inspect an event log, or write and read test records.",
        subcommands: [
            LogTopicCommand.self,
            LogOffsetsCommand.self,
            LogReadCommand.self,
            LogAppendCommand.self,
        ]
    )
}

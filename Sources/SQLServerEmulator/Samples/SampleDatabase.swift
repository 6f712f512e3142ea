/// A sample database the emulator ships: T-SQL batches that create a database and fill it, so a
/// user can try Ferry (or their own CDC consumer) against realistic tables in one command
/// (`sqlserver-emulator --seed humanresources`).
///
/// The batches are plain T-SQL: run them through ``SQLServerEngine/install(_:)``, or feed
/// ``script`` to any SQL Server client (`tsql`, `sqlcmd`), which splits it at `GO`.
public struct SampleDatabase: Hashable, Sendable {
    /// The name the command line knows it by (`humanresources`).
    public let name: String
    /// The SQL Server database it creates.
    public let databaseName: String
    /// One line describing what is in it.
    public let summary: String
    /// The batches, in order: the first creates the database, the second switches to it.
    public let batches: [String]

    /// The whole script, each batch followed by a `GO` line, as SQL Server tools take it.
    public var script: String {
        batches.map { $0.trimmingTrailingNewlines() + "\nGO\n" }.joined()
    }
}

/// The sample databases the emulator ships.
public enum SampleDatabases {
    /// AdventureWorks2014's `HumanResources` schema with a few hundred rows.
    public static let humanResources = HumanResourcesSample.sample

    /// Every sample, by command-line name.
    public static let all: [SampleDatabase] = [humanResources]

    /// The sample called `name` (case-insensitive), if there is one.
    public static func named(_ name: String) -> SampleDatabase? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while text.last == "\n" { text = text.dropLast() }
        return String(text)
    }
}

@testable import SQLServerEmulator
import Testing

/// A HumanResources-like database with CDC enabled on `HumanResources.Department`.
enum CDCFixture {
    static let setup = """
        CREATE DATABASE HR;
        """
    static let schema = """
        CREATE SCHEMA HumanResources;
        CREATE TABLE HumanResources.Department (
            DepartmentID smallint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Department_DepartmentID PRIMARY KEY,
            Name nvarchar(50) NOT NULL,
            GroupName nvarchar(50) NOT NULL,
            Budget decimal(12, 2) NULL,
            ModifiedDate datetime NOT NULL DEFAULT (getdate()));
        """

    /// A session in database HR with CDC on `HumanResources.Department` (instance HumanResources_Department).
    static func withCDC<T>(_ body: (EngineSession, SQLServerEngine, String) async throws -> T) async throws -> T {
        try await EmulatorTestDatabase.withSession { session, engine, url in
            try await session.run(setup)
            try await session.run("USE HR;")
            try await session.run(schema)
            try await session.run("EXEC sys.sp_cdc_enable_db;")
            try await session.run(
                "EXEC sys.sp_cdc_enable_table @source_schema = N'HumanResources', @source_name = N'Department', @role_name = NULL;")
            return try await body(session, engine, url)
        }
    }
}

extension ResultSet {
    /// Column `name`'s values.
    func column(_ name: String) -> [SQLServerValue] {
        guard let index = columns.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { return [] }
        return rows.map { $0[index] }
    }

    /// The first row's value of column `name`.
    func value(_ name: String) -> SQLServerValue? { column(name).first }
}

extension SQLServerValue {
    /// An integer value, if this is one.
    var int: Int? { if case .integer(let value) = self { Int(value) } else { nil } }
    /// The bytes of a binary value.
    var bytes: [UInt8]? { if case .binary(let value) = self { value } else { nil } }
    /// A string value.
    var text: String? { if case .string(let value) = self { value } else { nil } }
}

/// Unsigned big-endian comparison, as SQL Server compares LSNs.
func lsnLess(_ left: [UInt8], _ right: [UInt8]) -> Bool { left.lexicographicallyPrecedes(right) }

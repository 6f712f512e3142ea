import SQLServerEmulator
import Testing

/// Each SQL Server error the engine maps, with its exact number, class and text.
@Suite struct ErrorMappingTests {
    static let setup = """
        CREATE DATABASE Shop;
        """
    static let tables = """
        CREATE TABLE dbo.Customer (
            CustomerID int NOT NULL CONSTRAINT PK_Customer PRIMARY KEY,
            Email varchar(20) NOT NULL,
            Name nvarchar(10) NULL,
            Score int NULL CONSTRAINT CK_Customer_Score CHECK (Score >= 0)
        );
        CREATE UNIQUE INDEX IX_Customer_Email ON dbo.Customer (Email);
        CREATE TABLE dbo.Orders (
            OrderID int IDENTITY(1, 1) CONSTRAINT PK_Orders PRIMARY KEY,
            CustomerID int NOT NULL CONSTRAINT FK_Orders_Customer REFERENCES dbo.Customer (CustomerID),
            Amount decimal(10, 2) NOT NULL
        );
        INSERT INTO dbo.Customer (CustomerID, Email, Name, Score) VALUES (1, 'a@example.com', N'Ann', 5);
        INSERT INTO dbo.Orders (CustomerID, Amount) VALUES (1, 10.50);
        """

    func withShop(_ body: (EngineSession) async throws -> Void) async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(Self.setup)
            try await session.run("USE Shop")
            try await session.run(Self.tables)
            try await body(session)
        }
    }

    func single(_ session: EngineSession, _ batch: String) async throws -> SQLServerError {
        let errors = try await session.errors(batch)
        #expect(errors.count == 1, "\(errors)")
        return try #require(errors.first)
    }

    @Test func invalidObjectAndColumnNames() async throws {
        try await withShop { session in
            var error = try await single(session, "SELECT * FROM dbo.Nope")
            #expect(error.number == 208)
            #expect(error.severity == 16)
            #expect(error.message == "Invalid object name 'dbo.Nope'.")
            error = try await single(session, "SELECT Missing FROM dbo.Customer")
            #expect(error.number == 207)
            #expect(error.message == "Invalid column name 'Missing'.")
            error = try await single(session, "\n\nUPDATE dbo.Customer SET Nope = 1")
            #expect(error.number == 207)
            #expect(error.line == 3)
        }
    }

    @Test func duplicateKeys() async throws {
        try await withShop { session in
            var error = try await single(session, "INSERT INTO dbo.Customer (CustomerID, Email) VALUES (1, 'b@example.com')")
            #expect(error.number == 2627)
            #expect(error.severity == 14)
            #expect(
                error.message
                    == "Violation of PRIMARY KEY constraint 'PK_Customer'. Cannot insert duplicate key in object 'dbo.Customer'. The duplicate key value is (1).")
            error = try await single(session, "INSERT INTO dbo.Customer (CustomerID, Email) VALUES (2, 'a@example.com')")
            #expect(error.number == 2601)
            #expect(
                error.message
                    == "Cannot insert duplicate key row in object 'dbo.Customer' with unique index 'IX_Customer_Email'. The duplicate key value is (a@example.com).")
        }
    }

    @Test func nullIntoNotNull() async throws {
        try await withShop { session in
            var error = try await single(session, "INSERT INTO dbo.Customer (CustomerID, Email) VALUES (3, NULL)")
            #expect(error.number == 515)
            #expect(
                error.message
                    == "Cannot insert the value NULL into column 'Email', table 'Shop.dbo.Customer'; column does not allow nulls. INSERT fails.")
            error = try await single(session, "UPDATE dbo.Customer SET Email = NULL WHERE CustomerID = 1")
            #expect(
                error.message
                    == "Cannot insert the value NULL into column 'Email', table 'Shop.dbo.Customer'; column does not allow nulls. UPDATE fails.")
        }
    }

    @Test func constraintConflicts() async throws {
        try await withShop { session in
            var error = try await single(session, "INSERT INTO dbo.Orders (CustomerID, Amount) VALUES (42, 1)")
            #expect(error.number == 547)
            #expect(
                error.message
                    == "The INSERT statement conflicted with the FOREIGN KEY constraint \"FK_Orders_Customer\". The conflict occurred in database \"Shop\", table \"dbo.Customer\", column 'CustomerID'.")
            error = try await single(session, "DELETE FROM dbo.Customer WHERE CustomerID = 1")
            #expect(
                error.message
                    == "The DELETE statement conflicted with the REFERENCE constraint \"FK_Orders_Customer\". The conflict occurred in database \"Shop\", table \"dbo.Orders\", column 'CustomerID'.")
            error = try await single(session, "UPDATE dbo.Customer SET Score = -1")
            #expect(
                error.message
                    == "The UPDATE statement conflicted with the CHECK constraint \"CK_Customer_Score\". The conflict occurred in database \"Shop\", table \"dbo.Customer\", column 'Score'.")
        }
    }

    @Test func stringTruncationIs2628() async throws {
        try await withShop { session in
            let error = try await single(session, "INSERT INTO dbo.Customer (CustomerID, Email, Name) VALUES (5, 'e@example.com', N'Bartholomew the Great')")
            #expect(error.number == 2628)
            #expect(
                error.message
                    == "String or binary data would be truncated in table 'Shop.dbo.Customer', column 'Name'. Truncated value: 'Bartholome'.")
        }
    }

    @Test func conversionAndDivideByZeroAbortTheBatch() async throws {
        try await withShop { session in
            var results = try await session.execute(batch: "SELECT CAST('abc' AS int); SELECT 1")
            #expect(results.count == 1)
            guard case .error(let conversion) = results.first else {
                Issue.record("expected an error, got \(results)")
                return
            }
            #expect(conversion.number == 245)
            #expect(conversion.message == "Conversion failed when converting the varchar value 'abc' to data type int.")
            let error = try await single(session, "SELECT 1 / 0")
            #expect(error.number == 8134)
            #expect(error.message == "Divide by zero error encountered.")
            // A duplicate key ends only its statement: the next one runs.
            results = try await session.execute(
                batch: "INSERT INTO dbo.Customer (CustomerID, Email) VALUES (1, 'x@example.com'); SELECT COUNT(*) AS n FROM dbo.Customer")
            #expect(results.contains { if case .resultSet = $0 { true } else { false } })
        }
    }

    @Test func syntaxErrors() async throws {
        try await withShop { session in
            var error = try await single(session, "SELECT * FROM")
            #expect(error.number == 102 || error.number == 156)
            error = try await single(session, "SELECT 1\nSELECT * FROM dbo.Customer WHERE")
            #expect(error.line == 2)
            error = try await single(session, "SELECT * FROM dbo.Customer WHERE CustomerID = 1 ORDER")
            #expect(error.number == 156)
            #expect(error.severity == 15)
            #expect(error.message == "Incorrect syntax near the keyword 'ORDER'.")
        }
    }

    @Test func databaseAndObjectErrors() async throws {
        try await withShop { session in
            var error = try await single(session, "USE NoSuchDatabase")
            #expect(error.number == 911)
            #expect(error.message == "Database 'NoSuchDatabase' does not exist. Make sure that the name is entered correctly.")
            error = try await single(session, "CREATE DATABASE Shop")
            #expect(error.number == 1801)
            #expect(error.message == "Database 'Shop' already exists. Choose a different database name.")
            error = try await single(session, "CREATE TABLE dbo.Customer (x int)")
            #expect(error.number == 2714)
            #expect(error.message == "There is already an object named 'Customer' in the database.")
            error = try await single(session, "CREATE TABLE dbo.Other (x int CONSTRAINT PK_Customer PRIMARY KEY)")
            #expect(error.number == 2714)
            #expect(error.message == "There is already an object named 'PK_Customer' in the database.")
        }
    }
}

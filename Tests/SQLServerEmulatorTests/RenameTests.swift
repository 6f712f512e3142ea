@testable import SQLServerEmulator
import Testing

/// `sp_rename` on tables, columns, indexes and constraints, and what SQL Server refuses.
@Suite struct RenameTests {
    @Test func tablesColumnsAndIndexesAreRenamedInTheCatalog() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("""
                CREATE DATABASE R; USE R;
                CREATE TABLE dbo.Parent (ID int NOT NULL CONSTRAINT PK_Parent PRIMARY KEY, Label nvarchar(20) NULL);
                CREATE TABLE dbo.Child (ID int NOT NULL PRIMARY KEY, ParentID int NOT NULL REFERENCES dbo.Parent (ID));
                CREATE INDEX IX_Parent_Label ON dbo.Parent (Label);
                INSERT INTO dbo.Parent VALUES (1, N'one');
                """)
            let results = try await session.run("EXEC sp_rename 'dbo.Parent.Label', 'Title', 'COLUMN';")
            #expect(results.contains { if case .message(let message) = $0 { message.number == 15477 } else { false } })
            try await session.run("EXEC sp_rename 'dbo.Parent.ID', 'ParentKey', 'COLUMN';")
            try await session.run("EXEC sp_rename N'[dbo].[Parent]', N'Owner';")
            try await session.run("EXEC sp_rename 'dbo.Owner.IX_Parent_Label', 'IX_Owner_Title', 'INDEX';")
            let sets = try await session.resultSets("""
                SELECT Title, ParentKey FROM dbo.Owner;
                SELECT name FROM sys.columns WHERE object_id = OBJECT_ID('dbo.Owner') ORDER BY column_id;
                SELECT name FROM sys.indexes WHERE object_id = OBJECT_ID('dbo.Owner') AND name IS NOT NULL ORDER BY index_id;
                SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE WHERE TABLE_NAME = 'Owner';
                """)
            #expect(sets[0].value("Title")?.text == "one")
            #expect(sets[1].column("name").compactMap(\.text) == ["ParentKey", "Title"])
            #expect(sets[2].column("name").compactMap(\.text) == ["PK_Parent", "IX_Owner_Title"])
            #expect(sets[3].column("COLUMN_NAME").compactMap(\.text) == ["ParentKey"])
            // The old names are gone; the child's foreign key still enforces the renamed parent.
            #expect(try await session.errors("SELECT Label FROM dbo.Owner").map(\.number) == [207])
            #expect(try await session.errors("SELECT * FROM dbo.Parent").map(\.number) == [208])
            #expect(try await session.errors("INSERT INTO dbo.Child VALUES (1, 99)").map(\.number) == [547])
        }
    }

    @Test func sqlServersRefusals() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("""
                CREATE DATABASE R; USE R;
                CREATE TABLE dbo.T (ID int NOT NULL PRIMARY KEY, A int NULL, B int NULL);
                CREATE TABLE dbo.U (ID int NOT NULL PRIMARY KEY);
                EXEC sys.sp_cdc_enable_db;
                EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'U', @role_name = NULL;
                """)
            #expect(try await session.errors("EXEC sp_rename 'dbo.T.A', 'B', 'COLUMN'").map(\.number) == [15335])
            #expect(try await session.errors("EXEC sp_rename 'dbo.T', 'U'").map(\.number) == [15335])
            #expect(try await session.errors("EXEC sp_rename 'dbo.Nope', 'X'").map(\.number) == [15248])
            #expect(try await session.errors("EXEC sp_rename 'dbo.U.ID', 'Key', 'COLUMN'").map(\.number) == [4928])
        }
    }
}

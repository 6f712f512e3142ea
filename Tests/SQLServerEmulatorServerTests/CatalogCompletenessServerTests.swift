import FreeTDS
import Testing

/// The catalog views and functions a schema reader queries, read through FreeTDS as a client
/// would (`CONVERT(nvarchar(40), …)` of the identity and sequence values, module text as
/// `nvarchar(max)`).
@Suite struct CatalogCompletenessServerTests {
    @Test func aSchemaReaderSeesIdentitySequencesTriggersAndReferentialActions() async throws {
        try await EmulatorHarness.withServer { port, _ in
            let connection = try await EmulatorHarness.connect(port: port)
            _ = try await connection.execute(
                """
                CREATE TABLE dbo.Parent (ParentID int IDENTITY(10, 10) PRIMARY KEY, Name nvarchar(20) NOT NULL);
                CREATE TABLE dbo.Child (ChildID int NOT NULL PRIMARY KEY,
                    ParentID int NULL REFERENCES dbo.Parent (ParentID) ON DELETE CASCADE ON UPDATE NO ACTION);
                INSERT INTO dbo.Parent (Name) VALUES (N'a'), (N'b');
                CREATE SEQUENCE dbo.Numbers AS bigint START WITH 7 INCREMENT BY 3;
                """)
            _ = try await connection.execute("CREATE TRIGGER dbo.trParent ON dbo.Parent AFTER DELETE AS PRINT 'deleted'")

            let identity = try await connection.query(
                """
                SELECT CONVERT(nvarchar(40), seed_value) AS seed, CONVERT(nvarchar(40), increment_value) AS inc,
                    CONVERT(nvarchar(40), last_value) AS last, IDENT_CURRENT('dbo.Parent') AS current_value
                FROM sys.identity_columns WHERE object_id = OBJECT_ID('dbo.Parent')
                """)
            #expect(identity.count == 1)
            #expect(identity.first?[0].stringValue == "10")
            #expect(identity.first?[1].stringValue == "10")
            #expect(identity.first?[2].stringValue == "20")
            #expect(identity.first?[3].description == "20")

            let keys = try await connection.query(
                "SELECT delete_referential_action_desc, update_referential_action_desc, is_disabled, is_not_trusted FROM sys.foreign_keys")
            #expect(keys.map { $0.values.map(\.description) } == [["CASCADE", "NO_ACTION", "0", "0"]])

            _ = try await connection.query("SELECT NEXT VALUE FOR dbo.Numbers")
            let sequences = try await connection.query(
                "SELECT name, CONVERT(nvarchar(40), start_value), CONVERT(nvarchar(40), increment), CONVERT(nvarchar(40), current_value) FROM sys.sequences")
            #expect(sequences.map { $0.values.map(\.description) } == [["Numbers", "7", "3", "7"]])

            let triggers = try await connection.query(
                "SELECT name, parent_class, CONVERT(nvarchar(max), OBJECT_DEFINITION(object_id)) FROM sys.triggers WHERE parent_class = 1")
            #expect(triggers.map { $0.values.map(\.description) } == [["trParent", "1", "CREATE TRIGGER dbo.trParent ON dbo.Parent AFTER DELETE AS PRINT 'deleted'"]])
            let indexes = try await connection.query(
                "SELECT COUNT(*) FROM sys.indexes WHERE is_disabled = 0 AND is_hypothetical = 0 AND object_id = OBJECT_ID('dbo.Child')")
            #expect(indexes.first?[0].int64Value == 1)
            await connection.close()
        }
    }
}

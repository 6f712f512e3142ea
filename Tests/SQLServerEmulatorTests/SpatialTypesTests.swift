import SQLServerEmulator
import Testing

/// `geometry` and `geography` through the engine: constructors, well-known text and binary, SRID
/// and coordinates as Microsoft documents them.
@Suite struct SpatialTypesTests {
    /// OGC WKB of POINT (3 4), little-endian.
    static let point34: [UInt8] = [0x01, 0x01, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0x08, 0x40, 0, 0, 0, 0, 0, 0, 0x10, 0x40]

    @Test func shapesPrintAsWellKnownTextAndBinary() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("""
                CREATE TABLE dbo.shapes (id int NOT NULL PRIMARY KEY, g geometry NULL);
                INSERT INTO dbo.shapes (id, g) VALUES (1, geometry::STGeomFromText('POINT (3 4)', 0));
                INSERT INTO dbo.shapes (id, g) VALUES (2, geometry::STGeomFromText('LINESTRING (1 1, 2 4.5, -3 0)', 32633));
                INSERT INTO dbo.shapes (id, g) VALUES (3, geometry::STGeomFromText('POLYGON ((0 0, 10 0, 10 10, 0 0), (1 1, 2 1, 2 2, 1 1))', 0));
                INSERT INTO dbo.shapes (id, g) VALUES (4, geometry::STGeomFromText('POINT (1 2 3 4)', 0));
                INSERT INTO dbo.shapes (id, g) VALUES (5, geometry::Point(5.5, -6, 0));
                INSERT INTO dbo.shapes (id, g) VALUES (6, 'POINT (7 8 NULL 9)');
                INSERT INTO dbo.shapes (id, g) VALUES (7, NULL);
                """)
            let set = try await session.resultSets("SELECT g.STAsText(), g.AsTextZM(), g.STSrid, g.STX, g.STY, g.Z, g.M FROM dbo.shapes ORDER BY id")[0]
            #expect(set.rows[0] == [.string("POINT (3 4)"), .string("POINT (3 4)"), .integer(0), .float(3), .float(4), .null, .null])
            #expect(set.rows[1] == [.string("LINESTRING (1 1, 2 4.5, -3 0)"), .string("LINESTRING (1 1, 2 4.5, -3 0)"), .integer(32633), .null, .null, .null, .null])
            #expect(set.rows[2][0] == .string("POLYGON ((0 0, 10 0, 10 10, 0 0), (1 1, 2 1, 2 2, 1 1))"))
            #expect(set.rows[3] == [.string("POINT (1 2)"), .string("POINT (1 2 3 4)"), .integer(0), .float(1), .float(2), .float(3), .float(4)])
            #expect(set.rows[4][0] == .string("POINT (5.5 -6)"))
            #expect(set.rows[5] == [.string("POINT (7 8)"), .string("POINT (7 8 NULL 9)"), .integer(0), .float(7), .float(8), .null, .float(9)])
            #expect(set.rows[6] == [.null, .null, .null, .null, .null, .null, .null])

            let binary = try await session.resultSets("""
                SELECT g.AsBinaryZM(), g.STAsBinary() FROM dbo.shapes WHERE id = 1;
                SELECT g.AsBinaryZM(), g.STAsBinary() FROM dbo.shapes WHERE id = 4;
                SELECT geometry::STGeomFromWKB(g.AsBinaryZM(), 4326).AsTextZM() FROM dbo.shapes WHERE id IN (2, 4, 6) ORDER BY id;
                SELECT geometry::STGeomFromWKB(0x010100000000000000000008400000000000001040, 0).STAsText();
                """)
            #expect(binary[0].rows == [[.binary(Self.point34), .binary(Self.point34)]])
            // POINT ZM: ISO type 3001 (0x0BB9), then x, y, z, m.
            if case .binary(let zm) = binary[1].rows.first?[0] {
                #expect(Array(zm.prefix(5)) == [0x01, 0xB9, 0x0B, 0x00, 0x00])
                #expect(zm.count == 5 + 32)
            } else {
                Issue.record("AsBinaryZM is not binary: \(binary[1].rows)")
            }
            #expect(binary[1].rows.first?[1] == .binary([0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0x00, 0x40]))
            #expect(binary[2].rows == [[.string("LINESTRING (1 1, 2 4.5, -3 0)")], [.string("POINT (1 2 3 4)")], [.string("POINT (7 8 NULL 9)")]])
            #expect(binary[3].rows == [[.string("POINT (3 4)")]])
        }
    }

    @Test func geographyPointTakesLatitudeFirst() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("""
                CREATE TABLE dbo.places (id int NOT NULL PRIMARY KEY, location geography NULL);
                INSERT INTO dbo.places (id, location) VALUES (1, geography::Point(47.65100, -122.34900, 4326));
                INSERT INTO dbo.places (id, location) VALUES (2, geography::STGeomFromText('LINESTRING(-122.360 47.656, -122.343 47.656)', 4326));
                INSERT INTO dbo.places (id, location) VALUES (3, 'POINT (10 20)');
                """)
            let set = try await session.resultSets("SELECT location.STAsText(), location.Lat, location.Long, location.STSrid FROM dbo.places ORDER BY id")[0]
            #expect(set.rows[0] == [.string("POINT (-122.349 47.651)"), .float(47.651), .float(-122.349), .integer(4326)])
            #expect(set.rows[1] == [.string("LINESTRING (-122.36 47.656, -122.343 47.656)"), .null, .null, .integer(4326)])
            #expect(set.rows[2] == [.string("POINT (10 20)"), .float(20), .float(10), .integer(4326)])
        }
    }

    @Test func invalidTextAndUnknownMembersAreErrors() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("CREATE TABLE dbo.shapes (id int NOT NULL PRIMARY KEY, g geometry NULL)")
            for bad in ["CIRCLE (1 2)", "POINT (1)", "POINT (a b)", "LINESTRING (1 2, 3)"] {
                let errors = try await session.errors("INSERT INTO dbo.shapes (id, g) VALUES (1, geometry::STGeomFromText('\(bad)', 0))")
                #expect(errors.map(\.number) == [6522], "\(bad)")
            }
            #expect(try await session.errors("SELECT g.Lat FROM dbo.shapes").map(\.number) == [6506])
            #expect(try await session.errors("SELECT g.NoSuchMethod() FROM dbo.shapes").map(\.number) == [6506])
        }
    }
}

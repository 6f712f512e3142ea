import Postgres
import SQLServerEmulator
import SchemaConversion
import Testing

/// The emulator's shipped HumanResources sample (the walkthrough's source) converts and applies.
@Suite struct ShippedSampleConversionTests {
    @Test func theShippedHumanResourcesSampleConvertsAndApplies() async throws {
        try await ConversionTestSupport.withSourceAndTarget { source, target, _ in
            try await ConversionTestSupport.run(SampleDatabases.humanResources.batches, on: source)
            _ = try await source.execute("USE \(SampleDatabases.humanResources.databaseName)")
            let (catalog, result) = try await SchemaConversion.convert(source: source, logger: ConversionTestSupport.logger)
            #expect(catalog.database == "AdventureWorks2014")
            #expect(Set(["Department", "Shift", "Employee", "EmployeeDepartmentHistory", "EmployeePayHistory", "JobCandidate"])
                .isSubset(of: Set(catalog.tables.map(\.name))))
            #expect(result.targetSchemas.contains("adventureworks2014_humanresources"))
            let report = AssessmentReport(result)
            // Tables, keys, indexes and foreign keys need no manual work.
            for kind in [ConversionObjectKind.table, .primaryKey, .foreignKey, .index] {
                #expect(report.summary(of: kind)?.manual ?? 0 == 0, "\(kind)")
            }
            try await SchemaApplier(logger: ConversionTestSupport.logger).apply(result, to: target)
            let tables = try await target.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'adventureworks2014_humanresources' AND table_type = 'BASE TABLE'")
            #expect(try tables.first?.decode(Int64.self, at: 0) == Int64(catalog.tables.filter { $0.schema == "HumanResources" }.count))
            let diff = try await TargetSchemaDiff.compare(result, target: target)
            #expect(diff.isEmpty, "\(diff)")
        }
    }
}

extension SQLServerEngine {
    /// Installs a sample database, unless a database of its name already exists (so running it
    /// again, or on every start, is harmless).
    ///
    /// - Returns: true when the sample was installed, false when its database already existed.
    /// - Throws: the ``SQLServerError`` of the first batch that failed (the database is then left
    ///   as far as it got; drop it and retry); ``PostgresError`` when PostgreSQL fails.
    @discardableResult
    public func install(_ sample: SampleDatabase) async throws -> Bool {
        let session = try await makeSession()
        do {
            if try await session.databaseExists(sample.databaseName) {
                await session.close()
                return false
            }
            for batch in sample.batches {
                for result in try await session.execute(batch: batch) {
                    if case .error(let error) = result { throw error }
                }
            }
        } catch {
            await session.close()
            throw error
        }
        await session.close()
        return true
    }
}

extension EngineSession {
    /// Whether a database of that name exists.
    func databaseExists(_ name: String) async throws -> Bool {
        try await catalog.database(named: name) != nil
    }
}

/// Prepared statements of one connection, by SQL text, evicting the least recently used.
struct SQLiteStatementCache {
    private var statements: [String: SQLiteStatement] = [:]
    private var clock: UInt64 = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    var count: Int { statements.count }

    /// A statement for `sql` that no one else is stepping: the cached one, or a one-off when the
    /// cached one is in use by an enclosing call.
    mutating func checkOut(_ sql: String, database: SQLiteDatabaseHandle) throws(SQLiteError) -> SQLiteStatement {
        clock &+= 1
        if let cached = statements[sql] {
            guard !cached.isInUse else {
                let oneOff = try SQLiteStatement(sql: sql, database: database, cached: false)
                oneOff.isInUse = true
                return oneOff
            }
            cached.isInUse = true
            cached.lastUse = clock
            return cached
        }
        let statement = try SQLiteStatement(sql: sql, database: database, cached: true)
        if statements.count >= capacity {
            evictLeastRecentlyUsed()
        }
        statement.isInUse = true
        statement.lastUse = clock
        statements[sql] = statement
        return statement
    }

    /// Returns a statement after use: reset, bindings cleared.
    func checkIn(_ statement: SQLiteStatement) {
        statement.reset()
        statement.isInUse = false
    }

    mutating func removeAll() {
        statements.removeAll()
    }

    private mutating func evictLeastRecentlyUsed() {
        // An evicted statement that is still being stepped stays alive through its caller's reference.
        if let oldest = statements.values.filter({ !$0.isInUse }).min(by: { $0.lastUse < $1.lastUse }) {
            statements[oldest.sql] = nil
        }
    }
}

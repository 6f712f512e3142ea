import Foundation
import SQLServerEmulator
import Testing

/// Table hints that take locks (`TABLOCK`, `HOLDLOCK`, `TABLOCKX`, `UPDLOCK`), `SET LOCK_TIMEOUT`
/// with Msg 1222, and the clock functions read per statement: two sessions on one engine.
@Suite struct TableHintLockTests {
    static let setup = "CREATE TABLE dbo.t (id int NOT NULL PRIMARY KEY, v int NULL); INSERT INTO dbo.t (id, v) VALUES (1, 1);"

    /// Two sessions on a fresh engine with `dbo.t`.
    static func withTwoSessions(_ body: (EngineSession, EngineSession) async throws -> Void) async throws {
        try await EmulatorTestDatabase.withSession { first, engine, _ in
            try await first.run(setup)
            let second = try await engine.makeSession()
            do {
                try await body(first, second)
                await second.close()
            } catch {
                await second.close()
                throw error
            }
        }
    }

    static func scalar(_ session: EngineSession, _ sql: String) async throws -> SQLServerValue? {
        try await session.resultSets(sql).first?.rows.first?.first
    }

    @Test func lockTimeoutIsMinusOneUntilSet() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            #expect(try await Self.scalar(session, "SELECT @@LOCK_TIMEOUT") == .integer(-1))
            try await session.run("SET LOCK_TIMEOUT 1800")
            #expect(try await Self.scalar(session, "SELECT @@LOCK_TIMEOUT") == .integer(1800))
            try await session.run("SET LOCK_TIMEOUT -1")
            #expect(try await Self.scalar(session, "SELECT @@LOCK_TIMEOUT") == .integer(-1))
        }
    }

    @Test func tablockHoldlockKeepsWritersOutUntilTheTransactionEnds() async throws {
        try await Self.withTwoSessions { reader, writer in
            try await reader.run("BEGIN TRANSACTION; SELECT COUNT(*) FROM dbo.t WITH (TABLOCK, HOLDLOCK)")
            try await writer.run("SET LOCK_TIMEOUT 200")
            let errors = try await writer.errors("INSERT INTO dbo.t (id, v) VALUES (2, 2)")
            #expect(errors.map(\.number) == [1222])
            #expect(errors.first?.severity == 16)
            #expect(errors.first?.message == "Lock request time out period exceeded.")
            // Reads are not blocked by a shared lock.
            #expect(try await Self.scalar(writer, "SELECT COUNT(*) FROM dbo.t") == .integer(1))
            try await reader.run("COMMIT")
            try await writer.run("INSERT INTO dbo.t (id, v) VALUES (2, 2)")
            #expect(try await Self.scalar(reader, "SELECT COUNT(*) FROM dbo.t") == .integer(2))
        }
    }

    @Test func serializableHintHoldsLikeHoldlock() async throws {
        try await Self.withTwoSessions { reader, writer in
            try await reader.run("BEGIN TRANSACTION; SELECT v FROM dbo.t WITH (SERIALIZABLE) WHERE id = 1")
            try await writer.run("SET LOCK_TIMEOUT 100")
            #expect(try await writer.errors("UPDATE dbo.t SET v = 5 WHERE id = 1").map(\.number) == [1222])
            try await reader.run("ROLLBACK")
            try await writer.run("UPDATE dbo.t SET v = 5 WHERE id = 1")
        }
    }

    @Test func tablockAloneIsReleasedAtTheEndOfTheStatement() async throws {
        try await Self.withTwoSessions { reader, writer in
            try await reader.run("BEGIN TRANSACTION; SELECT COUNT(*) FROM dbo.t WITH (TABLOCK)")
            try await writer.run("SET LOCK_TIMEOUT 2000; INSERT INTO dbo.t (id, v) VALUES (2, 2)")
            #expect(try await Self.scalar(reader, "SELECT @@TRANCOUNT") == .integer(1))
            try await reader.run("COMMIT")
        }
    }

    @Test func aWriterInFlightMakesTheTableLockWaitAndTimeOutWithoutEndingTheTransaction() async throws {
        try await Self.withTwoSessions { reader, writer in
            try await writer.run("BEGIN TRANSACTION; UPDATE dbo.t SET v = 2 WHERE id = 1")
            try await reader.run("SET LOCK_TIMEOUT 150; BEGIN TRANSACTION")
            let started = ContinuousClock.now
            #expect(try await reader.errors("SELECT TOP (1) 1 FROM dbo.t WITH (TABLOCK, HOLDLOCK)").map(\.number) == [1222])
            #expect(ContinuousClock.now - started >= .milliseconds(100), "it waited for the lock")
            // Msg 1222 ends the statement only: the transaction is still open.
            #expect(try await Self.scalar(reader, "SELECT @@TRANCOUNT") == .integer(1))
            try await writer.run("COMMIT")
            #expect(try await Self.scalar(reader, "SELECT v FROM dbo.t WITH (TABLOCK, HOLDLOCK) WHERE id = 1") == .integer(2))
            try await reader.run("COMMIT")
        }
    }

    @Test func lockTimeoutZeroDoesNotWait() async throws {
        try await Self.withTwoSessions { reader, writer in
            try await writer.run("BEGIN TRANSACTION; INSERT INTO dbo.t (id, v) VALUES (3, 3)")
            try await reader.run("SET LOCK_TIMEOUT 0")
            #expect(try await reader.errors("SELECT COUNT(*) FROM dbo.t WITH (TABLOCK)").map(\.number) == [1222])
            try await writer.run("ROLLBACK")
        }
    }

    @Test func tablockxAndUpdlockExcludeOtherLockersUntilTheTransactionEnds() async throws {
        try await Self.withTwoSessions { first, second in
            try await second.run("SET LOCK_TIMEOUT 100")
            try await first.run("BEGIN TRANSACTION; SELECT COUNT(*) FROM dbo.t WITH (TABLOCKX)")
            #expect(try await second.errors("SELECT COUNT(*) FROM dbo.t WITH (TABLOCK)").map(\.number) == [1222])
            try await first.run("COMMIT")
            try await first.run("BEGIN TRANSACTION; SELECT v FROM dbo.t WITH (UPDLOCK) WHERE id = 1")
            #expect(try await second.errors("UPDATE dbo.t SET v = 9 WHERE id = 1").map(\.number) == [1222])
            #expect(try await second.errors("SELECT v FROM dbo.t WITH (UPDLOCK) WHERE id = 1").map(\.number) == [1222])
            try await first.run("COMMIT")
            try await second.run("UPDATE dbo.t SET v = 9 WHERE id = 1")
        }
    }

    @Test func nolockIsAcceptedOnReadsAndRefusedOnTargets() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run(Self.setup)
            #expect(try await Self.scalar(session, "SELECT COUNT(*) FROM dbo.t WITH (NOLOCK)") == .integer(1))
            #expect(try await Self.scalar(session, "SELECT COUNT(*) FROM dbo.t WITH (READUNCOMMITTED)") == .integer(1))
            let errors = try await session.errors("UPDATE dbo.t WITH (NOLOCK) SET v = 2 WHERE id = 1")
            #expect(errors.map(\.number) == [1065])
            #expect(try await Self.scalar(session, "SELECT v FROM dbo.t WHERE id = 1") == .integer(1))
        }
    }

    @Test func sysdatetimeIsReadPerStatementInsideATransaction() async throws {
        try await EmulatorTestDatabase.withSession { session, _, _ in
            try await session.run("BEGIN TRANSACTION")
            let first = try await Self.scalar(session, "SELECT CONVERT(varchar(27), SYSDATETIME(), 121)")
            try await Task.sleep(for: .milliseconds(30))
            let second = try await Self.scalar(session, "SELECT CONVERT(varchar(27), SYSDATETIME(), 121)")
            let third = try await Self.scalar(session, "SELECT CONVERT(varchar(23), GETDATE(), 121)")
            try await session.run("COMMIT")
            guard case .string(let a)? = first, case .string(let b)? = second, case .string(let c)? = third else {
                Issue.record("no times: \(String(describing: first)) \(String(describing: second))")
                return
            }
            // Style 121 text sorts as time: the clock moved on inside the transaction.
            #expect(a < b, "\(a) then \(b)")
            #expect(String(a.prefix(23)) < c, "\(a) then \(c)")
        }
    }
}

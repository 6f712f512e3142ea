import Logging
import Postgres
@testable import SQLServerEmulator
import Testing

/// Commit order across connections while commits no longer hold the commit lock through their
/// WAL flush (the capture horizon), and delayed durability.
@Suite struct CDCCommitOrderTests {
    /// Three connections commit 40 transactions each that increment one counter row (so each waits
    /// until the previous one is visible) and insert the value they read; three more commit
    /// independent inserts at the same time, and the capture job runs every 5 ms. The counter values
    /// must come out 1…120 in LSN order (LSN order is the order in which commits became visible),
    /// every transaction exactly once, and a reader that saw `fn_cdc_get_max_lsn()` = M must never
    /// find a change at or below M appear later (no commit is captured below one already captured).
    @Test func concurrentCommitsGetLSNsInTheOrderTheyBecameVisible() async throws {
        try await CDCFixture.withCDC { session, engine, _ in
            try await session.run("CREATE TABLE dbo.Counter (id int PRIMARY KEY, n int NOT NULL); INSERT INTO dbo.Counter VALUES (1, 0);")
            let job = engine.makeCaptureJob(configuration: .init(captureInterval: .milliseconds(5)))
            let running = Task { try await job.run() }
            let perConnection = 40
            let connections = 3
            // A reader checks the capture horizon: once fn_cdc_get_max_lsn has shown a value, no
            // change at or below it may appear later.
            let reader = try await engine.makeSession(database: "HR")
            let observing = Task { () -> [([UInt8], Int)] in
                var seen: [([UInt8], Int)] = []
                while !Task.isCancelled {
                    let sets = try await reader.resultSets(
                        """
                        DECLARE @m binary(10) = sys.fn_cdc_get_max_lsn();
                        SELECT @m AS m, (SELECT COUNT(*) FROM cdc.HumanResources_Department_CT WHERE __$start_lsn <= @m) AS n;
                        """)
                    if let row = sets.first, let max = row.value("m")?.bytes, let count = row.value("n")?.int { seen.append((max, count)) }
                    do { try await Task.sleep(for: .milliseconds(3)) } catch { break }
                }
                return seen
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<connections {
                    let worker = try await engine.makeSession(database: "HR")
                    group.addTask {
                        for _ in 0..<perConnection {
                            try await worker.run(
                                """
                                BEGIN TRAN;
                                UPDATE dbo.Counter SET n = n + 1 WHERE id = 1;
                                INSERT INTO HumanResources.Department (Name, GroupName) SELECT CAST(n AS nvarchar(50)), N'order' FROM dbo.Counter WHERE id = 1;
                                COMMIT TRAN;
                                """)
                        }
                        await worker.close()
                    }
                }
                for index in 0..<connections {
                    let worker = try await engine.makeSession(database: "HR")
                    group.addTask {
                        for n in 0..<perConnection {
                            try await worker.run(
                                "INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'free \(index)-\(n)', N'free');")
                        }
                        await worker.close()
                    }
                }
                try await group.waitForAll()
            }
            let total = 2 * connections * perConnection
            var captured = 0
            for _ in 0..<400 {
                captured = try await session.resultSets("SELECT COUNT(*) AS n FROM cdc.HumanResources_Department_CT").first?.value("n")?.int ?? 0
                if captured == total { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            observing.cancel()
            let observations = try await observing.value
            running.cancel()
            _ = await running.result
            #expect(captured == total)
            let changes = try #require(try await session.resultSets(
                "SELECT __$start_lsn AS lsn, Name FROM cdc.HumanResources_Department_CT ORDER BY __$start_lsn, __$seqval").first)
            let values = changes.column("Name").compactMap { $0.text.flatMap { Int($0) } }
            #expect(values == Array(1...(connections * perConnection)))
            let lsns = changes.column("lsn").compactMap(\.bytes)
            #expect(Set(lsns.map { $0 }).count == total)
            // Rows at or below every max LSN a reader saw were all there when it looked.
            for (max, count) in observations {
                let now = try await session.resultSets(
                    "SELECT COUNT(*) AS n FROM cdc.HumanResources_Department_CT WHERE __$start_lsn <= 0x\(max.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())"
                ).first?.value("n")?.int
                #expect(now == count)
            }
            #expect(!observations.isEmpty)
            await reader.close()
        }
    }

    /// A transaction that rolls back after its commit LSN was reserved (a deferred check failing
    /// at COMMIT) leaves a gap, never a captured change, and does not hold the capture back.
    @Test func aTransactionFailingAtCommitIsNotCapturedAndDoesNotStallCapture() async throws {
        try await CDCFixture.withCDC { session, _, url in
            // A deferred PostgreSQL constraint on the pending log that fails for one marked name,
            // after the LSN reservation (constraint triggers fire in name order: cdc_stamp first).
            let raw = try await PostgresConnection.connect(url: url, logger: EmulatorTestDatabase.logger)
            try await raw.execute(
                """
                CREATE FUNCTION public.refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.new_image ->> 'name' = 'refused' THEN RAISE EXCEPTION 'refused at commit'; END IF;
                    RETURN NULL;
                END $$;
                CREATE CONSTRAINT TRIGGER zz_refuse AFTER INSERT ON sqlserver_catalog.cdc_pending
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.refuse_marked();
                """)
            await raw.close()
            try await session.run("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'before', N'G');")
            let failed = try await session.errors("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'refused', N'G');")
            #expect(!failed.isEmpty)
            try await session.run("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'after', N'G'); EXEC sys.sp_cdc_scan;")
            let changes = try #require(try await session.resultSets(
                "SELECT Name FROM cdc.HumanResources_Department_CT ORDER BY __$start_lsn").first)
            #expect(changes.column("Name").compactMap(\.text) == ["before", "after"])
        }
    }
}

/// `DELAYED_DURABILITY`: the database option, COMMIT's option, `sys.databases` and `sp_flush_log`.
@Suite struct DelayedDurabilityTests {
    /// The `synchronous_commit` each commit ran with, recorded at COMMIT by a deferred trigger on
    /// the pending log (every captured change passes through it).
    static func recordingCommits(_ url: String) async throws {
        let raw = try await PostgresConnection.connect(url: url, logger: EmulatorTestDatabase.logger)
        try await raw.execute(
            """
            CREATE TABLE public.commit_modes (id serial PRIMARY KEY, name text, synchronous_commit text);
            CREATE FUNCTION public.record_commit_mode() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO public.commit_modes (name, synchronous_commit)
                VALUES (NEW.new_image ->> 'name', current_setting('synchronous_commit'));
                RETURN NULL;
            END $$;
            CREATE CONSTRAINT TRIGGER zz_record AFTER INSERT ON sqlserver_catalog.cdc_pending
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.record_commit_mode();
            """)
        await raw.close()
    }

    @Test func databaseOptionAndCommitOptionChooseAsynchronousCommit() async throws {
        try await CDCFixture.withCDC { session, _, url in
            try await Self.recordingCommits(url)
            let initial = try #require(try await session.resultSets(
                "SELECT delayed_durability AS d, delayed_durability_desc AS s FROM sys.databases WHERE name = N'HR'").first)
            #expect(initial.value("d")?.int == 0)
            #expect(initial.value("s")?.text == "DISABLED")
            func insert(_ name: String, _ commit: String = "COMMIT TRAN WITH (DELAYED_DURABILITY = ON);") -> String {
                "BEGIN TRAN; INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'\(name)', N'G'); \(commit)"
            }
            // DISABLED: the commit option is ignored.
            try await session.run(insert("disabled-on"))
            try await session.run("ALTER DATABASE HR SET DELAYED_DURABILITY = ALLOWED;")
            try await session.run(insert("allowed-on"))
            try await session.run(insert("allowed-plain", "COMMIT;"))
            try await session.run(insert("allowed-off", "COMMIT WITH (DELAYED_DURABILITY = OFF);"))
            try await session.run("ALTER DATABASE CURRENT SET DELAYED_DURABILITY = FORCED;")
            try await session.run("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'forced-autocommit', N'G');")
            try await session.run(insert("forced-off", "COMMIT TRANSACTION WITH (DELAYED_DURABILITY = OFF);"))
            let forced = try #require(try await session.resultSets(
                "SELECT delayed_durability AS d, delayed_durability_desc AS s FROM sys.databases WHERE name = N'HR'").first)
            #expect(forced.value("d")?.int == 2)
            #expect(forced.value("s")?.text == "FORCED")
            try await session.run("EXEC sys.sp_flush_log;")
            try await session.run("ALTER DATABASE HR SET DELAYED_DURABILITY = DISABLED;")
            try await session.run("INSERT INTO HumanResources.Department (Name, GroupName) VALUES (N'disabled-autocommit', N'G');")

            let raw = try await PostgresConnection.connect(url: url, logger: EmulatorTestDatabase.logger)
            let rows = try await raw.query("SELECT name, synchronous_commit FROM public.commit_modes ORDER BY id")
            await raw.close()
            let modes = try rows.map { "\(try $0.decode(String.self, at: 0))=\(try $0.decode(String.self, at: 1))" }
            #expect(modes == [
                "disabled-on=on", "allowed-on=off", "allowed-plain=on", "allowed-off=on", "forced-autocommit=off", "forced-off=off",
                "disabled-autocommit=on",
            ])
            // Delayed durable commits are captured like any other.
            try await session.run("EXEC sys.sp_cdc_scan;")
            let captured = try #require(try await session.resultSets(
                "SELECT COUNT(*) AS n FROM cdc.lsn_time_mapping WHERE tran_id <> 0x00").first)
            #expect(captured.value("n")?.int == 7)
        }
    }

    @Test func invalidValuesAndFlushInsideATransactionAreRefused() async throws {
        try await CDCFixture.withCDC { session, _, _ in
            #expect(try await session.errors("ALTER DATABASE HR SET DELAYED_DURABILITY = SOMETIMES;").count == 1)
            #expect(try await session.errors("BEGIN TRAN; EXEC sys.sp_flush_log;").count == 1)
            try await session.run("ROLLBACK;")
            // A common table expression after COMMIT is the next statement, not COMMIT's option.
            let sets = try await session.resultSets("BEGIN TRAN; COMMIT; WITH x AS (SELECT 1 AS v) SELECT v FROM x;")
            #expect(sets.first?.value("v")?.int == 1)
        }
    }
}

/// The demo's synthetic change stream for one `orders` table: a pure function of the event number,
/// so a second run continues the same history and the expected target state is computable.
///
/// Event `n` (from 0), by `n % 10`: 0–6 insert order `n`; 7 updates order `n − 3`; 8 updates
/// order `n − 7` (both inserted earlier and never deleted); 9 deletes order `n − 9`.
enum DemoWorkload {
    /// The demo table's columns.
    struct Order: Codable, Equatable, Sendable {
        var id: Int
        var customer: String
        var amount: String
        var status: String
    }

    /// One change event as the demo writes it: a small Debezium-like envelope.
    struct ChangeEvent: Codable, Equatable, Sendable {
        var op: String
        var before: Order?
        var after: Order?
        var sequence: Int
    }

    /// The table's key, as the record key.
    struct Key: Codable, Equatable, Sendable {
        var id: Int
    }

    /// The `n`-th change.
    static func event(_ n: Int) -> ChangeEvent {
        switch n % 10 {
        case 7: ChangeEvent(op: "u", before: inserted(n - 3), after: updated(n - 3, by: n), sequence: n)
        case 8: ChangeEvent(op: "u", before: inserted(n - 7), after: updated(n - 7, by: n), sequence: n)
        case 9: ChangeEvent(op: "d", before: inserted(n - 9), after: nil, sequence: n)
        default: ChangeEvent(op: "c", before: nil, after: inserted(n), sequence: n)
        }
    }

    /// How many orders exist after the first `count` events.
    static func expectedRowCount(afterEvents count: Int) -> Int {
        let full = count / 10
        let rest = count % 10
        // Each full block of ten inserts 7 orders and deletes 1; a partial block inserts up to 7.
        return full * 6 + min(rest, 7)
    }

    private static func inserted(_ id: Int) -> Order {
        let cents = id * 37 % 100_000
        let amount = "\(cents / 100)." + (cents % 100 < 10 ? "0" : "") + "\(cents % 100)"
        return Order(id: id, customer: "customer-\(id % 97)", amount: amount, status: "new")
    }

    private static func updated(_ id: Int, by event: Int) -> Order {
        var order = inserted(id)
        order.status = event % 10 == 7 ? "paid" : "shipped"
        return order
    }
}

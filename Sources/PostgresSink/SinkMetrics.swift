import Metrics

/// The sink's swift-metrics instruments, labelled with the sink's name.
struct SinkMetrics {
    let inserts: Counter
    let updates: Counter
    let deletes: Counter
    let fullLoadRows: Counter
    let ddls: Counter
    let exceptions: Counter
    let duplicates: Counter
    let batches: Counter
    let batchDuration: Metrics.Timer
    let lag: Gauge

    init(sink: String) {
        func changes(_ operation: String) -> Counter {
            Counter(label: "ferry_sink_changes_total", dimensions: [("sink", sink), ("operation", operation)])
        }
        inserts = changes("insert")
        updates = changes("update")
        deletes = changes("delete")
        fullLoadRows = changes("full_load")
        ddls = Counter(label: "ferry_sink_ddl_total", dimensions: [("sink", sink)])
        exceptions = Counter(label: "ferry_sink_apply_exceptions_total", dimensions: [("sink", sink)])
        duplicates = Counter(label: "ferry_sink_duplicates_skipped_total", dimensions: [("sink", sink)])
        batches = Counter(label: "ferry_sink_batches_total", dimensions: [("sink", sink)])
        batchDuration = Metrics.Timer(label: "ferry_sink_batch_duration", dimensions: [("sink", sink)])
        lag = Gauge(label: "ferry_sink_lag_seconds", dimensions: [("sink", sink)])
    }
}

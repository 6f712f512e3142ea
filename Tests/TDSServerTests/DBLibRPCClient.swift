import CFreeTDS
import Executors
@testable import FreeTDS

/// A db-lib connection that makes RPC calls (`dbrpcinit`/`dbrpcparam`/`dbrpcsend`), which the
/// FreeTDS wrapper does not offer. Blocking db-lib calls run on the actor's own thread.
actor DBLibRPCClient {
    /// One RPC parameter as db-lib takes it.
    struct Parameter {
        var name: String
        var isOutput = false
        var type: Int32
        var maxLength: Int32 = -1
        var bytes: [UInt8]?
    }

    /// What came back.
    struct Reply {
        var rows: [[String]] = []
        var returnStatus: Int32?
        var returnValues: [(name: String, type: Int32, bytes: [UInt8])] = []
        var messages: [TDSMessage] = []
    }

    private let executor = ThreadExecutor(name: "rpc-client")
    private var process: DBProcess?

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    deinit { executor.shutdown() }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func connect(port: Int) throws {
        guard DBLibrary.shared.isInitialized, let login = LoginRecord() else { throw Failure(description: "db-lib unavailable") }
        _ = login.setVersion(DBVERSION_74)
        _ = login.set("ferry", for: DBSETUSER)
        _ = login.set("secret", for: DBSETPWD)
        _ = login.set("rpc-test", for: DBSETAPP)
        _ = login.set("UTF-8", for: DBSETCHARSET)
        let sink = MessageSink()
        let opened = DBLibrary.shared.withConnectingSink(sink) {
            login.withPointer { tdsdbopen($0, "127.0.0.1:\(port)", 0) }
        }
        guard let opened else { throw Failure(description: "dbopen failed: \(sink.drain())") }
        process = DBProcess(opened, sink: sink)
    }

    func call(_ procedure: String, _ parameters: [Parameter]) throws -> Reply {
        guard let process else { throw Failure(description: "not connected") }
        return try process.withPointer { pointer in
            guard dbrpcinit(pointer, procedure, 0) == SUCCEED else { throw Failure(description: "dbrpcinit failed") }
            var buffers: [UnsafeMutablePointer<BYTE>] = []
            defer { buffers.forEach { $0.deallocate() } }
            for parameter in parameters {
                var value: UnsafeMutablePointer<BYTE>?
                if let bytes = parameter.bytes {
                    let buffer = UnsafeMutablePointer<BYTE>.allocate(capacity: max(bytes.count, 1))
                    buffer.initialize(from: bytes, count: bytes.count)
                    buffers.append(buffer)
                    value = buffer
                }
                let status = dbrpcparam(
                    pointer, parameter.name, BYTE(parameter.isOutput ? DBRPCRETURN : 0), parameter.type,
                    parameter.maxLength, DBINT(parameter.bytes?.count ?? 0), value
                )
                guard status == SUCCEED else { throw Failure(description: "dbrpcparam \(parameter.name) failed: \(process.sink.drain())") }
            }
            guard dbrpcsend(pointer) == SUCCEED, dbsqlok(pointer) == SUCCEED else {
                throw Failure(description: "the RPC failed: \(process.sink.drain())")
            }
            var reply = Reply()
            while true {
                let status = dbresults(pointer)
                if status == NO_MORE_RESULTS { break }
                guard status == SUCCEED else { throw Failure(description: "dbresults failed: \(process.sink.drain())") }
                let columns = dbnumcols(pointer)
                while columns > 0, dbnextrow(pointer) == REG_ROW {
                    reply.rows.append((1...columns).map { column in
                        guard let data = dbdata(pointer, column) else { return "NULL" }
                        return String(decoding: UnsafeRawBufferPointer(start: data, count: Int(dbdatlen(pointer, column))), as: UTF8.self)
                    })
                }
                if dbhasretstat(pointer) != 0 { reply.returnStatus = dbretstatus(pointer) }
                let count = dbnumrets(pointer)
                if count > 0 {
                    reply.returnValues = (1...count).map { index in
                        let length = Int(dbretlen(pointer, index))
                        let bytes = dbretdata(pointer, index).map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
                        return (dbretname(pointer, index).map { String(cString: $0) } ?? "", dbrettype(pointer, index), bytes)
                    }
                }
            }
            reply.messages = process.sink.drain().messages
            return reply
        }
    }

    func close() {
        process = nil
    }
}

func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// One remote procedure call (packet type 0x03, MS-TDS 2.2.6.6): a procedure, by name or by the
/// id of a system procedure, with typed parameters.
public struct TDSRPCRequest: Sendable, Hashable {
    /// How the procedure is named.
    public enum Procedure: Sendable, Hashable {
        /// By name, e.g. `dbo.usp_orders` or `sp_executesql`.
        case name(String)
        /// By the id of a well-known system procedure (see ``TDSRPCRequest/ProcedureID``).
        case id(UInt16)
    }

    /// The ids clients use instead of the names of system procedures (ProcIDSwitch 0xFFFF).
    public enum ProcedureID {
        /// `sp_cursor`.
        public static let cursor: UInt16 = 1
        /// `sp_cursoropen`.
        public static let cursorOpen: UInt16 = 2
        /// `sp_cursorprepare`.
        public static let cursorPrepare: UInt16 = 3
        /// `sp_cursorexecute`.
        public static let cursorExecute: UInt16 = 4
        /// `sp_cursorprepexec`.
        public static let cursorPrepExec: UInt16 = 5
        /// `sp_cursorunprepare`.
        public static let cursorUnprepare: UInt16 = 6
        /// `sp_cursorfetch`.
        public static let cursorFetch: UInt16 = 7
        /// `sp_cursoroption`.
        public static let cursorOption: UInt16 = 8
        /// `sp_cursorclose`.
        public static let cursorClose: UInt16 = 9
        /// `sp_executesql`.
        public static let executeSQL: UInt16 = 10
        /// `sp_prepare`.
        public static let prepare: UInt16 = 11
        /// `sp_execute`.
        public static let execute: UInt16 = 12
        /// `sp_prepexec`.
        public static let prepExec: UInt16 = 13
        /// `sp_prepexecrpc`.
        public static let prepExecRPC: UInt16 = 14
        /// `sp_unprepare`.
        public static let unprepare: UInt16 = 15

        static let names: [UInt16: String] = [
            1: "sp_cursor", 2: "sp_cursoropen", 3: "sp_cursorprepare", 4: "sp_cursorexecute", 5: "sp_cursorprepexec",
            6: "sp_cursorunprepare", 7: "sp_cursorfetch", 8: "sp_cursoroption", 9: "sp_cursorclose", 10: "sp_executesql",
            11: "sp_prepare", 12: "sp_execute", 13: "sp_prepexec", 14: "sp_prepexecrpc", 15: "sp_unprepare",
        ]
    }

    /// The procedure to run.
    public var procedure: Procedure
    /// Option flag fWithRecomp: recompile the procedure.
    public var withRecompile: Bool
    /// Option flag fNoMetaData: the client wants no COLMETADATA (it reuses the previous one).
    public var noMetadata: Bool
    /// The parameters, in order.
    public var parameters: [TDSRPCParameter]
    /// The transaction descriptor from ALL_HEADERS (see ``TDSSQLBatch/transactionDescriptor``).
    public var transactionDescriptor: UInt64

    /// Makes a request.
    public init(procedure: Procedure, withRecompile: Bool = false, noMetadata: Bool = false, parameters: [TDSRPCParameter], transactionDescriptor: UInt64 = 0) {
        self.procedure = procedure
        self.withRecompile = withRecompile
        self.noMetadata = noMetadata
        self.parameters = parameters
        self.transactionDescriptor = transactionDescriptor
    }

    /// The procedure's name: the name sent, or the system procedure's name for an id
    /// (`sp_executesql` for 10); `procedure id n` for an unknown id.
    public var procedureName: String {
        switch procedure {
        case .name(let name): name
        case .id(let id): ProcedureID.names[id] ?? "procedure id \(id)"
        }
    }

    /// Whether this calls `sp_executesql`, by id 10 or by name (also `sys.sp_executesql`,
    /// `master..sp_executesql`, any case).
    public var isExecuteSQL: Bool {
        switch procedure {
        case .id(let id): return id == ProcedureID.executeSQL
        case .name(let name):
            let lowered = name.lowercased()
            let last = lowered.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? lowered
            return last.trimmingBrackets == "sp_executesql"
        }
    }

    /// The `sp_executesql` call this request makes, or nil if it calls another procedure or its
    /// first parameter (the statement) is missing or not text.
    public var executeSQL: TDSExecuteSQL? {
        guard isExecuteSQL, let statementParameter = parameters.first, case .string(let statement) = statementParameter.value else { return nil }
        var declarations: String?
        var rest = parameters.dropFirst()
        if let second = rest.first, second.name.isEmpty || second.name.lowercased() == "@params" {
            if case .string(let text) = second.value { declarations = text }
            rest = rest.dropFirst()
        }
        return TDSExecuteSQL(statement: statement, parameterDeclarations: declarations, parameters: Array(rest))
    }
}

extension String {
    fileprivate var trimmingBrackets: String {
        hasPrefix("[") && hasSuffix("]") && count >= 2 ? String(dropFirst().dropLast()) : self
    }
}

/// One RPC parameter: its name, direction, declared type and value.
public struct TDSRPCParameter: Sendable, Hashable {
    /// The name with its `@` (empty for a positional parameter).
    public var name: String
    /// Whether the caller passed it as OUTPUT (status fByRefValue): the handler should answer with
    /// a RETURNVALUE for it.
    public var isOutput: Bool
    /// Whether the caller asked for the parameter's default (status fDefaultValue).
    public var usesDefault: Bool
    /// The type the client declared.
    public var type: TDSType
    /// The value.
    public var value: TDSWireValue
    /// The 0-based position in the RPC (RETURNVALUE's ParamOrdinal).
    public var ordinal: Int

    /// Makes a parameter.
    public init(name: String, isOutput: Bool = false, usesDefault: Bool = false, type: TDSType, value: TDSWireValue, ordinal: Int) {
        self.name = name
        self.isOutput = isOutput
        self.usesDefault = usesDefault
        self.type = type
        self.value = value
        self.ordinal = ordinal
    }
}

/// An `sp_executesql` call taken apart: the statement, the declaration of its parameters
/// (`@id int, @name nvarchar(50)`), and the values for them.
public struct TDSExecuteSQL: Sendable, Hashable {
    /// The statement text (the first parameter).
    public var statement: String
    /// The parameter declarations (the second parameter), nil when the call has no parameters.
    public var parameterDeclarations: String?
    /// The values of the declared parameters, in the order sent (usually named `@p1`…).
    public var parameters: [TDSRPCParameter]
}

extension TDSRPCRequest {
    /// Parses an RPC payload: ALL_HEADERS, then one or more RPCs separated by the batch flag 0xFF
    /// or the no-exec flag 0xFE (TDS 7.2+; the pre-7.2 flag 0x80 could not be told apart from a
    /// 128-character parameter name and is not accepted).
    static func parseBatch(_ payload: [UInt8]) throws(TDSServerError) -> [TDSRPCRequest] {
        var reader = ByteReader(payload)
        let headers = TDSAllHeaders.isPresent(in: payload) ? try TDSAllHeaders.read(from: &reader) : TDSAllHeaders()
        var requests: [TDSRPCRequest] = []
        while !reader.isAtEnd {
            var request = try parseOne(&reader)
            request.transactionDescriptor = headers.transactionDescriptor
            requests.append(request)
            if let separator = reader.peekByte(), separator == 0xFF || separator == 0xFE {
                _ = try reader.byte("the RPC batch separator")
            } else if !reader.isAtEnd {
                throw TDSServerError(.malformedRequest, "an RPC is followed by byte 0x\(String(reader.peekByte() ?? 0, radix: 16)) instead of a batch separator")
            }
        }
        guard !requests.isEmpty else { throw TDSServerError(.malformedRequest, "an RPC request names no procedure") }
        return requests
    }

    private static func parseOne(_ reader: inout ByteReader) throws(TDSServerError) -> TDSRPCRequest {
        let nameLength = try reader.littleEndian(UInt16.self, "the procedure name length")
        let procedure: Procedure
        if nameLength == 0xFFFF {
            procedure = .id(try reader.littleEndian(UInt16.self, "the procedure id"))
        } else {
            guard nameLength > 0 else { throw TDSServerError(.malformedRequest, "an RPC has an empty procedure name") }
            procedure = .name(try reader.utf16(units: Int(nameLength), "the procedure name"))
        }
        let options = try reader.littleEndian(UInt16.self, "the RPC option flags")
        var parameters: [TDSRPCParameter] = []
        while let next = reader.peekByte(), next != 0xFF, next != 0xFE {
            let name = try reader.bVarChar("a parameter name")
            let status = try reader.byte("the status flags of parameter \(name)")
            guard status & 0x08 == 0 else {
                throw TDSServerError(.unsupportedRequest, "parameter \(name) is encrypted (Always Encrypted is not supported)")
            }
            let wireType = try TDSWireType.read(from: &reader)
            let value = try wireType.readValue(from: &reader)
            parameters.append(TDSRPCParameter(
                name: name, isOutput: status & 0x01 != 0, usesDefault: status & 0x02 != 0,
                type: wireType.type, value: value, ordinal: parameters.count
            ))
        }
        return TDSRPCRequest(procedure: procedure, withRecompile: options & 0x01 != 0, noMetadata: options & 0x02 != 0, parameters: parameters)
    }
}

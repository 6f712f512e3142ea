/// An exact `money` or `smallmoney` value, kept as ten-thousandths of the currency unit.
public struct TDSMoney: Hashable, Sendable, CustomStringConvertible {
    /// The value times 10 000, as SQL Server stores it.
    public var tenThousandths: Int64

    /// Makes a value from its ten-thousandths (`12345` is `1.2345`).
    public init(tenThousandths: Int64) {
        self.tenThousandths = tenThousandths
    }

    /// The value as an exact decimal with scale 4 (money's own precision is 19).
    public var decimal: TDSDecimal {
        TDSDecimal(unscaledValue: Int128(tenThousandths), scale: 4, precision: 19)
    }

    /// The exact value with four decimal places, e.g. `-922337203685477.5808`.
    public var description: String { decimal.description }
}

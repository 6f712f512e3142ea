public import FerryCore

extension TableValidator.Settings {
    /// The comparison a task's `ValidationSettings` ask for, keeping at most `failureMaxCount`
    /// differing rows per table for the report (`ferry validate` keeps `FailureMaxCount`, a running
    /// task `TableFailureMaxCount`).
    public init(_ validation: ValidationSettings, failureMaxCount: Int) {
        self.init(
            partitionSize: validation.partitionSize, failureMaxCount: failureMaxCount,
            recheckDelay: validation.validationQueryCdcDelaySeconds > 0 ? .seconds(validation.validationQueryCdcDelaySeconds) : nil,
            skipLargeObjects: validation.skipLobColumns,
            largeObjectPrefixBytes: validation.validationPartialLobSizeKB > 0 ? validation.validationPartialLobSizeKB * 1024 : nil)
    }
}

import FerryCore
import SQLServerSource

/// What a `ferry run` task does and when it stops, from `--migration-type` and the DMS stop settings.
///
/// `FullLoadSettings.FullLoadEnabled`/`ApplyChangesEnabled` (legacy keys real exports carry) play
/// no part: the migration type decides, as it does for DMS.
struct RunPlan: CustomStringConvertible, Sendable {
    /// When the task ends on its own.
    enum Stop: Sendable {
        /// Runs until SIGTERM/SIGINT (`cdc`, `full-load-and-cdc`).
        case never
        /// Once the full load is applied (`full-load`, or `StopTaskCachedChangesNotApplied`).
        case afterFullLoad
        /// Once the full load and the changes committed while it ran are applied
        /// (`StopTaskCachedChangesApplied`).
        case afterCachedChanges
    }

    /// `--migration-type`.
    var migrationType: SourceConfiguration.MigrationType
    /// What the source does in the first stage.
    var sourceMigrationType: SourceConfiguration.MigrationType
    /// When the task ends on its own.
    var stop: Stop

    init(migrationType: SourceConfiguration.MigrationType, fullLoad: FullLoadSettings) throws {
        self.migrationType = migrationType
        switch migrationType {
        case .fullLoad:
            sourceMigrationType = .fullLoad
            stop = .afterFullLoad
        case .cdc:
            sourceMigrationType = .cdc
            stop = .never
        case .fullLoadAndCDC:
            if fullLoad.stopTaskCachedChangesNotApplied {
                sourceMigrationType = .fullLoad
                stop = .afterFullLoad
            } else if fullLoad.stopTaskCachedChangesApplied {
                sourceMigrationType = .fullLoad
                stop = .afterCachedChanges
            } else {
                sourceMigrationType = .fullLoadAndCDC
                stop = .never
            }
        }
    }

    var description: String {
        switch stop {
        case .never: migrationType.rawValue
        case .afterFullLoad: "\(migrationType.rawValue), stopping once the full load is applied"
        case .afterCachedChanges: "\(migrationType.rawValue), stopping once the full load and the changes cached during it are applied"
        }
    }
}

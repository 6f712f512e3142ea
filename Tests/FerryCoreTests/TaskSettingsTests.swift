import FerryCore
import Foundation
import Testing

@Suite struct TaskSettingsTests {
    @Test func theWalkthroughSettingsParseUnchanged() throws {
        let s = try TaskSettings(parsing: TaskScenarioFiles.taskSettings)
        #expect(s.targetMetadata.targetSchema == "adventureworks2014_humanresources")
        #expect(s.targetMetadata.lobHandling == .limited(maxSizeKB: 32))
        #expect(s.fullLoad.targetTablePrepMode == .doNothing)
        #expect(s.fullLoad.maxFullLoadSubTasks == 8)
        #expect(s.fullLoad.commitRate == 10_000)
        #expect(s.fullLoad.legacyFullLoadEnabled == false && s.fullLoad.legacyApplyChangesEnabled == true)
        #expect(s.controlTables.effectiveControlSchema == "public")
        #expect(!s.controlTables.statusTableEnabled)
        #expect(s.streamBuffer.dataBufferBytes == 3 * 8 * 1_048_576)
        #expect(s.ddlHandling.handleSourceTableAltered)
        #expect(s.ignored.map(\.path) == [
            "FullLoadSettings.FullLoadEnabled", "FullLoadSettings.ApplyChangesEnabled",
            "FullLoadSettings.ResumeEnabled", "FullLoadSettings.ResumeMinTableSize", "FullLoadSettings.ResumeOnlyClusteredPKTables",
        ])
        #expect(s.ignored[0].reason.contains("--migration-type"))
        // Sections the file leaves out keep DMS's defaults.
        #expect(s.errorBehavior == ErrorBehaviorSettings())
        #expect(s.changeProcessingTuning.memoryLimitTotalMB == 1024)
    }

    @Test func anEmptyDocumentIsAllDefaults() throws {
        let s = try TaskSettings(parsing: "{}")
        #expect(s == TaskSettings())
        #expect(s.fullLoad.targetTablePrepMode == .dropAndCreate)
        #expect(s.errorBehavior.applyErrorInsertPolicy == .logError)
        #expect(s.errorBehavior.applyErrorDeletePolicy == .ignoreRecord)
        #expect(s.errorBehavior.recoverableErrorCount == -1)
        #expect(s.validation.partitionSize == 10_000)
        #expect(s.targetMetadata.lobMaxSizeKB == 32 && s.targetMetadata.lobChunkSizeKB == 64)
    }

    @Test func numbersAndBooleansAsStringsAndKeysInAnyCase() throws {
        let s = try TaskSettings(parsing: #"""
        {"TargetMetadata": {"SupportLobs": "true", "FullLobMode": "TRUE", "LobChunkSize": "128", "InlineLobMaxSize": 16.0, "BatchApplyEnabled": "false"},
         "ControlTablesSettings": {"historyTimeslotInMinutes": "10", "StatusTableEnabled": true},
         "ChangeProcessingTuning": {"MemoryLimitTotal": "2048", "BatchSplitSize": null},
         "ErrorBehavior": {"ApplyErrorInsertPolicy": "insert_record", "ApplyErrorUpdatePolicy": "UPDATE_RECORD", "RecoverableErrorCount": "3"}}
        """#)
        #expect(s.targetMetadata.lobHandling == .full(chunkSizeKB: 128, inlineMaxSizeKB: 16))
        #expect(s.controlTables.historyTimeslotInMinutes == 10)
        #expect(s.controlTables.statusTableEnabled)
        #expect(s.changeProcessingTuning.memoryLimitTotalMB == 2048)
        #expect(s.changeProcessingTuning.batchSplitSize == 0)
        #expect(s.errorBehavior.applyErrorInsertPolicy == .insertRecord)
        #expect(s.errorBehavior.applyErrorUpdatePolicy == .updateRecord)
        #expect(s.errorBehavior.recoverableErrorCount == 3)
        // FullLobMode and LimitedSizeLobMode (default true) together: full wins, and it is said.
        #expect(s.ignored.map(\.path) == ["TargetMetadata.LimitedSizeLobMode"])
    }

    @Test func unknownAndAWSOnlyKeysAreReportedWithAReason() throws {
        let s = try TaskSettings(parsing: #"""
        {"Logging": {"EnableLogging": true, "CloudWatchLogGroup": "g", "LogComponents": [{"Id": "SOURCE_CAPTURE", "Severity": "LOGGER_SEVERITY_DETAILED_DEBUG"}, {"Id": "TARGET_APPLY", "Severity": "LOGGER_SEVERITY_WARNING"}]},
         "TTSettings": {"EnableTT": false}, "BeforeImageSettings": null, "LoopbackPreventionSettings": null,
         "TargetMetadata": {"ParallelLoadThreads": 0, "ParallelApplyThreads": 4, "LoadMaxFileSize": 0},
         "FullLoadSettings": {"CommitRte": 5},
         "ErrorBehavior": {"DataMaskingErrorPolicy": "STOP_TASK"},
         "NewSection2030": {}}
        """#)
        let reasons = Dictionary(uniqueKeysWithValues: s.ignored.map { ($0.path, $0.reason) })
        #expect(reasons["Logging.CloudWatchLogGroup"]?.contains("CloudWatch") == true)
        #expect(reasons["TTSettings"]?.contains("Time Travel") == true)
        #expect(reasons["BeforeImageSettings"] != nil && reasons["LoopbackPreventionSettings"] != nil)
        #expect(reasons["TargetMetadata.ParallelApplyThreads"] != nil)
        #expect(reasons["TargetMetadata.ParallelLoadThreads"] == nil)  // zero: nothing to warn about
        #expect(reasons["TargetMetadata.LoadMaxFileSize"]?.contains("COPY") == true)
        #expect(reasons["FullLoadSettings.CommitRte"]?.contains("misspelt") == true)
        #expect(reasons["ErrorBehavior.DataMaskingErrorPolicy"] != nil)
        #expect(reasons["NewSection2030"] != nil)
        #expect(s.logging.severity(of: "SOURCE_CAPTURE")?.logLevelName == "trace")
        #expect(s.logging.severity(of: "TARGET_APPLY")?.logLevelName == "warning")
        #expect(s.logging.severity(of: "TARGET_LOAD") == nil)
    }

    @Test(arguments: [
        (#"{"FullLoadSettings": {"CommitRate": "lots"}}"#, "FullLoadSettings.CommitRate"),
        (#"{"FullLoadSettings": {"MaxFullLoadSubTasks": 80}}"#, "FullLoadSettings.MaxFullLoadSubTasks"),
        (#"{"FullLoadSettings": {"TargetTablePrepMode": "TRUNCATE"}}"#, "FullLoadSettings.TargetTablePrepMode"),
        (#"{"TargetMetadata": {"SupportLobs": "maybe"}}"#, "TargetMetadata.SupportLobs"),
        (#"{"TargetMetadata": "yes"}"#, "TargetMetadata"),
        (#"{"ErrorBehavior": {"ApplyErrorDeletePolicy": "INSERT_RECORD"}}"#, "ErrorBehavior.ApplyErrorDeletePolicy"),
        (#"{"ChangeProcessingTuning": {"BatchApplyTimeoutMin": 60, "BatchApplyTimeoutMax": 30}}"#, "ChangeProcessingTuning.BatchApplyTimeoutMin"),
        (#"{"Logging": {"LogComponents": [{"Id": "IO", "Severity": "LOUD"}]}}"#, "Logging.LogComponents[0].Severity"),
    ])
    func badValuesNameTheField(_ document: String, _ field: String) {
        let error = #expect(throws: TaskConfigurationError.self) { try TaskSettings(parsing: document) }
        #expect(error?.field == field)
        #expect(error?.message.contains(field) == true)
    }

    @Test func recoverableErrorRetriesThrottleUpToTheMaximum() throws {
        var e = ErrorBehaviorSettings()
        e.recoverableErrorInterval = 5
        e.recoverableErrorThrottlingMax = 30
        #expect((1...5).map { e.recoverableRetryDelay(attempt: $0) } == [5, 10, 20, 30, nil])
        e.recoverableErrorStopRetryAfterThrottlingMax = false
        #expect(e.recoverableRetryDelay(attempt: 50) == 30)
        e.recoverableErrorCount = 2
        #expect(e.recoverableRetryDelay(attempt: 3) == nil)
        e.recoverableErrorThrottling = false
        #expect(e.recoverableRetryDelay(attempt: 2) == 5)
    }

    @Test func effectiveSettingsRoundTripThroughTheParser() throws {
        var original = try TaskSettings(parsing: TaskScenarioFiles.taskSettings)
        original.logging.components = [.init(id: "SOURCE_CAPTURE", severity: .debug)]
        let reparsed = try TaskSettings(parsing: original.effectiveJSON)
        #expect(reparsed.effectiveJSON == original.effectiveJSON)
        #expect(reparsed.ignored.isEmpty)
        #expect(original.effectiveJSON.contains(#""TargetTablePrepMode": "DO_NOTHING""#))
    }

    @Test func filesLoadWithTheFilePrefixAndErrorsNameTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-task-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let settingsPath = directory.appendingPathComponent("task_settings.json").path
        try Data([0xEF, 0xBB, 0xBF] + Array(TaskScenarioFiles.taskSettings.utf8)).write(to: URL(fileURLWithPath: settingsPath))
        let mappingsPath = directory.appendingPathComponent("table_mappings.json").path
        try Data(TaskScenarioFiles.tableMappings.utf8).write(to: URL(fileURLWithPath: mappingsPath))
        #expect(try TaskConfigurationFile.taskSettings("file://" + settingsPath).fullLoad.targetTablePrepMode == .doNothing)
        #expect(try TaskConfigurationFile.tableMappings(mappingsPath).selects(schema: "HumanResources", table: "Shift"))
        let missing = #expect(throws: TaskConfigurationError.self) { try TaskConfigurationFile.tableMappings("file://" + directory.path + "/nope.json") }
        #expect(missing?.code == .unreadableFile)
        #expect(missing?.description.contains("nope.json") == true)
        let badPath = directory.appendingPathComponent("bad.json").path
        try Data(#"{"FullLoadSettings": {"CommitRate": -1}}"#.utf8).write(to: URL(fileURLWithPath: badPath))
        let bad = #expect(throws: TaskConfigurationError.self) { try TaskConfigurationFile.taskSettings(badPath) }
        #expect(bad?.file == badPath)
        #expect(bad?.description.hasPrefix(badPath + ": 'FullLoadSettings.CommitRate'") == true)
    }
}

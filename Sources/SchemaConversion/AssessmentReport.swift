/// The assessment report: what converted automatically, with warnings or not at all, an effort
/// estimate, and every action item. Rendered as JSON or as a self-contained HTML page.
public struct AssessmentReport: Hashable, Sendable {
    /// Counts of one object kind by outcome.
    public struct KindSummary: Hashable, Sendable {
        /// The kind of object.
        public var kind: ConversionObjectKind
        /// Converted by rule with nothing to check.
        public var automatic: Int
        /// Converted; see the warnings.
        public var withWarnings: Int
        /// Needs manual work.
        public var manual: Int
        /// All objects of this kind.
        public var total: Int { automatic + withWarnings + manual }
    }

    /// How much manual work the migration needs.
    public enum Complexity: String, Hashable, Sendable {
        case simple, medium, complex
    }

    /// The source database.
    public var database: String
    /// The target schemas.
    public var targetSchemas: [String]
    /// Per kind, in a fixed order; kinds with no objects are left out.
    public var summary: [KindSummary]
    /// The action items, most severe first.
    public var actionItems: [ActionItem]
    /// The overall complexity.
    public var complexity: Complexity
    /// A rough estimate of the manual work, in hours.
    public var estimatedHours: Double

    /// Builds the report of a conversion.
    public init(_ result: ConversionResult) {
        database = result.database
        targetSchemas = result.targetSchemas
        var summary: [KindSummary] = []
        for kind in ConversionObjectKind.allCases {
            let objects = result.objects.filter { $0.kind == kind }
            guard !objects.isEmpty else { continue }
            summary.append(KindSummary(
                kind: kind, automatic: objects.count { $0.outcome == .automatic },
                withWarnings: objects.count { $0.outcome == .withWarnings }, manual: objects.count { $0.outcome == .manual }))
        }
        self.summary = summary
        actionItems = result.actionItems
        // Hours per item: code objects take longest; the sizes follow SCT's habit of weighting
        // by kind, with the source's length for routines.
        var hours = 0.0
        for item in result.actionItems {
            switch (item.severity, item.kind) {
            case (.manual, .procedure), (.manual, .function), (.manual, .trigger):
                let lines = item.sourceSnippet.map { $0.split(separator: "\n").count } ?? 20
                hours += 2 + Double(lines) / 25
            case (.manual, .view): hours += 1
            case (.manual, _): hours += 0.5
            case (.warning, _): hours += 0.1
            case (.info, _): break
            }
        }
        estimatedHours = (hours * 10).rounded() / 10
        let manualCode = result.actionItems.count { $0.severity == .manual && [.procedure, .function, .trigger].contains($0.kind) }
        complexity = hours == 0 ? .simple : (hours <= 8 && manualCode <= 2 ? .medium : .complex)
        if hours > 0, hours < 1, manualCode == 0 { complexity = .simple }
    }

    /// The number of action items of a severity.
    public func count(_ severity: ActionItem.Severity) -> Int {
        actionItems.count { $0.severity == severity }
    }

    /// The summary of one kind, if there are objects of it.
    public func summary(of kind: ConversionObjectKind) -> KindSummary? {
        summary.first { $0.kind == kind }
    }
}

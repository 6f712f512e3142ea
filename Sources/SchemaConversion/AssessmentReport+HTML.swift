extension AssessmentReport {
    /// The report as one self-contained HTML page: inline CSS, no scripts, no external assets.
    public var html: String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Ferry assessment report — \(Self.escape(database))</title>
            <style>
            body{font:15px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d2330;background:#f5f6f8;margin:0}
            main{max-width:1100px;margin:0 auto;padding:28px 32px 48px}
            h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 12px;border-bottom:1px solid #d9dde4;padding-bottom:6px}
            .sub{color:#5b6475;margin:0 0 20px}
            .cards{display:flex;gap:14px;flex-wrap:wrap}
            .card{background:#fff;border:1px solid #d9dde4;border-radius:8px;padding:12px 18px;min-width:150px}
            .card b{display:block;font-size:24px}.card span{color:#5b6475;font-size:13px}
            table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d9dde4;border-radius:8px;overflow:hidden}
            th,td{text-align:left;padding:7px 12px;border-bottom:1px solid #eceef2;vertical-align:top}
            th{background:#eef0f4;font-size:13px;text-transform:uppercase;letter-spacing:.03em;color:#465063}
            th.n,td.n{text-align:right;font-variant-numeric:tabular-nums}
            .bar{display:flex;height:10px;border-radius:5px;overflow:hidden;background:#eceef2;min-width:160px}
            .bar i{display:block}.a{background:#2e9d5b}.w{background:#e0a526}.m{background:#d64541}
            .item{background:#fff;border:1px solid #d9dde4;border-left:5px solid #8a93a3;border-radius:8px;padding:12px 16px;margin:0 0 12px}
            .item.manual{border-left-color:#d64541}.item.warning{border-left-color:#e0a526}.item.info{border-left-color:#3d7dd8}
            .item h3{font-size:15px;margin:0 0 4px;word-break:break-word}
            .badge{display:inline-block;font-size:11px;font-weight:600;text-transform:uppercase;border-radius:4px;padding:1px 7px;margin-right:8px;color:#fff;vertical-align:1px}
            .badge.manual{background:#d64541}.badge.warning{background:#b7860f}.badge.info{background:#3d7dd8}
            .kind{color:#5b6475;font-size:13px}
            .do{margin:6px 0 0;color:#1d2330}.do b{color:#465063}
            details{margin-top:8px}summary{cursor:pointer;color:#465063;font-size:13px}
            pre{background:#f0f2f5;border:1px solid #e1e4ea;border-radius:6px;padding:10px;overflow:auto;max-height:320px;font:12.5px/1.45 "SFMono-Regular",Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-word}
            .cols{display:grid;grid-template-columns:1fr 1fr;gap:12px}.cols p{margin:6px 0 2px;font-size:12px;color:#5b6475;text-transform:uppercase}
            @media (max-width:800px){.cols{grid-template-columns:1fr}}
            </style></head><body><main>

            """
        out += "<h1>Schema conversion assessment</h1>\n"
        out += "<p class=\"sub\">SQL Server database <b>\(Self.escape(database))</b> → PostgreSQL schema\(targetSchemas.count == 1 ? "" : "s") <b>\(targetSchemas.map(Self.escape).joined(separator: ", "))</b></p>\n"
        let objects = summary.filter { $0.kind != .catalog }
        let total = objects.reduce(0) { $0 + $1.total }
        let automatic = objects.reduce(0) { $0 + $1.automatic }
        out += "<div class=\"cards\">"
        out += "<div class=\"card\"><b>\(total)</b><span>objects</span></div>"
        out += "<div class=\"card\"><b>\(total == 0 ? 100 : automatic * 100 / total)%</b><span>converted automatically</span></div>"
        out += "<div class=\"card\"><b>\(count(.manual))</b><span>need manual work</span></div>"
        out += "<div class=\"card\"><b>\(count(.warning))</b><span>warnings</span></div>"
        out += "<div class=\"card\"><b>\(complexity.rawValue)</b><span>complexity · about \(Self.hours(estimatedHours)) of work</span></div>"
        out += "</div>\n<h2>Objects by kind</h2>\n<table><thead><tr><th>Kind</th><th class=\"n\">Total</th><th class=\"n\">Automatic</th><th class=\"n\">With warnings</th><th class=\"n\">Manual</th><th></th></tr></thead><tbody>\n"
        for entry in objects {
            let width = { (n: Int) in entry.total == 0 ? 0 : Double(n) * 100 / Double(entry.total) }
            out += "<tr><td>\(Self.escape(entry.kind.rawValue))</td><td class=\"n\">\(entry.total)</td><td class=\"n\">\(entry.automatic)</td>"
            out += "<td class=\"n\">\(entry.withWarnings)</td><td class=\"n\">\(entry.manual)</td>"
            out += "<td><div class=\"bar\"><i class=\"a\" style=\"width:\(width(entry.automatic))%\"></i><i class=\"w\" style=\"width:\(width(entry.withWarnings))%\"></i><i class=\"m\" style=\"width:\(width(entry.manual))%\"></i></div></td></tr>\n"
        }
        out += "</tbody></table>\n<h2>Action items (\(actionItems.count))</h2>\n"
        if actionItems.isEmpty { out += "<p>Nothing to do: every object converted automatically.</p>\n" }
        for item in actionItems {
            let severity = item.severity.rawValue
            out += "<div class=\"item \(severity)\"><h3><span class=\"badge \(severity)\">\(severity)</span>\(Self.escape(item.sourceObject)) <span class=\"kind\">\(Self.escape(item.kind.rawValue))</span></h3>\n"
            out += "<div>\(Self.escape(item.message))</div>\n<p class=\"do\"><b>What to do:</b> \(Self.escape(item.recommendation))</p>\n"
            if item.sourceSnippet != nil || item.generated != nil {
                out += "<details\(item.severity == .manual ? " open" : "")><summary>Source and generated code</summary><div class=\"cols\">"
                out += "<div><p>SQL Server</p><pre>\(Self.escape(item.sourceSnippet ?? "—"))</pre></div>"
                out += "<div><p>PostgreSQL</p><pre>\(Self.escape(item.generated ?? "nothing generated"))</pre></div></div></details>\n"
            }
            out += "</div>\n"
        }
        out += "</main></body></html>\n"
        return out
    }

    static func hours(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) h" : "\(value) h"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

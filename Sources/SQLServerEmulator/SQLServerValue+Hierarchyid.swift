import Foundation

extension SQLServerValue {
    /// A `hierarchyid` from PostgreSQL's text of its stored `numeric[]` key (`{1,1,0,1,2,1,5,0}`
    /// for `/1/2.5/`; see CLRTypesSchema.swift): the path, as `ToString()` prints it.
    static func hierarchyidPath(postgresText text: String) -> String? {
        guard text.hasPrefix("{"), text.hasSuffix("}") else { return nil }
        let elements = text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: true)
        var path = "/"
        var index = elements.startIndex
        var firstComponent = true
        while index < elements.endIndex {
            if elements[index] == "1" {
                let next = elements.index(after: index)
                guard next < elements.endIndex else { return nil }
                if !firstComponent { path += "." }
                path += elements[next]
                firstComponent = false
                index = elements.index(after: next)
            } else {
                guard elements[index] == "0" else { return nil }
                path += "/"
                firstComponent = true
                index = elements.index(after: index)
            }
        }
        return path
    }
}

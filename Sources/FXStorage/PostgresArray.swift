/// Text literals of PostgreSQL arrays, so a list travels as one bound parameter (`$1::text[]`).
enum PostgresArray {
    /// Every element double-quoted, with `"` and `\` escaped: safe for any text.
    static func literal(_ elements: [String]) -> String {
        let quoted = elements.map { element in
            var text = "\""
            for character in element {
                if character == "\"" || character == "\\" { text.append("\\") }
                text.append(character)
            }
            return text + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }
}

/// How far an import has come, reported as it goes.
public enum ECBImportProgress: Sendable {
    /// The file was read: this many rates on this many dates.
    case parsed(values: Int, dates: Int)
    /// This many of all the rates are in PostgreSQL's staging table.
    case copied(Int, of: Int)
    /// The staged rates are being merged into `rates`.
    case merging
}

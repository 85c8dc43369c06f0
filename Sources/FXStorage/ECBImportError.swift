import FXCore

/// Why an ECB history file cannot be imported; nothing is written when one is thrown.
public enum ECBImportError: Error, CustomStringConvertible {
    case archive(String)
    case format(ECBFormatError)
    case unknownCurrency(CurrencyCode)

    public var description: String {
        switch self {
        case .archive(let reason): reason
        case .format(let error): error.description
        case .unknownCurrency(let code): "line 1: \(code) is not an ISO 4217 currency fxrates knows"
        }
    }
}

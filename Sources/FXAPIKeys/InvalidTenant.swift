/// A tenant name outside the safe set; tenants end up in log lines, so they stay plain.
public struct InvalidTenant: Error, CustomStringConvertible {
    public let name: String

    public var description: String {
        "invalid tenant \"\(name)\": expected 1 to 64 characters from A-Z a-z 0-9 . _ -"
    }

    static func isValid(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
    }
}

extension Currency {
    /// Currencies that the ECB history still quotes but that ISO 4217 list one (2026-01-01) no longer carries.
    ///
    /// Names and minor units are from ISO 4217 list three, "Historic denominations (currencies & funds)",
    /// maintained by SIX Financial Information for the ISO 4217 Maintenance Agency:
    /// https://www.six-group.com/dam/download/financial-information/data-center/iso-currrency/lists/list-three.xml
    /// RUB is not here: list one of 2026-01-01 still carries it.
    static let iso4217Historic: [Currency] = [
        Currency(code: "BGN", name: "Bulgarian Lev", minorUnits: 2),
        Currency(code: "CYP", name: "Cyprus Pound", minorUnits: 2),
        Currency(code: "EEK", name: "Kroon", minorUnits: 2),
        Currency(code: "HRK", name: "Kuna", minorUnits: 2),
        Currency(code: "LTL", name: "Lithuanian Litas", minorUnits: 2),
        Currency(code: "LVL", name: "Latvian Lats", minorUnits: 2),
        Currency(code: "MTL", name: "Maltese Lira", minorUnits: 2),
        Currency(code: "ROL", name: "Leu", minorUnits: 2),
        Currency(code: "SIT", name: "Tolar", minorUnits: 2),
        Currency(code: "SKK", name: "Slovak Koruna", minorUnits: 2),
        Currency(code: "TRL", name: "Old Turkish Lira", minorUnits: 0),
    ]
}

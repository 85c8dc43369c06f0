/// The source ECB history imports write, and the one preferred when several sources have a rate
/// for the same date and currency.
public enum RatesSource {
    public static let ecb = "ECB"
}

import Hummingbird

// The bare Hummingbird 2 app that the benchmarks measure fxrates against, in the same run: the floor of
// what any Hummingbird server costs on this machine, with nothing of fxrates in it.
//
//   GET /health   a constant application/health+json body, as fxrates' /health answers
//   GET /history  a constant JSON body of 120 KB, the size of a year of fxrates history for every currency

let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 18480

let health = ByteBuffer(string: #"{"status":"pass"}"#)

/// 250 business days of 30 currencies, shaped like `/v1/rates/history`: about 120 KB.
let history: ByteBuffer = {
    var json = #"{"base":"EUR","start":"2025-01-01","end":"2025-12-31","rates":{"#
    for day in 0..<250 {
        json += (day == 0 ? "" : ",") + "\"2025-day-\(1000 + day)\":{"
        for currency in 0..<30 {
            json += (currency == 0 ? "" : ",") + "\"C\(10 + currency)\":\"1.\(1_000_000 + day * 31 + currency)\""
        }
        json += "}"
    }
    return ByteBuffer(string: json + "}}")
}()

let router = Router()
router.get("/health") { _, _ in
    Response(status: .ok, headers: [.contentType: "application/health+json"], body: .init(byteBuffer: health))
}
router.get("/history") { _, _ in
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: history))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()

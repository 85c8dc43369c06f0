import CompressNIO
@testable import FXServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Bodies over 1 KiB in gzip for clients that accept it, with a tag of their own, and conditional
/// requests that work for both representations.
@Suite("gzip: Accept-Encoding, Vary, ETag per representation")
struct GzipResponseTests {
    static let year = "/v1/rates/history?start=2025-01-01&end=2025-12-31"

    struct Answer: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: ByteBuffer
    }

    static func get(_ client: any TestClientProtocol, _ path: String, method: HTTPRequest.Method = .get,
                    headers: HTTPFields = [:]) async throws -> Answer {
        try await client.execute(uri: path, method: method, headers: headers) {
            Answer(status: $0.status, headers: $0.headers, body: $0.body)
        }
    }

    static func gunzip(_ body: ByteBuffer) throws -> ByteBuffer {
        var input = body
        return try input.decompress(with: .gzip())
    }

    @Test func aYearOfHistoryIsGzippedWithItsOwnTagAndTheSameContent() async throws {
        try await withLiveApp { client in
            let plain = try await Self.get(client, Self.year)
            let gzipped = try await Self.get(client, Self.year, headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(plain.status == .ok && gzipped.status == .ok)
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            #expect(plain.headers[values: .vary].contains("Accept-Encoding"))
            #expect(gzipped.headers[values: .vary].contains("Accept-Encoding"))
            #expect(gzipped.headers[.contentLength] == String(gzipped.body.readableBytes))
            #expect(plain.headers[.contentLength] == String(plain.body.readableBytes))
            #expect(gzipped.body.readableBytes * 3 < plain.body.readableBytes)
            #expect(try Self.gunzip(gzipped.body) == plain.body)

            let plainTag = try #require(plain.headers[.eTag])
            #expect(gzipped.headers[.eTag] == String(plainTag.dropLast()) + "-gzip\"")
        }
    }

    @Test func ifNoneMatchWorksForEitherRepresentation() async throws {
        try await withLiveApp { client in
            let plainTag = try #require(try await Self.get(client, Self.year).headers[.eTag])
            let gzipTag = try #require(try await Self.get(client, Self.year, headers: [.acceptEncoding: "gzip"]).headers[.eTag])
            #expect(plainTag != gzipTag)

            let plainAgain = try await Self.get(client, Self.year, headers: [.ifNoneMatch: plainTag])
            #expect(plainAgain.status == .notModified)
            #expect(plainAgain.headers[.eTag] == plainTag)
            let gzipAgain = try await Self.get(client, Self.year, headers: [.acceptEncoding: "gzip", .ifNoneMatch: gzipTag])
            #expect(gzipAgain.status == .notModified)
            #expect(gzipAgain.headers[.eTag] == gzipTag)
            #expect(gzipAgain.headers[values: .vary].contains("Accept-Encoding"))
            #expect(gzipAgain.body.readableBytes == 0)
            // A cache holding both sends both tags.
            let both = try await Self.get(client, Self.year,
                                          headers: [.acceptEncoding: "gzip", .ifNoneMatch: "\(plainTag), \(gzipTag)"])
            #expect(both.status == .notModified)
            // The identity tag does not validate the gzip representation: the client gets it in full.
            let other = try await Self.get(client, Self.year, headers: [.acceptEncoding: "gzip", .ifNoneMatch: plainTag])
            #expect(other.status == .ok)
            #expect(other.headers[.contentEncoding] == "gzip")
        }
    }

    @Test func headAnswersTheHeadersOfTheGzippedGet() async throws {
        try await withLiveApp { client in
            let get = try await Self.get(client, Self.year, headers: [.acceptEncoding: "gzip"])
            let head = try await Self.get(client, Self.year, method: .head, headers: [.acceptEncoding: "gzip"])
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentEncoding] == "gzip")
            #expect(head.headers[.contentLength] == get.headers[.contentLength])
            #expect(head.headers[.eTag] == get.headers[.eTag])
        }
    }

    @Test func smallBodiesAreNeverCompressed() async throws {
        try await withLiveApp { client in
            let small = try await Self.get(client, "/v1/convert?from=USD&to=JPY&amount=100",
                                           headers: [.acceptEncoding: "gzip"])
            #expect(small.status == .ok)
            #expect(small.body.readableBytes <= GzipBody.maximumUncompressedBytes)
            #expect(small.headers[.contentEncoding] == nil)
            #expect(small.headers[values: .vary].contains("Accept-Encoding") == false)
        }
    }

    @Test(arguments: [
        ("gzip;q=0", false), ("identity", false), ("identity;q=0", false), ("identity;q=0, *;q=0", false),
        ("GZIP;Q=0.001", true), ("*", true), ("x-gzip", true), ("br, gzip;q=0.5, identity;q=0.9", false),
        ("gzip;q=0.8, identity;q=0.8", true), ("*;q=0.5, gzip;q=0", false), ("gzip;q=1.5", false),
        ("gzip;q=abc", false), ("deflate", false), ("", false),
    ])
    func acceptEncodingQValuesDecide(value: String, gzipped: Bool) async throws {
        #expect((ContentCoding(acceptEncoding: [value]) == .gzip) == gzipped, "\(value)")
        try await withLiveApp { client in
            let answer = try await Self.get(client, Self.year, headers: [.acceptEncoding: value])
            #expect(answer.status == .ok)
            #expect((answer.headers[.contentEncoding] == "gzip") == gzipped, "\(value)")
        }
    }
}

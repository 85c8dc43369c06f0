import Foundation

/// A CA, server certificates signed by it (one for 127.0.0.1 and localhost, one for another name), a client
/// certificate, and a second CA that signed none of them, made with `openssl` in a directory of their own.
public final class TestCertificates: Sendable {
    public let directory: URL

    public var caFile: String { path("ca.pem") }
    public var wrongCAFile: String { path("wrong-ca.pem") }
    /// For `IP:127.0.0.1` and `DNS:localhost`.
    public var serverCertificateFile: String { path("server.pem") }
    public var serverKeyFile: String { path("server.key") }
    /// Signed by the CA, but for `DNS:elsewhere.example` only.
    public var otherHostCertificateFile: String { path("other-host.pem") }
    public var otherHostKeyFile: String { path("other-host.key") }
    public var clientCertificateFile: String { path("client.pem") }
    public var clientKeyFile: String { path("client.key") }

    public static var canMake: Bool {
        FileManager.default.fileExists(atPath: "/usr/bin/openssl")
    }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fxredis-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            try makeCA("ca")
            try makeCA("wrong-ca")
            try makeSigned("server", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth")
            try makeSigned("other-host", extensions: "subjectAltName=DNS:elsewhere.example\nextendedKeyUsage=serverAuth")
            try makeSigned("client", extensions: "extendedKeyUsage=clientAuth")
        } catch {
            destroy()
            throw error
        }
    }

    public func destroy() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// redis-server arguments serving TLS only on `port` with the server certificate `name` ("server" or
    /// "other-host"), asking clients for a certificate signed by the CA when `requireClientCertificate`.
    public func redisArguments(port: Int, certificate name: String = "server", requireClientCertificate: Bool = false) -> [String] {
        ["--port", "0", "--tls-port", "\(port)",
         "--tls-cert-file", path("\(name).pem"), "--tls-key-file", path("\(name).key"),
         "--tls-ca-cert-file", caFile, "--tls-auth-clients", requireClientCertificate ? "yes" : "no"]
    }

    private func makeCA(_ name: String) throws {
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "2", "-subj", "/CN=fxrates test \(name)"])
    }

    private func makeSigned(_ name: String, extensions: String) throws {
        try extensions.write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=fxrates test \(name)"])
        try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", caFile, "-CAkey", path("ca.key"),
                     "-CAcreateserial", "-out", path("\(name).pem"), "-days", "2", "-extfile", path("\(name).ext")])
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw OpenSSLFailed(arguments: arguments) }
    }

    private func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    struct OpenSSLFailed: Error {
        let arguments: [String]
    }
}

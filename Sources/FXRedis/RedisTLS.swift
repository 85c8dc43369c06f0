import NIOCore
import NIOSSL

/// TLS on every connection of a `rediss://` URL: the server's certificate is verified, its name included,
/// against the CA file (or the system's roots), and a client certificate is presented for mutual TLS.
///
/// The files are read for each new connection, so a rotated certificate is used from the next reconnect.
public struct RedisTLS: Sendable, Equatable {
    /// PEM CA certificates to trust instead of the system's roots.
    public var caFile: String?
    /// PEM client certificate chain, with `privateKeyFile`, for servers that ask for one.
    public var certificateFile: String?
    public var privateKeyFile: String?

    public init(caFile: String? = nil, certificateFile: String? = nil, privateKeyFile: String? = nil) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
    }

    /// A client context with full verification: chain and server name.
    func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        if let caFile {
            configuration.trustRoots = .certificates(try Self.certificates(in: caFile))
        }
        if let certificateFile {
            configuration.certificateChain = try Self.certificates(in: certificateFile).map { .certificate($0) }
        }
        if let privateKeyFile {
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The handler that goes first in a connection's pipeline. An IP address is verified against the
    /// certificate's IP SANs (and is not sent as SNI, which allows host names only); a name against its DNS SANs.
    func makeHandler(context: NIOSSLContext, host: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
    }

    /// Throws when a file is unreadable or the key does not fit the certificate: for checking at startup.
    public func check() throws {
        _ = try makeContext()
    }

    /// Throws when `path` is unreadable or holds no PEM certificate: for checking a setting at startup.
    public static func checkCertificates(in path: String) throws {
        _ = try certificates(in: path)
    }

    /// Throws when `path` is unreadable or holds no PEM private key.
    public static func checkPrivateKey(in path: String) throws {
        _ = try NIOSSLPrivateKey(file: path, format: .pem)
    }

    private static func certificates(in path: String) throws -> [NIOSSLCertificate] {
        let certificates = try NIOSSLCertificate.fromPEMFile(path)
        guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
        return certificates
    }
}

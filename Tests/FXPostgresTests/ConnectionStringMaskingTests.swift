import CLibpq
import FXPostgres
import Foundation
import Testing

@Suite("Connection string masking")
struct ConnectionStringMaskingTests {
    private func masked(_ connectionString: String) -> String {
        PostgresClientConfiguration(connectionString: connectionString).maskedConnectionString
    }

    @Test func masksURIPassword() {
        #expect(masked("postgres://user:secret@host/db") == "postgres://user:***@host/db")
        #expect(masked("postgresql://app:p%40ss@db1:5432,db2:5433/fx?sslmode=require")
            == "postgresql://app:***@db1:5432,db2:5433/fx?sslmode=require")
    }

    @Test func masksURIPasswordContainingRawAt() {
        #expect(masked("postgres://user:se@cret@host/db") == "postgres://user:***@host/db")
    }

    @Test func masksURIPasswordQueryParameter() {
        #expect(masked("postgres://host/db?user=u&password=secret&sslmode=disable")
            == "postgres://host/db?user=u&password=***&sslmode=disable")
    }

    @Test func leavesURIWithoutPasswordAlone() {
        #expect(masked("postgresql://postgres@127.0.0.1:55432/fxtest") == "postgresql://postgres@127.0.0.1:55432/fxtest")
        #expect(masked("postgres://host/db") == "postgres://host/db")
    }

    @Test func masksKeywordPassword() {
        #expect(masked("host=db user=app password=secret dbname=fx") == "host=db user=app password=*** dbname=fx")
        #expect(masked("password = secret host=db") == "password = *** host=db")
    }

    @Test func masksQuotedKeywordPassword() {
        #expect(masked("host=db password='se cr\\'et' dbname=fx") == "host=db password=*** dbname=fx")
        #expect(masked("password='' host=db") == "password=*** host=db")
    }

    @Test func masksUnterminatedQuotedPasswordToTheEnd() {
        #expect(masked("host=db password='secret dbname=fx") == "host=db password=***")
    }

    @Test func keepsOtherKeywordsAndMultiHost() {
        let text = "host=a,b port=5432,5433 target_session_attrs=read-write passfile=/x/.pgpass"
        #expect(masked(text) == text)
    }

    @Test func aQuestionMarkInAURIPasswordIsStillThePassword() {
        #expect(masked("postgresql://fx:se?cret@db/fx") == "postgresql://fx:***@db/fx")
        #expect(masked("postgresql://fx:se?cr@et@db/fx?user=a@b&sslmode=require")
            == "postgresql://fx:***@db/fx?user=a@b&sslmode=require")
    }

    @Test func masksSSLPasswordInEveryForm() {
        #expect(masked("postgresql://db/fx?sslpassword=secret&sslmode=verify-full")
            == "postgresql://db/fx?sslpassword=***&sslmode=verify-full")
        #expect(masked("host=db sslpassword = 'a b' sslkey=/k") == "host=db sslpassword = *** sslkey=/k")
        #expect(masked("postgresql://db/fx?pass%77ord=secret") == "postgresql://db/fx?pass%77ord=***")
    }

    /// Every secret libpq itself reads out of a connection string (`PQconninfoParse`) is absent from the
    /// masked copy, raw or percent-encoded, over passwords holding each character that the grammars treat
    /// specially, in every form libpq accepts. Strings libpq refuses are logged too, so the intended
    /// password must not show in them either.
    @Test(arguments: ["?", "@", "/", "'", "\\", " ", "%", "&", "=", "#", ":", ",", "ü"])
    func noSecretLibpqReadsSurvivesMasking(special: String) throws {
        let password = "Zq9se\(special)cret"
        let encoded = try #require(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let quoted = password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        let unquoted = quoted.replacingOccurrences(of: " ", with: "\\ ")
        let forms = [
            "postgresql://fx:\(password)@db:5432/fx",
            "postgres://fx:\(encoded)@db1:5432,db2:5433/fx?sslmode=require",
            "postgresql://:\(encoded)@db",
            "postgresql://db/fx?user=fx&password=\(encoded)&application_name=x",
            "postgresql://fx@db/fx?sslpassword=\(encoded)",
            "postgresql://db/fx?pass%77ord=\(encoded)",
            "postgresql://fx:\(encoded)@[::1]:5432/fx?sslpassword=\(encoded)&target_session_attrs=read-write",
            "host=db user=fx password='\(quoted)' dbname=fx",
            "host=db password=\(unquoted) sslpassword='\(quoted)'",
            "host=a,b port=5432,5433 password = '\(quoted)' sslmode=require",
        ]
        #expect(libpqSecrets(forms[3]) == [password], "the test reads secrets as libpq does")
        for form in forms {
            let logged = masked(form)
            var secrets = [password, encoded]
            if let read = libpqSecrets(form) {
                secrets += read.filter { !$0.isEmpty }
            }
            for secret in secrets {
                #expect(!logged.contains(secret), "\(form) was logged as \(logged)")
            }
        }
    }

    /// The values of `password` and `sslpassword` as libpq parses `connectionString`, or nil when it refuses it.
    private func libpqSecrets(_ connectionString: String) -> [String]? {
        guard fx_libpq_load() == nil else {
            Issue.record("libpq cannot be loaded")
            return nil
        }
        var error: UnsafeMutablePointer<CChar>?
        guard let options = fx_PQconninfoParse(connectionString, &error) else {
            fx_PQfreemem(error)
            return nil
        }
        defer { fx_PQconninfoFree(options) }
        var secrets: [String] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if ["password", "sslpassword"].contains(String(cString: keyword)), let value = option.pointee.val {
                secrets.append(String(cString: value))
            }
            option += 1
        }
        return secrets
    }
}

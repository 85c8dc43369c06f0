import FXPostgres
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
}

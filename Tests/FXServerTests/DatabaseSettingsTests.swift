import FXServer
import Testing

@Suite("Settings for PostgreSQL and the admin routes")
struct DatabaseSettingsTests {
    @Test func databaseSettingsAreReadWhenValid() throws {
        let settings = try Settings(environment: [
            "DATABASE_URL": "host=db1,db2 port=5432,5433 dbname=fx", "FX_MIGRATE": "auto", "FX_ADMIN_TOKEN": "s3cret",
        ])
        #expect(settings.databaseURL == "host=db1,db2 port=5432,5433 dbname=fx")
        #expect(settings.autoMigrate)
        #expect(settings.adminTokens == ["s3cret"])
        #expect(try Settings(environment: ["DATABASE_URL": "", "FX_MIGRATE": ""]) == Settings())
    }

    @Test(arguments: ["postgresql://fx:hunter2@db:notaport/fx", "host=db password=hunter2 nonsense", "postgresql://fx:hunter2@db:99999/fx"])
    func aBadDatabaseURLIsNamedButNeverEchoed(url: String) {
        let error = #expect(throws: SettingsError.self) { try Settings(environment: ["DATABASE_URL": url]) }
        #expect(error?.description.hasPrefix("DATABASE_URL is invalid") == true)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test(arguments: [("FX_MIGRATE", "yes"), ("FX_MIGRATE", "AUTO"), ("FX_ADMIN_TOKEN", "two words")])
    func otherBadValuesAreRefused(variable: String, value: String) {
        let error = #expect(throws: SettingsError.self) { try Settings(environment: [variable: value]) }
        #expect(error?.variable == variable)
    }
}

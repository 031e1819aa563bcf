// PostgreSQL store: runs the store-conformance suite against the test server started by
// scripts/postgres.sh (CTest fixture postgres_server), one fresh schema per test, plus what is
// specific to a networked store (a dropped connection, an unreachable server).
// The server is required: when it is missing these tests fail with the connection error.
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "terminal/log/postgres_log.h"
#include "tests/unit/terminal/log/store_conformance.h"
#include "tests/unit/terminal/log/test_records.h"

namespace uketsuke::terminal::testing {
namespace {

// $UKETSUKE_PG, else the socket of scripts/postgres.sh in this build tree.
std::string baseConnection() {
    if (const char* env = std::getenv("UKETSUKE_PG"); env && *env)
        return env;
    return std::string("host=") + UKETSUKE_BUILD_DIR +
           "/run/pgsock port=55432 dbname=uketsuke_test user=postgres connect_timeout=5";
}

ChainHasher testHasher(bool key) {
    return key ? ChainHasher(SecretBytes(*fromHex(kTestChainKeyHex))) : ChainHasher();
}

// One schema per harness, dropped at the end; stores reach it through search_path.
class PostgresHarness final : public StoreHarness {
  public:
    PostgresHarness() {
        static std::atomic<int> counter{0};
        schema_ = "log_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
        admin_ = PQconnectdb(baseConnection().c_str());
        if (PQstatus(admin_) != CONNECTION_OK) {
            ADD_FAILURE() << "PostgreSQL test server not reachable (" << baseConnection()
                          << "): " << PQerrorMessage(admin_)
                          << "run `scripts/postgres.sh start BUILD_DIR` or set UKETSUKE_PG";
            return;
        }
        command("SET client_min_messages = warning");
        command("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
        command("SET search_path TO " + schema_);
        ready_ = true;
    }
    ~PostgresHarness() override {
        if (ready_)
            command("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
        PQfinish(admin_);
    }
    bool ready() const { return ready_; }

    std::string connection(const std::string& applicationName = "uketsuke_log_test") const {
        return baseConnection() + " application_name=" + applicationName +
               " options='-c search_path=" + schema_ + "'";
    }
    LogResult<std::unique_ptr<ConfirmationLog>> open(bool key) override {
        auto log = PostgresConfirmationLog::open(connection(), testHasher(key));
        if (!log)
            return log.failure();
        return std::unique_ptr<ConfirmationLog>(std::move(log).takeValue());
    }
    void execRaw(const std::string& sql) override { command(sql); }
    void command(const std::string& sql) {
        PGresult* r = PQexec(admin_, sql.c_str());
        const auto status = PQresultStatus(r);
        EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
            << sql << ": " << PQresultErrorMessage(r);
        PQclear(r);
    }

  private:
    std::string schema_;
    PGconn* admin_ = nullptr;
    bool ready_ = false;
};

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance,
                         ::testing::Values(HarnessFactory{
                             "postgres",
                             []() -> std::unique_ptr<StoreHarness> {
                                 auto h = std::make_unique<PostgresHarness>();
                                 if (!h->ready())
                                     return nullptr;
                                 return h;
                             }}),
                         [](const auto& info) { return info.param.name; });

// The server drops the terminal's connection between two sessions: the next append reconnects
// and lands once, in sequence.
TEST(PostgresStore, AppendSurvivesADroppedConnection) {
    // Arrange
    PostgresHarness harness;
    ASSERT_TRUE(harness.ready());
    const std::string app = "uketsuke_victim_" + std::to_string(::getpid());
    auto log = PostgresConfirmationLog::open(harness.connection(app), ChainHasher());
    ASSERT_TRUE(log.ok()) << log.error().toString();
    ASSERT_TRUE(log.value()->append(makeRecord()).ok());
    harness.command(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
        "application_name = '" +
        app + "'");
    // Act
    auto second = log.value()->append(makeRecord());
    // Assert
    ASSERT_TRUE(second.ok()) << second.error().toString();
    EXPECT_EQ(second.value().sequence, 2);
    auto report = log.value()->verify();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report.value().ok());
    EXPECT_EQ(report.value().rowsChecked, 2);
}

// A server that does not answer gives a clear "unavailable" error.
TEST(PostgresStore, UnreachableServerIsUnavailable) {
    // Arrange: port 1 on loopback refuses connections.
    const std::string connection = "host=127.0.0.1 port=1 dbname=none connect_timeout=2";
    // Act
    auto log = PostgresConfirmationLog::open(connection, ChainHasher());
    // Assert
    ASSERT_FALSE(log.ok());
    EXPECT_EQ(log.error().code, LogErrorCode::kUnavailable);
}

// The append lock wait is bounded: a terminal holding it longer than lock_timeout makes the
// waiting append fail with "busy" instead of hanging.
TEST(PostgresStore, HeldLockTimesOutAsBusy) {
    // Arrange
    PostgresHarness harness;
    ASSERT_TRUE(harness.ready());
    auto log = PostgresConfirmationLog::open(harness.connection(), ChainHasher(), 300);
    ASSERT_TRUE(log.ok());
    harness.command("BEGIN");
    harness.command("SELECT pg_advisory_xact_lock(" +
                    std::to_string(PostgresConfirmationLog::kAppendLockKey) + ")");
    // Act
    auto result = log.value()->append(makeRecord());
    harness.command("ROLLBACK");
    auto after = log.value()->append(makeRecord());
    // Assert
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, LogErrorCode::kBusy);
    ASSERT_TRUE(after.ok()) << after.error().toString();
    EXPECT_EQ(after.value().sequence, 1);
}

}  // namespace
}  // namespace uketsuke::terminal::testing

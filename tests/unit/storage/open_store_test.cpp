// open_store: URL schemes and start-up failures.
#include <stdexcept>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

// The message of the std::runtime_error `open_store(url)` throws; empty when it does not throw.
std::string open_error(std::string_view url) {
  try {
    open_store(url, {});
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(OpenStore, MemoryDatabaseOpensAndAnswers) {
  auto store = open_store("sqlite::memory:", {});
  ASSERT_NE(store, nullptr);
  EXPECT_OK(store->ping());
  EXPECT_OK(store->flush());
  EXPECT_OK(store->flush());  // safe more than once
}

TEST(OpenStore, EachMemoryStoreIsItsOwnDatabase) {
  auto a = open_store("sqlite::memory:", {});
  auto b = open_store("sqlite::memory:", {});
  auto t = make_tenant("Only in a");
  ASSERT_OK(a->create_tenant(t, make_credential(t.id, domain::Role::kTenantAdmin)));
  EXPECT_OK(a->get_tenant(t.id));
  EXPECT_TRUE(fails_with(b->get_tenant(t.id), ErrorCode::kNotFound));
}

// Port 1 on loopback: nothing listens there, the connection is refused at once.
TEST(OpenStore, UnreachablePostgresIsNamed) {
  const auto message = open_error("postgres://user:secret@127.0.0.1:1/lastmile");
  EXPECT_NE(message.find("cannot connect to PostgreSQL"), std::string::npos) << message;
  EXPECT_NE(open_error("postgresql://127.0.0.1:1/lastmile").find("cannot connect to PostgreSQL"), std::string::npos);
}

TEST(OpenStore, PostgresMessageDoesNotEchoThePassword) {
  EXPECT_EQ(open_error("postgres://user:secret@127.0.0.1:1/lastmile").find("secret"), std::string::npos);
}

TEST(OpenStore, PostgresSchemaMustBeAPlainIdentifier) {
  const auto message = open_error("postgres://127.0.0.1:1/lastmile?schema=x;drop");
  EXPECT_NE(message.find("schema parameter"), std::string::npos) << message;
}

TEST(OpenStore, UnknownSchemeIsRefused) {
  auto message = open_error("mysql://localhost/db");
  EXPECT_NE(message.find("unsupported database URL scheme 'mysql'"), std::string::npos) << message;
  EXPECT_NE(open_error("/var/lib/lastmile.db"), "");
}

TEST(OpenStore, SqliteWithoutPathIsRefused) { EXPECT_NE(open_error("sqlite:").find("needs a path"), std::string::npos); }

TEST(OpenStore, UnopenableFileNamesThePath) {
  TempDir dir;
  const auto path = (dir.path() / "missing-dir" / "x.db").string();
  auto message = open_error("sqlite:" + path);
  EXPECT_NE(message.find("cannot open SQLite database '" + path + "'"), std::string::npos) << message;
}

TEST(OpenStore, SqliteSlashSlashFormIsAccepted) {
  TempDir dir;
  const auto path = (dir.path() / "x.db").string();  // absolute: sqlite:///tmp/… → /tmp/…
  auto store = open_store("sqlite://" + path, {});
  EXPECT_OK(store->ping());
  EXPECT_TRUE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace lastmile::storage::testing

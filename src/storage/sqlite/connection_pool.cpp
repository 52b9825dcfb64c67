#include "storage/sqlite/connection_pool.hpp"

#include <utility>

#include "storage/sqlite/migrations.hpp"

namespace lastmile::storage::sqlite {
namespace {

// True when the database lives only inside its connection: other connections could not see it.
bool single_connection_database(const std::string& filename) {
  return filename.empty() || filename == ":memory:" || filename.find("mode=memory") != std::string::npos;
}

}  // namespace

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::open(const std::string& filename, int readers) {
  auto writer = SqliteConnection::open(filename, {.create = true, .query_only = false});
  if (!writer) return writer.error();
  if (auto st = (*writer)->enable_wal(); !st) return st.error();
  if (auto st = run_migrations(**writer); !st) return st.error();

  std::unique_ptr<ConnectionPool> pool(new ConnectionPool());
  pool->writer_ = std::move(*writer);
  if (single_connection_database(filename)) return pool;
  for (int i = 0; i < readers; ++i) {
    auto reader = SqliteConnection::open(filename, {.create = false, .query_only = true});
    if (!reader) return reader.error();
    pool->idle_.push_back(reader->get());
    pool->readers_.push_back(std::move(*reader));
  }
  if (auto st = pool->writer_->exec("PRAGMA wal_autocheckpoint = 0"); !st) return st.error();
  auto checkpointer = SqliteConnection::open(filename, {.create = false, .query_only = false});
  if (!checkpointer) return checkpointer.error();
  pool->checkpointer_ = std::move(*checkpointer);
  pool->checkpoint_thread_ = std::thread([p = pool.get()] { p->checkpoint_loop(); });
  return pool;
}

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::open_with(const Connect& connect, int readers) {
  auto writer = connect();
  if (!writer) return writer.error();
  if (auto st = run_migrations(**writer); !st) return st.error();
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool());
  pool->writer_ = std::move(*writer);
  for (int i = 0; i < readers; ++i) {
    auto reader = connect();
    if (!reader) return reader.error();
    pool->idle_.push_back(reader->get());
    pool->readers_.push_back(std::move(*reader));
  }
  return pool;
}

ConnectionPool::~ConnectionPool() {
  if (!checkpoint_thread_.joinable()) return;
  {
    std::lock_guard lock(checkpoint_mu_);
    stopping_ = true;
  }
  checkpoint_stop_.notify_all();
  checkpoint_thread_.join();
}

void ConnectionPool::checkpoint_loop() {
  std::unique_lock lock(checkpoint_mu_);
  for (;;) {
    const bool stop = checkpoint_stop_.wait_for(lock, kCheckpointInterval, [this] { return stopping_; });
    lock.unlock();
    // Failures (a busy database) are harmless: the frames stay in the WAL until the next round.
    (void)checkpointer_->exec("PRAGMA wal_checkpoint(PASSIVE)");
    lock.lock();
    if (stop) return;
  }
}

ConnectionPool::WriterLease ConnectionPool::writer() {
  return WriterLease(std::unique_lock(writer_mu_), writer_.get());
}

ConnectionPool::ReaderLease ConnectionPool::reader() {
  if (readers_.empty()) return ReaderLease(nullptr, writer_.get(), std::unique_lock(writer_mu_));
  std::unique_lock lock(readers_mu_);
  reader_free_.wait(lock, [this] { return !idle_.empty(); });
  Connection* conn = idle_.back();
  idle_.pop_back();
  return ReaderLease(this, conn, {});
}

void ConnectionPool::give_back(Connection* conn) {
  {
    std::lock_guard lock(readers_mu_);
    idle_.push_back(conn);
  }
  reader_free_.notify_one();
}

ConnectionPool::ReaderLease::ReaderLease(ReaderLease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      conn_(std::exchange(other.conn_, nullptr)),
      writer_lock_(std::move(other.writer_lock_)) {}

ConnectionPool::ReaderLease::~ReaderLease() {
  if (pool_ && conn_) pool_->give_back(conn_);
}

}  // namespace lastmile::storage::sqlite

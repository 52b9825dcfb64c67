#pragma once
// The connections of one SQLite database: one writer, guarded by a mutex so that all writes
// serialize through it (which is what makes events.global_seq the commit order), and a few
// query-only reader connections handed out per call (WAL lets them read while the writer writes).
//
// A memory database (":memory:") is private to its connection, so it gets a single connection: the
// "reader" lease then takes the writer's mutex, and reads and writes serialize.
//
// Checkpoints (file databases): the writer never checkpoints (wal_autocheckpoint = 0), so a commit
// never waits while the WAL is copied into the database file. A thread of the pool does it instead,
// on its own connection, every kCheckpointInterval: a PASSIVE checkpoint, which copies what no
// reader still needs and never blocks the writer or a reader. SQLite restarts the WAL from its start
// when a writer finds it fully checkpointed, so it stays bounded while readers come and go.
//
// Threading: writer() and reader() may be called from any thread; a lease is used by the thread
// that holds it and must not outlive the pool. A thread holding a writer lease must not ask for a
// reader lease (with a single connection that would deadlock).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_db.hpp"

namespace lastmile::storage::sqlite {

class ConnectionPool {
 public:
  // Opens the writer (creating the file, enabling WAL), runs pending migrations on it, then opens
  // `readers` reader connections (none for a memory database). Errors as from Connection::open and
  // run_migrations.
  static Result<std::unique_ptr<ConnectionPool>> open(const std::string& filename, int readers);
  // A pool over another driver's connections (PostgreSQL): `connect` opens one; the first becomes
  // the writer and gets the pending migrations, `readers` more are the readers. No checkpoints (a
  // server database manages its own log).
  using Connect = std::function<Result<std::unique_ptr<Connection>>()>;
  static Result<std::unique_ptr<ConnectionPool>> open_with(const Connect& connect, int readers);
  ~ConnectionPool();  // stops the checkpoint thread (after one last checkpoint)
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  static constexpr std::chrono::milliseconds kCheckpointInterval{250};

  // Exclusive use of the writer connection while alive.
  class WriterLease {
   public:
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_; }

   private:
    friend class ConnectionPool;
    WriterLease(std::unique_lock<std::mutex> lock, Connection* conn) : lock_(std::move(lock)), conn_(conn) {}
    std::unique_lock<std::mutex> lock_;
    Connection* conn_;
  };

  // Use of one reader connection while alive; gives it back on destruction.
  class ReaderLease {
   public:
    ReaderLease(ReaderLease&& other) noexcept;
    ReaderLease& operator=(ReaderLease&&) = delete;
    ~ReaderLease();
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_; }

   private:
    friend class ConnectionPool;
    ReaderLease(ConnectionPool* pool, Connection* conn, std::unique_lock<std::mutex> writer_lock)
        : pool_(pool), conn_(conn), writer_lock_(std::move(writer_lock)) {}
    ConnectionPool* pool_;  // nullptr when this lease borrowed the writer (single-connection mode)
    Connection* conn_;
    std::unique_lock<std::mutex> writer_lock_;
  };

  // Blocks until the writer is free.
  WriterLease writer();
  // Blocks until a reader is free.
  ReaderLease reader();

 private:
  ConnectionPool() = default;
  void give_back(Connection* conn);
  void checkpoint_loop();

  std::mutex writer_mu_;
  std::unique_ptr<Connection> writer_;  // used only under writer_mu_

  std::mutex readers_mu_;
  std::condition_variable reader_free_;
  std::vector<std::unique_ptr<Connection>> readers_;  // all reader connections; fixed after open
  std::vector<Connection*> idle_;                     // GUARDED_BY(readers_mu_)

  std::unique_ptr<Connection> checkpointer_;  // used only by checkpoint_thread_
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_stop_;
  bool stopping_ = false;  // GUARDED_BY(checkpoint_mu_)
  std::thread checkpoint_thread_;
};

}  // namespace lastmile::storage::sqlite

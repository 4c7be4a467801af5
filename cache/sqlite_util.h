// Small RAII helpers over the SQLite C API, private to cache/.
#ifndef WASMSTREAM_CACHE_SQLITE_UTIL_H_
#define WASMSTREAM_CACHE_SQLITE_UTIL_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace wasmstream::cache::internal {

// One prepared statement; finalized on destruction. Bind indexes start at 1.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // SQLITE_OK if prepared; otherwise the preparation error.
  int prepare_rc() const { return rc_; }
  bool ok() const { return rc_ == SQLITE_OK; }

  Stmt& Bind(int i, int64_t v) {
    if (ok()) rc_ = sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& Bind(int i, std::string_view v) {
    if (ok()) rc_ = sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // {v} must outlive the step (SQLITE_STATIC: no copy of big blobs).
  Stmt& BindBlob(int i, std::span<const uint8_t> v) {
    if (ok()) rc_ = sqlite3_bind_blob64(stmt_, i, v.empty() ? "" : static_cast<const void*>(v.data()),
                                        v.size(), SQLITE_STATIC);
    return *this;
  }

  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step() { return ok() ? sqlite3_step(stmt_) : rc_; }
  void Reset() { sqlite3_reset(stmt_); }

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) const {
    auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col)) : "";
  }
  std::span<const uint8_t> Blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return {static_cast<const uint8_t*>(p), p ? static_cast<size_t>(n) : 0};
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

// One incremental-I/O handle on a blob column of one row (read-only); closed on
// destruction, so every early return releases it.
class BlobReader {
 public:
  BlobReader(sqlite3* db, const char* table, const char* column, int64_t rowid) {
    rc_ = sqlite3_blob_open(db, "main", table, column, rowid, /*flags=*/0, &blob_);
  }
  ~BlobReader() { sqlite3_blob_close(blob_); }  // a no-op on null
  BlobReader(const BlobReader&) = delete;
  BlobReader& operator=(const BlobReader&) = delete;

  // SQLITE_OK if opened; otherwise the error.
  int open_rc() const { return rc_; }
  uint64_t size() const { return rc_ == SQLITE_OK ? static_cast<uint64_t>(sqlite3_blob_bytes(blob_)) : 0; }
  // Reads {out.size()} bytes at {offset}; SQLITE_OK or the error.
  int Read(std::span<uint8_t> out, uint64_t offset) const {
    if (rc_ != SQLITE_OK) return rc_;
    if (out.empty()) return SQLITE_OK;
    return sqlite3_blob_read(blob_, out.data(), static_cast<int>(out.size()), static_cast<int>(offset));
  }

 private:
  sqlite3_blob* blob_ = nullptr;
  int rc_;
};

// Runs SQL without results; returns the SQLite result code.
inline int Exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

// A cache that has hit one of these should stop trying (corrupt, not a
// database, read-only, full, I/O error); others (busy, locked) are transient.
inline bool IsFatal(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_SCHEMA:
    case SQLITE_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace wasmstream::cache::internal

#endif  // WASMSTREAM_CACHE_SQLITE_UTIL_H_

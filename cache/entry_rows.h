// Rows of the `entries` table are input like the blobs: another process, a
// damaged disk or a person with the sqlite3 shell may have written them.
// Private to cache/.
//
// Sizes are the numbers the store adds up (budget, stats, eviction), so they
// are bounded: SQLite cannot hold a blob longer than 2^31 - 1 bytes
// (SQLITE_MAX_LENGTH's ceiling), so a size outside [0, 2^31 - 1], or one that
// is not an integer, is damage. A damaged row is dropped (with its blobs) when
// a store opens and left out of every sum until then, so one bad row never
// stops the rest of the cache from working.
#ifndef WASMSTREAM_CACHE_ENTRY_ROWS_H_
#define WASMSTREAM_CACHE_ENTRY_ROWS_H_

#include <cstdint>
#include <string>

#include <sqlite3.h>

#include "cache/sqlite_util.h"

namespace wasmstream::cache::internal {

// An SQL condition on an `entries` row: its sizes are possible.
#define WASMSTREAM_SANE_SIZES                                                   \
  "(typeof(wire_size) = 'integer' AND typeof(payload_size) = 'integer' AND"   \
  " wire_size BETWEEN 0 AND 2147483647 AND payload_size BETWEEN 0 AND 2147483647)"

// Bytes the budget counts (payloads; the wire bytes are not stored) of every
// sane entry. TOTAL, not SUM: it cannot fail with an integer overflow,
// whatever the rows hold.
inline constexpr char kSaneTotalSql[] =
    "SELECT CAST(TOTAL(payload_size) AS INTEGER) FROM entries WHERE " WASMSTREAM_SANE_SIZES;
inline constexpr char kSaneCountAndTotalSql[] =
    "SELECT count(*), CAST(TOTAL(payload_size) AS INTEGER) FROM entries WHERE "
    WASMSTREAM_SANE_SIZES;
// Least recently used first, sane rows only (an absurd size would count as
// freeing the whole budget).
inline constexpr char kSaneLruSql[] =
    "SELECT id, payload_size FROM entries WHERE " WASMSTREAM_SANE_SIZES
    " AND id != ? ORDER BY use_seq";

// Deletes the rows with impossible sizes and their blobs, in one transaction;
// {*removed} gets their number. Returns an SQLite result code.
inline int DropDamagedRows(sqlite3* db, uint64_t* removed) {
  *removed = 0;
  int rc = Exec(db, "BEGIN IMMEDIATE");
  if (rc != SQLITE_OK) return rc;
  rc = Exec(db,
            "DELETE FROM blobs WHERE id IN (SELECT id FROM entries WHERE NOT "
            WASMSTREAM_SANE_SIZES ")");
  if (rc == SQLITE_OK) rc = Exec(db, "DELETE FROM entries WHERE NOT " WASMSTREAM_SANE_SIZES);
  if (rc == SQLITE_OK) *removed = static_cast<uint64_t>(sqlite3_changes(db));
  if (rc == SQLITE_OK) rc = Exec(db, "COMMIT");
  if (rc != SQLITE_OK) {
    Exec(db, "ROLLBACK");
    *removed = 0;
  }
  return rc;
}

#undef WASMSTREAM_SANE_SIZES

}  // namespace wasmstream::cache::internal

#endif  // WASMSTREAM_CACHE_ENTRY_ROWS_H_

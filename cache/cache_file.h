// Which files the code cache may open, create and delete.
//
// The cache is a private file holding code that will run: like ssh with a key
// file, it refuses a file (or directory) that another user could write, and
// it creates its file owner-only (0600, WAL/SHM inherit the mode from it) in
// directories it creates owner-only (0700). The path must name a regular file
// or nothing: a device, FIFO, socket or directory is refused before SQLite
// opens it (so nothing, not even a journal, is made beside it). A non-empty
// file is opened only if its SQLite header carries the cache's application
// id: SQLite could otherwise roll back another program's journal or delete
// its WAL on close.
//
// `wasmstream cache clear` deletes a file only when its SQLite header carries
// the cache's application id; anything else is left for the user to remove.
#ifndef WASMSTREAM_CACHE_CACHE_FILE_H_
#define WASMSTREAM_CACHE_CACHE_FILE_H_

#include <string>

namespace wasmstream::cache {

// PRAGMA application_id of a cache database: 'WSMC'.
inline constexpr int kApplicationId = 0x57534d43;

// Makes {path} ready for SQLite: creates missing directories (0700) and an
// absent file (0600), and checks that an existing file (empty or ours), its
// -wal/-shm and its directory are acceptable (above). On refusal returns false
// and sets {error} to a message that says what to do. Call it before this
// process opens an SQLite connection to {path}: it opens and closes the file,
// and a close drops every POSIX lock the process holds on it (SQLite's too).
bool PrepareCachePath(const std::string& path, std::string* error);

// True if {path} is a regular file whose SQLite header carries
// kApplicationId; otherwise false with the reason in {why}.
bool IsOwnCacheFile(const std::string& path, std::string* why);

// Deletes {path} and its -wal/-shm, only if IsOwnCacheFile(path) and the
// companions are regular files; otherwise deletes nothing, returns false and
// says why and how to remove the file by hand in {error}.
bool RemoveOwnCacheFile(const std::string& path, std::string* error);

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_CACHE_FILE_H_

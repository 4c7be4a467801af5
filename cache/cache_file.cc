#include "cache/cache_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

namespace wasmstream::cache {
namespace {

constexpr const char* kCompanions[] = {"-wal", "-shm"};

std::string Octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string Quoted(const std::string& path) {
  std::string q = "'";
  for (char c : path) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// An existing cache file or companion: regular, ours, not writable by others.
bool CheckFile(const std::string& path, const struct stat& st, std::string* error) {
  if (!S_ISREG(st.st_mode)) {
    *error = path + " is " + KindOf(st.st_mode) + ", not a cache file; the cache needs a regular "
             "file or a path that does not exist";
    return false;
  }
  if (st.st_uid != geteuid()) {
    *error = path + " is owned by uid " + std::to_string(st.st_uid) + ", not by this user (uid " +
             std::to_string(geteuid()) + "); refused, as code from it would run";
    return false;
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    *error = "permissions " + Octal(st.st_mode) + " for " + path +
             " are too open: others could change code that will run; refused (chmod go-w " +
             Quoted(path) + ")";
    return false;
  }
  return true;
}

// The directory holding the cache: not writable by others, unless sticky
// (/tmp), where nobody else can remove or replace a file we own and a file
// someone else put there fails CheckFile.
bool CheckDirectory(const std::string& dir, const struct stat& st, std::string* error) {
  if (!S_ISDIR(st.st_mode)) {
    *error = dir + " is not a directory";
    return false;
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
    *error = "permissions " + Octal(st.st_mode) + " for directory " + dir +
             " are too open: others could replace the cache file; refused (chmod go-w " +
             Quoted(dir) + ")";
    return false;
  }
  return true;
}

// mkdir -p with 0700 for every directory it creates.
bool MakeDirectories(const std::filesystem::path& dir, std::string* error) {
  struct stat st;
  if (dir.empty() || stat(dir.c_str(), &st) == 0) return true;
  if (errno != ENOENT) {
    *error = dir.string() + ": " + std::strerror(errno);
    return false;
  }
  if (dir.has_parent_path() && dir.parent_path() != dir &&
      !MakeDirectories(dir.parent_path(), error)) {
    return false;
  }
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    *error = "cannot create " + dir.string() + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool ReadHeader(const std::string& path, uint8_t (&header)[100], std::string* why) {
  struct stat before;
  if (stat(path.c_str(), &before) != 0) {
    *why = std::strerror(errno);
    return false;
  }
  if (!S_ISREG(before.st_mode)) {  // never open a device or FIFO, even to read
    *why = KindOf(before.st_mode);
    return false;
  }
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    *why = std::strerror(errno);
    return false;
  }
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (!ok) {
    *why = fstat(fd, &st) == 0 ? KindOf(st.st_mode) : std::strerror(errno);
  } else {
    ssize_t n = pread(fd, header, sizeof header, 0);
    ok = n == static_cast<ssize_t>(sizeof header);
    if (!ok) *why = "too short for an SQLite database";
  }
  close(fd);
  return ok;
}

}  // namespace

bool PrepareCachePath(const std::string& path, std::string* error) {
  std::filesystem::path p(path);
  std::filesystem::path dir = p.parent_path();
  if (!MakeDirectories(dir, error)) return false;
  struct stat st;
  std::string dir_name = dir.empty() ? "." : dir.string();
  if (stat(dir_name.c_str(), &st) != 0) {
    *error = dir_name + ": " + std::strerror(errno);
    return false;
  }
  if (!CheckDirectory(dir_name, st, error)) return false;

  if (stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      *error = path + ": " + std::strerror(errno);
      return false;
    }
    // Create it ourselves, owner-only: SQLite would use 0644, and its WAL and
    // SHM files take the database file's mode.
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) {
      close(fd);
    } else if (errno != EEXIST) {
      *error = "cannot create " + path + ": " + std::strerror(errno);
      return false;
    }
    if (stat(path.c_str(), &st) != 0) {
      *error = path + ": " + std::strerror(errno);
      return false;
    }
  }
  if (!CheckFile(path, st, error)) return false;
  // Not even opened by SQLite unless it is ours or empty: opening a foreign
  // database can roll back its journal or remove its WAL.
  std::string why;
  if (st.st_size > 0 && !IsOwnCacheFile(path, &why)) {
    *error = path + " is not a wasmstream cache database (" + why + "); left untouched";
    return false;
  }
  for (const char* suffix : kCompanions) {
    std::string companion = path + suffix;
    if (lstat(companion.c_str(), &st) == 0 && !CheckFile(companion, st, error)) return false;
  }
  return true;
}

bool IsOwnCacheFile(const std::string& path, std::string* why) {
  uint8_t header[100];
  if (!ReadHeader(path, header, why)) return false;
  if (std::memcmp(header, "SQLite format 3", 16) != 0) {
    *why = "no SQLite header";
    return false;
  }
  // The application id: a big-endian 32-bit integer at offset 68.
  uint32_t id = (uint32_t{header[68]} << 24) | (uint32_t{header[69]} << 16) |
                (uint32_t{header[70]} << 8) | uint32_t{header[71]};
  if (id != static_cast<uint32_t>(kApplicationId)) {
    *why = "an SQLite database of another program";
    return false;
  }
  return true;
}

bool RemoveOwnCacheFile(const std::string& path, std::string* error) {
  std::string why;
  if (!IsOwnCacheFile(path, &why)) {
    struct stat st;
    bool dir = stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    *error = path + " is not a wasmstream cache database (" + why +
             "); left untouched. If it is yours to delete, remove it by hand: " +
             (dir ? "rm -r -- " : "rm -- ") + Quoted(path);
    return false;
  }
  std::vector<std::string> doomed;
  for (const char* suffix : kCompanions) {
    std::string companion = path + suffix;
    struct stat st;
    if (lstat(companion.c_str(), &st) != 0) continue;
    if (!S_ISREG(st.st_mode)) {
      *error = companion + " is " + KindOf(st.st_mode) + ", not SQLite's; nothing deleted. "
               "Remove it by hand: rm -r -- " + Quoted(companion);
      return false;
    }
    doomed.push_back(companion);
  }
  doomed.push_back(path);  // the database last: its companions are useless without it
  for (const std::string& f : doomed) {
    if (unlink(f.c_str()) != 0 && errno != ENOENT) {
      *error = f + ": " + std::strerror(errno);
      return false;
    }
  }
  return true;
}

}  // namespace wasmstream::cache

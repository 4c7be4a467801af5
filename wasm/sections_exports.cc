// The export and start sections.
#include <algorithm>
#include <bit>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "wasm/limits.h"
#include "wasm/module_decoder.h"
#include "wasm/section_reader.h"

namespace wasmstream::wasm {

namespace {

// The index space size for an export kind, or false for an unknown kind.
bool SpaceSize(const Module& m, const Features& f, uint8_t kind, uint32_t* size) {
  switch (kind) {
    case 0: *size = static_cast<uint32_t>(m.functions.size()); return true;
    case 1: *size = static_cast<uint32_t>(m.tables.size()); return true;
    case 2: *size = static_cast<uint32_t>(m.memories.size()); return true;
    case 3: *size = static_cast<uint32_t>(m.globals.size()); return true;
    case 4:
      if (!f.has(Feature::kExceptions)) return false;
      *size = static_cast<uint32_t>(m.tags.size());
      return true;
    default: return false;
  }
}

const char* SpaceName(uint8_t kind) {
  switch (kind) {
    case 0: return "function";
    case 1: return "table";
    case 2: return "memory";
    case 3: return "global";
    default: return "tag";
  }
}

// The export names seen so far, as indices into the module's exports: open
// addressing in one flat table sized for the section's count. A set of copied
// strings cost an allocation or two per export, and modules export up to
// ~75,000 mangled C++ names.
class ExportNameSet {
 public:
  ExportNameSet(const std::vector<Export>& exports, uint32_t count)
      : exports_(exports),
        slots_(std::bit_ceil(std::max<size_t>(16, size_t{count} * 2)), kEmpty) {}

  // Adds exports_[index]'s name (at most {count} times); false if an earlier
  // export has the same name.
  bool Insert(uint32_t index) {
    std::string_view name = exports_[index].name;
    size_t mask = slots_.size() - 1;
    for (size_t i = std::hash<std::string_view>{}(name) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == kEmpty) {
        slots_[i] = index;
        return true;
      }
      if (exports_[slots_[i]].name == name) return false;
    }
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;

  const std::vector<Export>& exports_;
  std::vector<uint32_t> slots_;  // load factor <= 1/2
};

}  // namespace

void ModuleDecoder::DecodeExportSection(Decoder& d) {
  Module& m = *module_;
  uint32_t n = ConsumeCount(d, "exports", kSpecMaxExports);
  m.exports.reserve(n);
  ExportNameSet names(m.exports, n);
  for (uint32_t i = 0; i < n && d.ok(); ++i) {
    uint32_t name_at = d.offset();
    Export e;
    e.name = d.Name();
    uint32_t kind_at = d.offset();
    uint8_t kind = d.u8();
    if (!d.ok()) break;
    uint32_t size = 0;
    if (!SpaceSize(m, features_, kind, &size)) {
      d.Fail(kind_at, "malformed export kind");
      break;
    }
    uint32_t idx_at = d.offset();
    e.index = d.u32v();
    if (!d.ok()) break;
    if (e.index >= size) {
      d.Fail(idx_at, std::string("unknown ") + SpaceName(kind) + " " + std::to_string(e.index));
      break;
    }
    e.kind = static_cast<ExternalKind>(kind);
    m.exports.push_back(std::move(e));
    if (!names.Insert(static_cast<uint32_t>(m.exports.size() - 1))) {
      d.Fail(name_at, "duplicate export name \"" + m.exports.back().name + "\"");
      m.exports.pop_back();
      break;
    }
    const Export& added = m.exports.back();
    if (added.kind == ExternalKind::kFunction) m.functions[added.index].declared = true;
  }
}

void ModuleDecoder::DecodeStartSection(Decoder& d) {
  Module& m = *module_;
  uint32_t at = d.offset();
  uint32_t f = d.u32v();
  if (!d.ok()) return;
  if (f >= m.functions.size()) {
    d.Fail(at, "unknown function " + std::to_string(f));
    return;
  }
  const FuncType& t = m.func_type(f);
  if (!t.params.empty() || !t.results.empty()) {
    d.Fail(at, "start function must have type [] -> [], has " + ToString(t));
    return;
  }
  m.start = f;
}

}  // namespace wasmstream::wasm

// The export and start sections.
#include <string>
#include <unordered_set>

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

}  // namespace

void ModuleDecoder::DecodeExportSection(Decoder& d) {
  Module& m = *module_;
  uint32_t n = ConsumeCount(d, "exports", kSpecMaxExports);
  m.exports.reserve(n);
  std::unordered_set<std::string> names;
  names.reserve(n);
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
    if (!names.insert(e.name).second) {
      d.Fail(name_at, "duplicate export name \"" + e.name + "\"");
      break;
    }
    e.kind = static_cast<ExternalKind>(kind);
    if (e.kind == ExternalKind::kFunction) m.functions[e.index].declared = true;
    m.exports.push_back(std::move(e));
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

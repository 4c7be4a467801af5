#include "wasm/runtime/wast/script_runner.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/sink_factory.h"
#include "wasm/runtime/store.h"
#include "wasm/runtime/wast/spectest_host.h"

namespace wasmstream::wasm {
namespace {

using nlohmann::json;

// j[key], or null when absent (operator[] on a const json asserts).
const json& At(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

bool ReadFile(const std::string& path, std::vector<uint8_t>* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

// A value or the pattern an expected value may be.
struct Expected {
  Value value;
  enum class Nan { kNone, kCanonical, kArithmetic } nan = Nan::kNone;
  std::vector<Nan> lane_nans;  // v128 float lanes
  std::string lane_type;
  bool any_ref = false;  // "funcref"/"externref" with no value: any non-null
};

uint64_t ParseU64(const std::string& s) { return std::stoull(s, nullptr, 10); }

Expected::Nan NanOf(const std::string& s) {
  if (s == "nan:canonical") return Expected::Nan::kCanonical;
  if (s == "nan:arithmetic") return Expected::Nan::kArithmetic;
  return Expected::Nan::kNone;
}

bool ParseValue(const json& j, Expected* out, std::string* err) {
  std::string type = j.value("type", "");
  Expected e;
  if (type == "v128") {
    std::string lt = j.value("lane_type", "");
    e.lane_type = lt;
    V128 v;
    const json& lanes = At(j, "value");
    size_t width = lt == "i8" ? 1 : lt == "i16" ? 2 : (lt == "i32" || lt == "f32") ? 4 : 8;
    for (size_t i = 0; i < lanes.size() && i * width < 16; ++i) {
      std::string s = lanes[i].get<std::string>();
      Expected::Nan n = NanOf(s);
      e.lane_nans.push_back(n);
      uint64_t bits = n == Expected::Nan::kNone ? ParseU64(s) : 0;
      std::memcpy(v.bytes + i * width, &bits, width);
    }
    e.value = Value::Vec(v);
    *out = e;
    return true;
  }
  if (type == "funcref" || type == "externref" || type == "exnref") {
    ValueType t = type == "funcref" ? ValueType::FuncRef()
                  : type == "externref" ? ValueType::ExternRef()
                  : ValueType::Ref(HeapType::Abstract(AbstractHeap::kExn), true);
    if (!j.contains("value")) {
      e.any_ref = true;
      e.value = Value::Ref(t, kNullRef);
    } else {
      std::string s = At(j, "value").get<std::string>();
      if (s == "null") {
        e.value = Value::Ref(t, kNullRef);
      } else if (type == "externref") {
        e.value = Value::Extern(ParseU64(s));
      } else {
        *err = "cannot express a non-null " + type + " argument";
        return false;
      }
    }
    *out = e;
    return true;
  }
  std::string s = j.value("value", "");
  e.nan = NanOf(s);
  uint64_t bits = e.nan == Expected::Nan::kNone ? ParseU64(s) : 0;
  if (type == "i32") {
    e.value = Value::I32(static_cast<uint32_t>(bits));
  } else if (type == "i64") {
    e.value = Value::I64(bits);
  } else if (type == "f32") {
    e.value = Value::F32Bits(static_cast<uint32_t>(bits));
  } else if (type == "f64") {
    e.value = Value::F64Bits(bits);
  } else {
    *err = "unknown value type " + type;
    return false;
  }
  *out = e;
  return true;
}

bool NanMatches(Expected::Nan n, uint64_t bits, bool is32) {
  if (is32) {
    uint32_t b = static_cast<uint32_t>(bits);
    if ((b & 0x7F80'0000u) != 0x7F80'0000u || (b & 0x007F'FFFFu) == 0) return false;
    if (n == Expected::Nan::kCanonical) return (b & 0x7FFF'FFFFu) == 0x7FC0'0000u;
    return (b & 0x0040'0000u) != 0;
  }
  if ((bits & 0x7FF0'0000'0000'0000ull) != 0x7FF0'0000'0000'0000ull ||
      (bits & 0x000F'FFFF'FFFF'FFFFull) == 0) {
    return false;
  }
  if (n == Expected::Nan::kCanonical) return (bits & 0x7FFF'FFFF'FFFF'FFFFull) == 0x7FF8'0000'0000'0000ull;
  return (bits & 0x0008'0000'0000'0000ull) != 0;
}

bool Matches(const Expected& e, const Value& got) {
  const Value& want = e.value;
  if (want.type.kind != got.type.kind) return false;
  switch (want.type.kind) {
    case ValueKind::kI32:
      return want.u.i32 == got.u.i32;
    case ValueKind::kI64:
      return want.u.i64 == got.u.i64;
    case ValueKind::kF32:
      if (e.nan != Expected::Nan::kNone) return NanMatches(e.nan, got.u.f32_bits, true);
      return want.u.f32_bits == got.u.f32_bits;
    case ValueKind::kF64:
      if (e.nan != Expected::Nan::kNone) return NanMatches(e.nan, got.u.f64_bits, false);
      return want.u.f64_bits == got.u.f64_bits;
    case ValueKind::kV128: {
      bool f32 = e.lane_type == "f32", f64 = e.lane_type == "f64";
      if (!f32 && !f64) return want.u.v128 == got.u.v128;
      size_t w = f32 ? 4 : 8;
      for (size_t i = 0; i < 16 / w; ++i) {
        uint64_t a = 0, b = 0;
        std::memcpy(&a, want.u.v128.bytes + i * w, w);
        std::memcpy(&b, got.u.v128.bytes + i * w, w);
        Expected::Nan n = i < e.lane_nans.size() ? e.lane_nans[i] : Expected::Nan::kNone;
        if (n != Expected::Nan::kNone) {
          if (!NanMatches(n, b, f32)) return false;
        } else if (a != b) {
          return false;
        }
      }
      return true;
    }
    case ValueKind::kRef:
      if (e.any_ref) return !got.is_null();
      return want.u.ref == got.u.ref;
    default:
      return false;
  }
}

class Runner {
 public:
  Runner(std::string dir, const WastOptions& options) : dir_(std::move(dir)), options_(options) {
    AddSpectestHost(store_, imports_, !options.print);
  }

  void Run(const json& script, const std::string& file, WastResult* r) {
    result_ = r;
    file_ = file;
    for (const json& cmd : At(script, "commands")) {
      line_ = cmd.value("line", 0);
      try {
        Command(cmd);
      } catch (const json::exception& e) {  // a malformed script, not a crash
        Fail(std::string("malformed command: ") + e.what());
      }
    }
  }

 private:
  void Pass() { ++result_->passed; }
  void Fail(const std::string& what) {
    ++result_->failed;
    result_->failures.push_back(file_ + ":" + std::to_string(line_) + ": " + what);
  }

  // Compiles a .wasm file of the script.
  CompileResult Compile(const std::string& filename) {
    std::vector<uint8_t> bytes;
    if (!ReadFile(dir_ + "/" + filename, &bytes)) {
      return CompileError{0, "cannot read " + filename};
    }
    return CompileRunnable(bytes, options_.features);
  }

  Instance* Find(const json& cmd) {
    if (cmd.contains("module")) {
      auto it = named_.find(At(cmd, "module").get<std::string>());
      return it == named_.end() ? nullptr : it->second;
    }
    return current_;
  }

  Outcome<std::vector<Value>> DoAction(const json& action) {
    Instance* inst = Find(action);
    if (!inst) return Error::Type("no such module");
    std::string field = action.value("field", "");
    if (action.value("type", "") == "get") {
      auto e = inst->GetExport(field);
      if (!e || e->kind != ExternalKind::kGlobal) return Error::Type("no global " + field);
      return std::vector<Value>{e->global->Get()};
    }
    std::vector<Value> args;
    for (const json& a : At(action, "args")) {
      Expected e;
      std::string err;
      if (!ParseValue(a, &e, &err)) return Error::Type(err);
      args.push_back(e.value);
    }
    return inst->CallExport(field, args);
  }

  void Command(const json& cmd) {
    std::string type = cmd.value("type", "");
    if (type == "module") {
      auto m = Compile(cmd.value("filename", ""));
      if (!m.ok()) return Fail("module failed to compile: " + m.error().Format());
      auto inst = Instance::Instantiate(store_, m.value(), imports_);
      if (!inst.ok()) return Fail("module failed to instantiate: " + inst.error().Format());
      current_ = inst.value();
      if (cmd.contains("name")) named_[At(cmd, "name").get<std::string>()] = current_;
      return;
    }
    if (type == "register") {
      Instance* inst = Find(cmd.contains("name") ? json{{"module", At(cmd, "name")}} : json::object());
      if (!inst) return Fail("register: no such module");
      imports_.AddInstance(cmd.value("as", ""), *inst);
      return;
    }
    if (type == "action") {
      auto r = DoAction(At(cmd, "action"));
      if (!r.ok()) return Fail("action failed: " + r.error().Format());
      return Pass();
    }
    if (type == "assert_return") {
      auto r = DoAction(At(cmd, "action"));
      if (!r.ok()) return Fail("expected values, got " + r.error().Format());
      if (cmd.contains("either")) {  // wast2json's form of (either v1 v2 ...)
        std::string err;
        for (const json& o : At(cmd, "either")) {
          Expected e;
          if (!ParseValue(o, &e, &err)) return Fail(err);
          if (r.value().size() == 1 && Matches(e, r.value()[0])) return Pass();
        }
        return Fail("result matches none of " + At(cmd, "either").dump());
      }
      const json& expected = At(cmd, "expected");
      if (expected.size() != r.value().size()) return Fail("wrong number of results");
      for (size_t i = 0; i < expected.size(); ++i) {
        const json& ej = expected[i];
        std::vector<json> options;
        if (ej.value("type", "") == "either") {
          for (const json& o : At(ej, "values")) options.push_back(o);
        } else {
          options.push_back(ej);
        }
        bool ok = false;
        std::string err;
        for (const json& o : options) {
          Expected e;
          if (!ParseValue(o, &e, &err)) return Fail(err);
          if (Matches(e, r.value()[i])) ok = true;
        }
        if (!ok) {
          return Fail("result " + std::to_string(i) + ": got " + ToString(r.value()[i]) +
                      ", expected " + ej.dump());
        }
      }
      return Pass();
    }
    if (type == "assert_trap" || type == "assert_exhaustion" || type == "assert_exception") {
      auto r = DoAction(At(cmd, "action"));
      if (r.ok()) return Fail(type + ": returned normally");
      ErrorKind want = type == "assert_trap"        ? ErrorKind::kRuntimeError
                       : type == "assert_exhaustion" ? ErrorKind::kRangeError
                                                     : ErrorKind::kException;
      if (r.error().kind != want) return Fail(type + ": got " + r.error().Format());
      return Pass();
    }
    if (type == "assert_invalid" || type == "assert_malformed") {
      if (cmd.value("module_type", "binary") != "binary") {
        ++result_->skipped;
        return;
      }
      auto m = Compile(cmd.value("filename", ""));
      if (m.ok()) return Fail(type + ": module compiled (expected \"" + cmd.value("text", "") + "\")");
      return Pass();
    }
    if (type == "assert_unlinkable" || type == "assert_uninstantiable") {
      auto m = Compile(cmd.value("filename", ""));
      if (!m.ok()) return Fail(type + ": module failed to compile: " + m.error().Format());
      auto inst = Instance::Instantiate(store_, m.value(), imports_);
      if (inst.ok()) return Fail(type + ": module instantiated");
      bool link = inst.error().kind == ErrorKind::kLinkError || inst.error().kind == ErrorKind::kTypeError;
      if ((type == "assert_unlinkable") != link) return Fail(type + ": got " + inst.error().Format());
      return Pass();
    }
    ++result_->skipped;
  }

  std::string dir_;
  WastOptions options_;
  Store store_;
  Imports imports_;
  std::map<std::string, Instance*> named_;
  Instance* current_ = nullptr;
  WastResult* result_ = nullptr;
  std::string file_;
  int line_ = 0;
};

}  // namespace

WastResult RunWastJson(const std::string& json_path, const WastOptions& options) {
  WastResult r;
  std::ifstream f(json_path);
  if (!f) {
    r.error = "cannot read " + json_path;
    return r;
  }
  json script = json::parse(f, nullptr, /*allow_exceptions=*/false);
  if (script.is_discarded() || !script.contains("commands")) {
    r.error = json_path + ": not a wast2json script";
    return r;
  }
  size_t slash = json_path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : json_path.substr(0, slash);
  std::string file = slash == std::string::npos ? json_path : json_path.substr(slash + 1);
  Runner runner(dir, options);
  runner.Run(script, file, &r);
  return r;
}

}  // namespace wasmstream::wasm

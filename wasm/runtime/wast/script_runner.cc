#include "wasm/runtime/wast/script_runner.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "wasm/runtime/code_verifier.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/ref_class.h"
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
  // References: a null of any type, host value n, or (no "value") any
  // non-null reference of the given classes (empty: any class).
  enum class Ref { kExact, kNull, kHost, kNonNull } ref = Ref::kExact;
  uint64_t host = 0;
  std::vector<RefClass> classes;
};

uint64_t ParseU64(const std::string& s) {
  size_t end = 0;
  uint64_t v = std::stoull(s, &end, 10);  // throws std::logic_error on junk
  if (end != s.size()) throw std::invalid_argument("not a number: " + s);
  return v;
}

Expected::Nan NanOf(const std::string& s) {
  if (s == "nan:canonical") return Expected::Nan::kCanonical;
  if (s == "nan:arithmetic") return Expected::Nan::kArithmetic;
  return Expected::Nan::kNone;
}

// The reference value types of wast2json and of tools/wast2json-wasmtools.mjs
// (wasm-tools' json-from-wast names): the heap type of an argument, and the
// classes a non-null result of that type must have (empty: any).
struct RefTypeName {
  const char* name;
  AbstractHeap heap;
  std::vector<RefClass> classes;
};
const std::vector<RefTypeName>& RefTypeNames() {
  static const std::vector<RefTypeName> names = {
      {"funcref", AbstractHeap::kFunc, {RefClass::kFunc}},
      {"externref", AbstractHeap::kExtern, {}},
      {"anyref", AbstractHeap::kAny, {}},
      {"eqref", AbstractHeap::kEq, {RefClass::kI31, RefClass::kStruct, RefClass::kArray}},
      {"structref", AbstractHeap::kStruct, {RefClass::kStruct}},
      {"arrayref", AbstractHeap::kArray, {RefClass::kArray}},
      {"i31ref", AbstractHeap::kI31, {RefClass::kI31}},
      {"exnref", AbstractHeap::kExn, {RefClass::kExn}},
      {"nullref", AbstractHeap::kNone, {}},
      {"nullfuncref", AbstractHeap::kNoFunc, {}},
      {"nullexternref", AbstractHeap::kNoExtern, {}},
      {"nullexnref", AbstractHeap::kNoExn, {}},
      {"refnull", AbstractHeap::kNone, {}},  // (ref.null) in a result: any null
  };
  return names;
}

bool ParseRef(const RefTypeName& r, const json& j, Expected* e, std::string* err) {
  ValueType t = ValueType::Ref(HeapType::Abstract(r.heap), true);
  e->value = Value::Ref(t, kNullRef);
  const json& v = At(j, "value");
  if (v.is_null()) {  // (ref.struct), (ref.func), …: results only
    // The bottom types (none, nofunc, noextern, noexn) have no non-null value.
    bool bottom = r.heap == AbstractHeap::kNone || r.heap == AbstractHeap::kNoFunc ||
                  r.heap == AbstractHeap::kNoExtern || r.heap == AbstractHeap::kNoExn;
    if (bottom) {
      *err = std::string("a ") + r.name + " result needs a value";
      return false;
    }
    e->ref = Expected::Ref::kNonNull;
    e->classes = r.classes;
    return true;
  }
  if (!v.is_string()) {
    *err = std::string("bad ") + r.name + " value " + v.dump();
    return false;
  }
  std::string s = v.get<std::string>();
  if (s == "null") {
    e->ref = Expected::Ref::kNull;
    return true;
  }
  if (r.heap != AbstractHeap::kExtern && r.heap != AbstractHeap::kAny) {
    *err = "cannot express a non-null " + std::string(r.name) + " value " + s;
    return false;
  }
  // ref.extern n is an externref; ref.host n the same host value as an anyref.
  e->ref = Expected::Ref::kHost;
  e->host = ParseU64(s);
  e->value = Value::Ref(t, Value::Extern(e->host).u.ref);
  return true;
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
  for (const RefTypeName& r : RefTypeNames()) {
    if (type != r.name) continue;
    if (!ParseRef(r, j, &e, err)) return false;
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

// An argument: a value, never a pattern.
bool ParseArg(const json& j, Value* out, std::string* err) {
  Expected e;
  if (!ParseValue(j, &e, err)) return false;
  if (e.nan != Expected::Nan::kNone || e.ref == Expected::Ref::kNonNull ||
      std::any_of(e.lane_nans.begin(), e.lane_nans.end(),
                  [](Expected::Nan n) { return n != Expected::Nan::kNone; })) {
    *err = "a pattern is not an argument: " + j.dump();
    return false;
  }
  *out = e.value;
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
      switch (e.ref) {
        case Expected::Ref::kNull:
          return got.is_null();
        case Expected::Ref::kHost:
          return HostValueOf(got.u.ref) == e.host;
        case Expected::Ref::kNonNull:
          if (got.is_null()) return false;
          return e.classes.empty() || std::find(e.classes.begin(), e.classes.end(),
                                                ClassifyRef(got.u.ref)) != e.classes.end();
        case Expected::Ref::kExact:
          return want.u.ref == got.u.ref;
      }
      return false;
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
      } catch (const std::logic_error& e) {  // a bad number (std::stoull)
        Fail(std::string("malformed value: ") + e.what());
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
    if (options_.lazy) {
      StreamingOptions validate_only;
      validate_only.features = options_.features;
      return CompileModule(bytes, validate_only);
    }
    CompileResult r = CompileRunnable(bytes, options_.features);
    if (r.ok() && options_.verify_code) {
      for (const auto& code : r.value()->code) {
        if (!code) continue;
        Status s = VerifyFunctionCode(*r.value(), *code);
        if (!s.ok()) return CompileError{0, "fresh code fails verification: " + s.error().message};
      }
    }
    return r;
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
      Value v;
      std::string err;
      if (!ParseArg(a, &v, &err)) return Error::Type(err);
      args.push_back(v);
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
    // (module definition $M ...) compiles without instantiating;
    // (module instance $I $M) instantiates such a definition.
    if (type == "module_definition") {
      auto m = Compile(cmd.value("filename", ""));
      if (!m.ok()) return Fail("module definition failed to compile: " + m.error().Format());
      if (cmd.contains("name")) definitions_[At(cmd, "name").get<std::string>()] = m.value();
      return;
    }
    if (type == "module_instance") {
      auto d = definitions_.find(cmd.value("module", ""));
      if (d == definitions_.end()) return Fail("module instance: no such module definition");
      auto inst = Instance::Instantiate(store_, d->second, imports_);
      if (!inst.ok()) return Fail("module instance failed to instantiate: " + inst.error().Format());
      current_ = inst.value();
      if (cmd.contains("instance")) named_[At(cmd, "instance").get<std::string>()] = current_;
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
  std::map<std::string, std::shared_ptr<const Module>> definitions_;
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

// Sanitizer settings for test programs that run JavaScriptCore (a library
// built without sanitizers):
// - UBSan: ubsan_suppressions.txt (see there why); tests run in their
//   runfiles' workspace directory, where the file is a data dependency.
// - LSan: lsan_suppressions.txt's rule (see there why), given inline.
extern "C" const char* __ubsan_default_options() {
  return "suppressions=bindings/js/ubsan_suppressions.txt";
}

extern "C" const char* __lsan_default_suppressions() {
  return "leak:libjavascriptcoregtk-4.1.so\n";
}

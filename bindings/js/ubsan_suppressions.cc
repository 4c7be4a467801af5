// Points UndefinedBehaviorSanitizer at ubsan_suppressions.txt (see there
// why) in test programs that run JavaScriptCore. Tests run in their
// runfiles' workspace directory, where the file is a data dependency.
extern "C" const char* __ubsan_default_options() {
  return "suppressions=bindings/js/ubsan_suppressions.txt";
}

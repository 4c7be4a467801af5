/* Helpers shared by the C API tests (C11): checks that fail the program
 * with the API's own explanation, and module loading from a file. */
#ifndef WASMSTREAM_TESTS_C_C_TEST_H_
#define WASMSTREAM_TESTS_C_C_TEST_H_

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm.h"
#include "wasmstream.h"

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "%s:%d: check failed: %s\n  last error: %s\n", __FILE__, \
              __LINE__, #cond, wasmstream_error_message());                      \
      exit(1);                                                                   \
    }                                                                            \
  } while (0)

/* The bytes of {path}; exits when it cannot be read. */
static inline wasm_byte_vec_t read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_t bytes;
  wasm_byte_vec_new_uninitialized(&bytes, (size_t)n);
  if (n > 0 && fread(bytes.data, (size_t)n, 1, f) != 1) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(1);
  }
  fclose(f);
  return bytes;
}

/* Compiles the module in {path}; exits on failure. */
static inline wasm_module_t* load_module(wasm_store_t* store, const char* path) {
  wasm_byte_vec_t bytes = read_file(path);
  wasm_module_t* module = wasm_module_new(store, &bytes);
  wasm_byte_vec_delete(&bytes);
  CHECK(module != NULL);
  return module;
}

/* Prints a trap's kind and message, then deletes it. */
static inline void print_trap(const char* what, wasm_trap_t* trap) {
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  printf("%s: %s: %s\n", what, wasmstream_trap_kind(trap), message.data);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
}

#endif /* WASMSTREAM_TESTS_C_C_TEST_H_ */

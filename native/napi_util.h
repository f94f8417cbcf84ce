// N-API helpers shared by the native sources: throwing an error and reading a Uint8Array argument.
#pragma once

#include <node_api.h>

#include <cstdint>

inline napi_value Throw(napi_env env, const char* msg) {
  napi_throw_error(env, "ZKML_NATIVE", msg);
  return nullptr;
}

inline bool getBytes(napi_env env, napi_value v, uint8_t** data, size_t* len) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  if (!is) return false;
  napi_typedarray_type type;
  void* ptr;
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, v, &type, len, &ptr, &ab, &off) != napi_ok || type != napi_uint8_array) return false;
  *data = static_cast<uint8_t*>(ptr);
  return true;
}

// Reads up to 4 arguments into argv; the first n must be Uint8Arrays (data[i], len[i]). Returns the argument
// count, or 0 when there are fewer than n or one of the first n is not a Uint8Array.
inline size_t bytesArgs(napi_env env, napi_callback_info info, size_t n, uint8_t** data, size_t* len, napi_value* argv) {
  size_t argc = 4;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < n) return 0;
  for (size_t i = 0; i < n; i++)
    if (!getBytes(env, argv[i], &data[i], &len[i])) return 0;
  return argc;
}

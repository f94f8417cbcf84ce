// BLAKE2b-512 with a state that can be saved part way and resumed, for the hashes of a ptau transcript.
//
// Why this exists: a ptau contribution record stores its response hash as a "partial hash", the BLAKE2b state
// after the challenge and the compressed points and before the contributor's public key, so that a verifier can
// finish it (snarkjs: misc.fromPartialHash). Hashing hundreds of megabytes of points in JavaScript runs at about
// 47 MB/s here; this runs at memory speed and exposes the state in the 216-byte layout snarkjs reads:
//   bytes 0..127   the pending block (the last block is only compressed when more data arrives, or at the end)
//   u32 [0..15]    h[0..7] as (low, high) 32-bit halves        (bytes 128..191)
//   u32 [16..17]   bytes compressed so far (length - pos), low and high
//   u32 [18..19]   pos, bytes pending in the block
//   8 bytes        unused
// Only the unkeyed 64-byte digest is provided (parameter block 0x01010040).

#include <node_api.h>

#include "napi_util.h"

#include <cstdint>
#include <cstring>

namespace {

const uint64_t IV[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
                        0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
const uint8_t SIGMA[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3}};

inline uint64_t rotr(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

struct State {
  uint64_t h[8];
  uint8_t buf[128];
  uint64_t pos;
  uint64_t length;  // bytes taken in, pending ones included
};

void compress(State& s, const uint8_t* block, bool last) {
  uint64_t m[16], v[16];
  std::memcpy(m, block, 128);  // little-endian hosts only
  for (int i = 0; i < 8; i++) v[i] = s.h[i], v[i + 8] = IV[i];
  v[12] ^= s.length;  // counter: bytes up to the end of this block (< 2^64 here)
  if (last) v[14] = ~v[14];
  for (int r = 0; r < 12; r++) {
    const uint8_t* z = SIGMA[r];
#define G(a, b, c, d, x, y)        \
  v[a] = v[a] + v[b] + x;          \
  v[d] = rotr(v[d] ^ v[a], 32);    \
  v[c] = v[c] + v[d];              \
  v[b] = rotr(v[b] ^ v[c], 24);    \
  v[a] = v[a] + v[b] + y;          \
  v[d] = rotr(v[d] ^ v[a], 16);    \
  v[c] = v[c] + v[d];              \
  v[b] = rotr(v[b] ^ v[c], 63);
    G(0, 4, 8, 12, m[z[0]], m[z[1]]);
    G(1, 5, 9, 13, m[z[2]], m[z[3]]);
    G(2, 6, 10, 14, m[z[4]], m[z[5]]);
    G(3, 7, 11, 15, m[z[6]], m[z[7]]);
    G(0, 5, 10, 15, m[z[8]], m[z[9]]);
    G(1, 6, 11, 12, m[z[10]], m[z[11]]);
    G(2, 7, 8, 13, m[z[12]], m[z[13]]);
    G(3, 4, 9, 14, m[z[14]], m[z[15]]);
#undef G
  }
  for (int i = 0; i < 8; i++) s.h[i] ^= v[i] ^ v[i + 8];
}

void load(State& s, const uint8_t* b) {
  std::memcpy(s.buf, b, 128);
  const uint8_t* w = b + 128;
  for (int i = 0; i < 8; i++) {
    uint32_t lo, hi;
    std::memcpy(&lo, w + 8 * i, 4);
    std::memcpy(&hi, w + 8 * i + 4, 4);
    s.h[i] = ((uint64_t)hi << 32) | lo;
  }
  uint32_t q[4];
  std::memcpy(q, w + 64, 16);
  uint64_t compressed = ((uint64_t)q[1] << 32) | q[0];
  s.pos = ((uint64_t)q[3] << 32) | q[2];
  s.length = compressed + s.pos;
}

void save(const State& s, uint8_t* b) {
  std::memset(b, 0, 216);
  std::memcpy(b, s.buf, 128);
  uint8_t* w = b + 128;
  for (int i = 0; i < 8; i++) {
    uint32_t lo = (uint32_t)s.h[i], hi = (uint32_t)(s.h[i] >> 32);
    std::memcpy(w + 8 * i, &lo, 4);
    std::memcpy(w + 8 * i + 4, &hi, 4);
  }
  uint64_t compressed = s.length - s.pos;
  uint32_t q[4] = {(uint32_t)compressed, (uint32_t)(compressed >> 32), (uint32_t)s.pos, (uint32_t)(s.pos >> 32)};
  std::memcpy(w + 64, q, 16);
}

void update(State& s, const uint8_t* data, size_t len) {
  size_t i = 0;
  while (i < len) {
    if (s.pos == 128) {
      compress(s, s.buf, false);
      s.pos = 0;
    }
    size_t take = 128 - s.pos;
    if (take > len - i) take = len - i;
    std::memcpy(s.buf + s.pos, data + i, take);
    s.pos += take;
    s.length += take;
    i += take;
  }
}


napi_value newBuffer(napi_env env, size_t n, uint8_t** data) {
  napi_value out;
  void* p;
  napi_create_buffer(env, n, &p, &out);
  *data = static_cast<uint8_t*>(p);
  return out;
}

}  // namespace

// blake2bInit(): a fresh 216-byte state.
napi_value Blake2bInit(napi_env env, napi_callback_info) {
  State s;
  for (int i = 0; i < 8; i++) s.h[i] = IV[i];
  s.h[0] ^= 0x01010040ULL;  // digest 64 bytes, no key, fanout 1, depth 1
  std::memset(s.buf, 0, 128);
  s.pos = 0;
  s.length = 0;
  uint8_t* b;
  napi_value out = newBuffer(env, 216, &b);
  save(s, b);
  return out;
}

// blake2bUpdate(state, data): absorbs data, rewriting state in place.
napi_value Blake2bUpdate(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  uint8_t* b[2];
  size_t len[2];
  if (!bytesArgs(env, info, 2, b, len, argv) || len[0] != 216) return Throw(env, "expected (state: 216-byte Uint8Array, data: Uint8Array)");
  State s;
  load(s, b[0]);
  update(s, b[1], len[1]);
  save(s, b[0]);
  return nullptr;
}

// blake2bDigest(state): the 64-byte digest; the state is left as it was.
napi_value Blake2bDigest(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  uint8_t* st;
  size_t stLen;
  if (!bytesArgs(env, info, 1, &st, &stLen, argv) || stLen != 216) return Throw(env, "expected (state: 216-byte Uint8Array)");
  State s;
  load(s, st);
  std::memset(s.buf + s.pos, 0, 128 - s.pos);
  compress(s, s.buf, true);
  uint8_t* out;
  napi_value res = newBuffer(env, 64, &out);
  std::memcpy(out, s.h, 64);  // little-endian hosts only
  return res;
}

// Fixed-base scalar multiplication on BN254 (alt_bn128; circom and snarkjs call it bn128), G1 and G2.
//
// Why this exists: a development powers-of-tau made from a known secret is, point for point, k_i * G for
// scalars k_i that are cheap to compute in the field (tau^i, Lagrange basis values L_i(tau), ...). snarkjs's
// command line gets the same points by FFTs over group elements, which takes minutes to hours on two cores.
// With one base known in advance, a comb table of 16-bit windows turns every multiplication into 16 mixed
// additions, and Montgomery's batch inversion turns the results to affine for one inversion a batch.
//
// Input scalars: n x 32 bytes, little-endian, canonical (< r). Output points: affine, every coordinate
// little-endian in Montgomery form (the "LEM" layout of iden3's ptau and zkey files); infinity is all zeros.
// Fq2 elements are written c0 then c1 (u^2 = -1), as ffjavascript does.

#include <node_api.h>

#include "napi_util.h"

#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

typedef unsigned __int128 u128;

// blake2b.cc
napi_value Blake2bInit(napi_env env, napi_callback_info info);
napi_value Blake2bUpdate(napi_env env, napi_callback_info info);
napi_value Blake2bDigest(napi_env env, napi_callback_info info);

namespace {

// ---------- Fq, 4 x 64-bit limbs, Montgomery form ----------
struct Fq {
  uint64_t v[4];
};

const uint64_t P[4] = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL};
const uint64_t R2[4] = {0xf32cfc5b538afa89ULL, 0xb5e71911d44501fbULL, 0x47ab1eff0a417ff6ULL, 0x06d89f71cab8351fULL};
const uint64_t ONE_M[4] = {0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL, 0x0e0a77c19a07df2fULL};
const uint64_t INV = 0x87d20782e4866389ULL;  // -P^-1 mod 2^64

inline bool geqP(const uint64_t* a) {
  for (int i = 3; i >= 0; i--) {
    if (a[i] > P[i]) return true;
    if (a[i] < P[i]) return false;
  }
  return true;
}

inline void subP(uint64_t* a) {
  u128 borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 d = (u128)a[i] - P[i] - borrow;
    a[i] = (uint64_t)d;
    borrow = (d >> 64) ? 1 : 0;
  }
}

inline Fq fadd(const Fq& a, const Fq& b) {
  Fq r;
  u128 c = 0;
  for (int i = 0; i < 4; i++) {
    c += (u128)a.v[i] + b.v[i];
    r.v[i] = (uint64_t)c;
    c >>= 64;
  }
  if (c || geqP(r.v)) subP(r.v);
  return r;
}

inline Fq fsub(const Fq& a, const Fq& b) {
  Fq r;
  u128 borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 d = (u128)a.v[i] - b.v[i] - borrow;
    r.v[i] = (uint64_t)d;
    borrow = (d >> 64) ? 1 : 0;
  }
  if (borrow) {  // add P back
    u128 c = 0;
    for (int i = 0; i < 4; i++) {
      c += (u128)r.v[i] + P[i];
      r.v[i] = (uint64_t)c;
      c >>= 64;
    }
  }
  return r;
}

inline Fq fmul(const Fq& a, const Fq& b) {
  uint64_t t[6] = {0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; i++) {
    u128 c = 0;
    for (int j = 0; j < 4; j++) {
      c += (u128)a.v[j] * b.v[i] + t[j];
      t[j] = (uint64_t)c;
      c >>= 64;
    }
    c += t[4];
    t[4] = (uint64_t)c;
    t[5] = (uint64_t)(c >> 64);
    uint64_t m = t[0] * INV;
    c = (u128)m * P[0] + t[0];
    c >>= 64;
    for (int j = 1; j < 4; j++) {
      c += (u128)m * P[j] + t[j];
      t[j - 1] = (uint64_t)c;
      c >>= 64;
    }
    c += t[4];
    t[3] = (uint64_t)c;
    t[4] = t[5] + (uint64_t)(c >> 64);
  }
  Fq r;
  std::memcpy(r.v, t, 32);
  if (t[4] || geqP(r.v)) subP(r.v);
  return r;
}

inline bool fzero(const Fq& a) { return (a.v[0] | a.v[1] | a.v[2] | a.v[3]) == 0; }
inline bool feq(const Fq& a, const Fq& b) { return std::memcmp(a.v, b.v, 32) == 0; }

Fq fone() {
  Fq r;
  std::memcpy(r.v, ONE_M, 32);
  return r;
}

Fq fromCanonical(const uint64_t* limbs) {
  Fq a, r2;
  std::memcpy(a.v, limbs, 32);
  std::memcpy(r2.v, R2, 32);
  return fmul(a, r2);
}

Fq finv(const Fq& a) {  // a^(p-2)
  uint64_t e[4];
  std::memcpy(e, P, 32);
  e[0] -= 2;  // P[0] > 2, no borrow
  Fq result = fone();
  for (int i = 3; i >= 0; i--) {
    for (int b = 63; b >= 0; b--) {
      result = fmul(result, result);
      if ((e[i] >> b) & 1) result = fmul(result, a);
    }
  }
  return result;
}

// ---------- Fq2 = Fq[u] / (u^2 + 1) ----------
struct Fq2 {
  Fq c0, c1;
};

inline Fq2 fadd(const Fq2& a, const Fq2& b) { return {fadd(a.c0, b.c0), fadd(a.c1, b.c1)}; }
inline Fq2 fsub(const Fq2& a, const Fq2& b) { return {fsub(a.c0, b.c0), fsub(a.c1, b.c1)}; }
inline Fq2 fmul(const Fq2& a, const Fq2& b) {
  Fq t0 = fmul(a.c0, b.c0), t1 = fmul(a.c1, b.c1);
  Fq s = fmul(fadd(a.c0, a.c1), fadd(b.c0, b.c1));
  return {fsub(t0, t1), fsub(fsub(s, t0), t1)};
}
inline bool fzero(const Fq2& a) { return fzero(a.c0) && fzero(a.c1); }
inline bool feq(const Fq2& a, const Fq2& b) { return feq(a.c0, b.c0) && feq(a.c1, b.c1); }
Fq2 finv(const Fq2& a) {  // 1/(c0 + c1 u) = (c0 - c1 u) / (c0^2 + c1^2)
  Fq n = finv(fadd(fmul(a.c0, a.c0), fmul(a.c1, a.c1)));
  Fq zero = {{0, 0, 0, 0}};
  return {fmul(a.c0, n), fmul(fsub(zero, a.c1), n)};
}

template <typename F>
F fzeroOf();
template <>
Fq fzeroOf<Fq>() { return Fq{{0, 0, 0, 0}}; }
template <>
Fq2 fzeroOf<Fq2>() { return Fq2{fzeroOf<Fq>(), fzeroOf<Fq>()}; }
template <typename F>
F foneOf();
template <>
Fq foneOf<Fq>() { return fone(); }
template <>
Fq2 foneOf<Fq2>() { return Fq2{fone(), fzeroOf<Fq>()}; }

// ---------- points on y^2 = x^3 + b (a = 0), Jacobian coordinates ----------
template <typename F>
struct Aff {
  F x, y;
  bool inf;
};
template <typename F>
struct Jac {
  F x, y, z;  // z == 0 means infinity
};

template <typename F>
Jac<F> jdbl(const Jac<F>& p) {  // dbl-2009-l
  if (fzero(p.z)) return p;
  F a = fmul(p.x, p.x), b = fmul(p.y, p.y), c = fmul(b, b);
  F xb = fadd(p.x, b);
  F d = fsub(fsub(fmul(xb, xb), a), c);
  d = fadd(d, d);
  F e = fadd(fadd(a, a), a);
  F f = fmul(e, e);
  Jac<F> r;
  r.x = fsub(f, fadd(d, d));
  F c8 = fadd(c, c);
  c8 = fadd(c8, c8);
  c8 = fadd(c8, c8);
  r.y = fsub(fmul(e, fsub(d, r.x)), c8);
  F yz = fmul(p.y, p.z);
  r.z = fadd(yz, yz);
  return r;
}

template <typename F>
Jac<F> jmadd(const Jac<F>& p, const Aff<F>& q) {  // madd-2007-bl
  if (q.inf) return p;
  if (fzero(p.z)) return Jac<F>{q.x, q.y, foneOf<F>()};
  F z1z1 = fmul(p.z, p.z);
  F u2 = fmul(q.x, z1z1);
  F s2 = fmul(fmul(q.y, p.z), z1z1);
  F h = fsub(u2, p.x);
  F rr = fsub(s2, p.y);
  if (fzero(h)) {
    if (fzero(rr)) return jdbl(Jac<F>{q.x, q.y, foneOf<F>()});
    return Jac<F>{foneOf<F>(), foneOf<F>(), fzeroOf<F>()};
  }
  rr = fadd(rr, rr);
  F hh = fmul(h, h);
  F i = fadd(hh, hh);
  i = fadd(i, i);
  F j = fmul(h, i);
  F v = fmul(p.x, i);
  Jac<F> r;
  r.x = fsub(fsub(fmul(rr, rr), j), fadd(v, v));
  F yj = fmul(p.y, j);
  r.y = fsub(fmul(rr, fsub(v, r.x)), fadd(yj, yj));
  F zh = fadd(p.z, h);
  r.z = fsub(fsub(fmul(zh, zh), z1z1), hh);
  return r;
}

// Jacobian to affine for a whole range, with one inversion (Montgomery's trick).
template <typename F>
void batchToAffine(const Jac<F>* in, Aff<F>* out, size_t n) {
  std::vector<F> prefix(n);
  F acc = foneOf<F>();
  for (size_t i = 0; i < n; i++) {
    prefix[i] = acc;
    if (!fzero(in[i].z)) acc = fmul(acc, in[i].z);
  }
  F inv = finv(acc);
  for (size_t k = n; k-- > 0;) {
    if (fzero(in[k].z)) {
      out[k].inf = true;
      out[k].x = fzeroOf<F>();
      out[k].y = fzeroOf<F>();
      continue;
    }
    F zinv = fmul(inv, prefix[k]);
    inv = fmul(inv, in[k].z);
    F zinv2 = fmul(zinv, zinv);
    out[k].inf = false;
    out[k].x = fmul(in[k].x, zinv2);
    out[k].y = fmul(in[k].y, fmul(zinv2, zinv));
  }
}

const int WINDOW = 16;
const int NWIN = 256 / WINDOW;
const size_t TSIZE = (size_t)1 << WINDOW;

// table[j * TSIZE + d] = d * 2^(WINDOW j) * G
template <typename F>
std::vector<Aff<F>> buildTable(const Aff<F>& g) {
  std::vector<Aff<F>> table(NWIN * TSIZE);
  std::vector<Jac<F>> row(TSIZE);
  Aff<F> base = g;
  for (int j = 0; j < NWIN; j++) {
    row[0] = Jac<F>{foneOf<F>(), foneOf<F>(), fzeroOf<F>()};
    for (size_t d = 1; d < TSIZE; d++) row[d] = jmadd(row[d - 1], base);
    batchToAffine(row.data(), table.data() + j * TSIZE, TSIZE);
    Jac<F> next = jmadd(row[TSIZE - 1], base);  // 2^WINDOW * base
    Aff<F> na;
    batchToAffine(&next, &na, 1);
    base = na;
  }
  return table;
}

template <typename F>
void mulRange(const std::vector<Aff<F>>& table, const uint8_t* scalars, Jac<F>* out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const uint8_t* s = scalars + 32 * i;
    Jac<F> acc{foneOf<F>(), foneOf<F>(), fzeroOf<F>()};
    for (int j = 0; j < NWIN; j++) {
      unsigned d = (unsigned)s[2 * j] | ((unsigned)s[2 * j + 1] << 8);
      if (d) acc = jmadd(acc, table[j * TSIZE + d]);
    }
    out[i] = acc;
  }
}

void writeFq(uint8_t* dst, const Fq& a) { std::memcpy(dst, a.v, 32); }  // little-endian hosts only
void writeF(uint8_t* dst, const Fq& a) { writeFq(dst, a); }
void writeF(uint8_t* dst, const Fq2& a) {
  writeFq(dst, a.c0);
  writeFq(dst + 32, a.c1);
}

template <typename F>
void multiply(const std::vector<Aff<F>>& table, const uint8_t* scalars, uint8_t* out, size_t n, int threads) {
  const size_t fsize = sizeof(F) / sizeof(Fq) * 32;
  std::vector<std::thread> pool;
  size_t per = (n + threads - 1) / threads;
  for (int t = 0; t < threads; t++) {
    size_t lo = t * per, hi = std::min(n, lo + per);
    if (lo >= hi) break;
    pool.emplace_back([&, lo, hi]() {
      const size_t CH = 4096;
      std::vector<Jac<F>> jac(CH);
      std::vector<Aff<F>> aff(CH);
      for (size_t a = lo; a < hi; a += CH) {
        size_t m = std::min(CH, hi - a);
        mulRange(table, scalars + 32 * a, jac.data(), m);
        batchToAffine(jac.data(), aff.data(), m);
        for (size_t k = 0; k < m; k++) {
          uint8_t* dst = out + (a + k) * 2 * fsize;
          if (aff[k].inf) {
            std::memset(dst, 0, 2 * fsize);
          } else {
            writeF(dst, aff[k].x);
            writeF(dst + fsize, aff[k].y);
          }
        }
      }
    });
  }
  for (auto& th : pool) th.join();
}

Fq fqFromDec(const char* hex) {  // hex string, big-endian, canonical
  uint64_t limbs[4] = {0, 0, 0, 0};
  size_t len = std::strlen(hex);
  for (size_t i = 0; i < len; i++) {
    char c = hex[len - 1 - i];
    uint64_t d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : c - 'A' + 10;
    limbs[i / 16] |= d << (4 * (i % 16));
  }
  return fromCanonical(limbs);
}

const std::vector<Aff<Fq>>& g1Table() {
  static std::vector<Aff<Fq>> table = [] {
    uint64_t one[4] = {1, 0, 0, 0}, two[4] = {2, 0, 0, 0};
    Aff<Fq> g{fromCanonical(one), fromCanonical(two), false};
    return buildTable(g);
  }();
  return table;
}

const std::vector<Aff<Fq2>>& g2Table() {
  static std::vector<Aff<Fq2>> table = [] {
    Aff<Fq2> g;
    g.x.c0 = fqFromDec("1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed");
    g.x.c1 = fqFromDec("198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2");
    g.y.c0 = fqFromDec("12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa");
    g.y.c1 = fqFromDec("090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b");
    g.inf = false;
    return buildTable(g);
  }();
  return table;
}

// ---------- N-API glue ----------

template <bool G2>
napi_value Mul(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  uint8_t* b[2];
  size_t len[2];
  size_t argc = bytesArgs(env, info, 2, b, len, argv);
  if (!argc) return Throw(env, "expected (scalars: Uint8Array, out: Uint8Array, threads?: number)");
  uint8_t *sc = b[0], *out = b[1];
  size_t scLen = len[0], outLen = len[1];
  int32_t threads = 2;
  if (argc >= 3) napi_get_value_int32(env, argv[2], &threads);
  if (threads < 1) threads = 1;
  if (scLen % 32) return Throw(env, "scalars length must be a multiple of 32");
  size_t n = scLen / 32;
  size_t psize = G2 ? 128 : 64;
  if (outLen != n * psize) return Throw(env, "out length must be n * point size");
  if (G2)
    multiply(g2Table(), sc, out, n, threads);
  else
    multiply(g1Table(), sc, out, n, threads);
  return nullptr;
}

// ---------- point encodings for transcript hashes ----------
// ffjavascript's (wasm) batchLEMtoU and batchLEMtoC, which snarkjs hashes: coordinates in normal form, big-endian,
// an Fq2 element as c1 then c0. Uncompressed: x then y (infinity: all zeros). Compressed: x, with 0x80 set in the
// first byte when y is the "negative" root (the larger one; for Fq2 decided by c1 unless c1 is zero), 0x40 for
// infinity.
const uint64_t HALF_P[4] = {0x9e10460b6c3e7ea3ULL, 0xcbc0b548b438e546ULL, 0xdc2822db40c0ac2eULL, 0x183227397098d014ULL};

void toCanonical(const Fq& a, uint64_t* out) {
  Fq one{{1, 0, 0, 0}};
  Fq r = fmul(a, one);
  std::memcpy(out, r.v, 32);
}

void writeBE(uint8_t* dst, const uint64_t* limbs) {
  for (int i = 0; i < 32; i++) dst[i] = (uint8_t)(limbs[3 - i / 8] >> (8 * (7 - i % 8)));
}

// -1 when above (p-1)/2, 1 when not, 0 for zero
int sign(const uint64_t* c) {
  if ((c[0] | c[1] | c[2] | c[3]) == 0) return 0;
  for (int i = 3; i >= 0; i--) {
    if (c[i] > HALF_P[i]) return -1;
    if (c[i] < HALF_P[i]) return 1;
  }
  return 1;
}

// src: `words` field elements of Fq (LEM) forming one coordinate; dst: big-endian normal form, highest word first
int encodeCoord(const uint8_t* src, int words, uint8_t* dst) {
  int s = 0;
  for (int w = words - 1; w >= 0; w--) {
    Fq a;
    std::memcpy(a.v, src + 32 * w, 32);
    uint64_t c[4];
    toCanonical(a, c);
    writeBE(dst + 32 * (words - 1 - w), c);
    if (s == 0) s = sign(c);
  }
  return s;
}

napi_value Encode(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  uint8_t* in;
  size_t len;
  bool g2 = false, compressed = false;
  if (bytesArgs(env, info, 1, &in, &len, argv) < 3) return Throw(env, "expected (points: Uint8Array, g2: boolean, compressed: boolean)");
  napi_get_value_bool(env, argv[1], &g2);
  napi_get_value_bool(env, argv[2], &compressed);
  int words = g2 ? 2 : 1;
  size_t psize = 64 * words;
  if (len % psize) return Throw(env, "points length must be a multiple of the point size");
  size_t n = len / psize, osize = compressed ? psize / 2 : psize;
  napi_value res;
  void* outp;
  napi_create_buffer(env, n * osize, &outp, &res);
  uint8_t* out = static_cast<uint8_t*>(outp);
  for (size_t i = 0; i < n; i++) {
    const uint8_t* p = in + i * psize;
    uint8_t* o = out + i * osize;
    bool inf = true;
    for (size_t k = 0; k < psize; k++)
      if (p[k]) { inf = false; break; }
    if (inf) {
      std::memset(o, 0, osize);
      if (compressed) o[0] = 0x40;
      continue;
    }
    encodeCoord(p, words, o);
    if (compressed) {
      uint8_t tmp[64];
      if (encodeCoord(p + psize / 2, words, tmp) < 0) o[0] |= 0x80;
    } else {
      encodeCoord(p + psize / 2, words, o + psize / 2);
    }
  }
  return res;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"g1Mul", nullptr, Mul<false>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"g2Mul", nullptr, Mul<true>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"encodePoints", nullptr, Encode, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blake2bInit", nullptr, Blake2bInit, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blake2bUpdate", nullptr, Blake2bUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blake2bDigest", nullptr, Blake2bDigest, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)

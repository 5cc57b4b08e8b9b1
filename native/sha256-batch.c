/*
 * Countersign's batch SHA-256: many short messages hashed in one call from JavaScript.
 *
 * Ingest hashes three times per record (the raw frame, its tlog leaf, about one Merkle node), each
 * input 65–300 bytes; the leaf's input (the record's entry) is assembled here too, from its parts. Through node:crypto every call pays ~700 ns of setup and a new Buffer for the
 * digest; here a whole batch is one call into OpenSSL's SHA-256 (the copy inside the node binary,
 * which uses the CPU's SHA extensions where it has them) and the digests land in one array.
 *
 * Node-API only, so one build serves every Node version with this ABI. Every argument is checked
 * and a bad one throws a TypeError/RangeError: nothing here trusts its caller's arithmetic.
 * Built by scripts/build-native.mjs; src/native/sha256-batch.ts loads it, or falls back to node:crypto.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <node_api.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>

#define DIGEST 32

static int bytes_of(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *len, const char *what) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) {
    napi_throw_type_error(env, NULL, what);
    return 0;
  }
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, len, data, &ab, &offset) != napi_ok || type != want) {
    napi_throw_type_error(env, NULL, what);
    return 0;
  }
  return 1;
}

static int count_of(napi_env env, napi_value v, uint32_t *out) {
  if (napi_get_value_uint32(env, v, out) != napi_ok) {
    napi_throw_type_error(env, NULL, "count must be a non-negative integer");
    return 0;
  }
  return 1;
}

/* Exactly n arguments into a, or a TypeError naming the call. */
static int args_of(napi_env env, napi_callback_info info, size_t n, napi_value *a, const char *usage) {
  size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, a, NULL, NULL) != napi_ok || argc != n) {
    napi_throw_type_error(env, NULL, usage);
    return 0;
  }
  return 1;
}

/* each(src: Uint8Array, offsets: Uint32Array, lengths: Uint32Array, count, out: Uint8Array):
 * out[32i, 32i+32) = SHA-256(src[offsets[i], offsets[i]+lengths[i])) for i < count. */
static napi_value each(napi_env env, napi_callback_info info) {
  napi_value a[5];
  if (!args_of(env, info, 5, a, "each(src, offsets, lengths, count, out) takes 5 arguments")) return NULL;
  void *src, *offs, *lens, *out;
  size_t src_len, n_offs, n_lens, out_len;
  uint32_t count;
  if (!bytes_of(env, a[0], napi_uint8_array, &src, &src_len, "src must be a Uint8Array")) return NULL;
  if (!bytes_of(env, a[1], napi_uint32_array, &offs, &n_offs, "offsets must be a Uint32Array")) return NULL;
  if (!bytes_of(env, a[2], napi_uint32_array, &lens, &n_lens, "lengths must be a Uint32Array")) return NULL;
  if (!count_of(env, a[3], &count)) return NULL;
  if (!bytes_of(env, a[4], napi_uint8_array, &out, &out_len, "out must be a Uint8Array")) return NULL;
  if (count > n_offs || count > n_lens || (uint64_t)count * DIGEST > out_len) {
    napi_throw_range_error(env, NULL, "count exceeds offsets, lengths or out");
    return NULL;
  }
  const uint32_t *o = offs, *l = lens;
  for (uint32_t i = 0; i < count; i++) {
    if ((uint64_t)o[i] + l[i] > src_len) {
      napi_throw_range_error(env, NULL, "a message lies outside src");
      return NULL;
    }
  }
  const uint8_t *s = src;
  uint8_t *d = out;
  for (uint32_t i = 0; i < count; i++) {
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, s + o[i], l[i]);
    SHA256_Final(d + (size_t)i * DIGEST, &c);
  }
  return NULL;
}

/* nodes(pairs: Uint8Array, count, out: Uint8Array): out[32i, 32i+32) = SHA-256(0x01 ‖ pairs[64i, 64i+64)),
 * the RFC 6962 interior node of each (left, right) pair. */
static napi_value nodes(napi_env env, napi_callback_info info) {
  napi_value a[3];
  if (!args_of(env, info, 3, a, "nodes(pairs, count, out) takes 3 arguments")) return NULL;
  void *pairs, *out;
  size_t pairs_len, out_len;
  uint32_t count;
  if (!bytes_of(env, a[0], napi_uint8_array, &pairs, &pairs_len, "pairs must be a Uint8Array")) return NULL;
  if (!count_of(env, a[1], &count)) return NULL;
  if (!bytes_of(env, a[2], napi_uint8_array, &out, &out_len, "out must be a Uint8Array")) return NULL;
  if ((uint64_t)count * 2 * DIGEST > pairs_len || (uint64_t)count * DIGEST > out_len) {
    napi_throw_range_error(env, NULL, "count exceeds pairs or out");
    return NULL;
  }
  static const uint8_t prefix = 0x01;
  const uint8_t *p = pairs;
  uint8_t *d = out;
  for (uint32_t i = 0; i < count; i++) {
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, &prefix, 1);
    SHA256_Update(&c, p + (size_t)i * 2 * DIGEST, 2 * DIGEST);
    SHA256_Final(d + (size_t)i * DIGEST, &c);
  }
  return NULL;
}

/* recordLeaves(sha, conn, parts, partOffsets, times, timeOffsets, timeLengths, count, out): the tlog leaf
 * of each record's entry (src/tlog/record-entry.ts), without building the entry:
 *   out[32i, 32i+32) = SHA-256(0x00 ‖ head[c] ‖ hex(sha[32i, 32i+32)) ‖ `","receivedAt":` ‖ time[i] ‖ tail[c])
 * with c = conn[i]; head[c] = parts[partOffsets[4c], +partOffsets[4c+1]), tail[c] = parts[partOffsets[4c+2],
 * +partOffsets[4c+3]); time[i] = times[timeOffsets[i], +timeLengths[i]) (the receive time as JSON). */
static napi_value record_leaves(napi_env env, napi_callback_info info) {
  napi_value a[9];
  if (!args_of(env, info, 9, a, "recordLeaves(sha, conn, parts, partOffsets, times, timeOffsets, timeLengths, count, out) takes 9 arguments")) return NULL;
  void *sha, *conn, *parts, *part_offs, *times, *time_offs, *time_lens, *out;
  size_t sha_len, n_conn, parts_len, n_part_offs, times_len, n_time_offs, n_time_lens, out_len;
  uint32_t count;
  if (!bytes_of(env, a[0], napi_uint8_array, &sha, &sha_len, "sha must be a Uint8Array")) return NULL;
  if (!bytes_of(env, a[1], napi_uint32_array, &conn, &n_conn, "conn must be a Uint32Array")) return NULL;
  if (!bytes_of(env, a[2], napi_uint8_array, &parts, &parts_len, "parts must be a Uint8Array")) return NULL;
  if (!bytes_of(env, a[3], napi_uint32_array, &part_offs, &n_part_offs, "partOffsets must be a Uint32Array")) return NULL;
  if (!bytes_of(env, a[4], napi_uint8_array, &times, &times_len, "times must be a Uint8Array")) return NULL;
  if (!bytes_of(env, a[5], napi_uint32_array, &time_offs, &n_time_offs, "timeOffsets must be a Uint32Array")) return NULL;
  if (!bytes_of(env, a[6], napi_uint32_array, &time_lens, &n_time_lens, "timeLengths must be a Uint32Array")) return NULL;
  if (!count_of(env, a[7], &count)) return NULL;
  if (!bytes_of(env, a[8], napi_uint8_array, &out, &out_len, "out must be a Uint8Array")) return NULL;
  if ((uint64_t)count * DIGEST > sha_len || count > n_conn || count > n_time_offs || count > n_time_lens || (uint64_t)count * DIGEST > out_len) {
    napi_throw_range_error(env, NULL, "count exceeds sha, conn, timeOffsets, timeLengths or out");
    return NULL;
  }
  const uint32_t *c = conn, *po = part_offs, *to = time_offs, *tl = time_lens;
  const size_t n_conns = n_part_offs / 4;
  for (size_t k = 0; k < n_conns; k++) {
    if ((uint64_t)po[4 * k] + po[4 * k + 1] > parts_len || (uint64_t)po[4 * k + 2] + po[4 * k + 3] > parts_len) {
      napi_throw_range_error(env, NULL, "a head or tail lies outside parts");
      return NULL;
    }
  }
  for (uint32_t i = 0; i < count; i++) {
    if (c[i] >= n_conns || (uint64_t)to[i] + tl[i] > times_len) {
      napi_throw_range_error(env, NULL, "a record's sender or time lies outside parts or times");
      return NULL;
    }
  }
  static const uint8_t prefix = 0x00;
  static const char mid[] = "\",\"receivedAt\":";
  static const char digits[] = "0123456789abcdef";
  const uint8_t *s = sha, *p = parts, *t = times;
  uint8_t *d = out;
  uint8_t hex[2 * DIGEST];
  for (uint32_t i = 0; i < count; i++) {
    const uint8_t *h = s + (size_t)i * DIGEST;
    for (int k = 0; k < DIGEST; k++) {
      hex[2 * k] = (uint8_t)digits[h[k] >> 4];
      hex[2 * k + 1] = (uint8_t)digits[h[k] & 15];
    }
    const uint32_t *q = po + 4 * (size_t)c[i];
    SHA256_CTX x;
    SHA256_Init(&x);
    SHA256_Update(&x, &prefix, 1);
    SHA256_Update(&x, p + q[0], q[1]);
    SHA256_Update(&x, hex, sizeof hex);
    SHA256_Update(&x, mid, sizeof mid - 1);
    SHA256_Update(&x, t + to[i], tl[i]);
    SHA256_Update(&x, p + q[2], q[3]);
    SHA256_Final(d + (size_t)i * DIGEST, &x);
  }
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
    {"each", NULL, each, NULL, NULL, NULL, napi_enumerable, NULL},
    {"nodes", NULL, nodes, NULL, NULL, NULL, napi_enumerable, NULL},
    {"recordLeaves", NULL, record_leaves, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, 3, props) != napi_ok) return NULL;
  return exports;
}

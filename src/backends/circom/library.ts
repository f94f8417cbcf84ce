/**
 * The circom templates every generated circuit includes: the input range check, and for the statement options the
 * hash chain and the argmax. Each is written to cost what the cost model (src/statement/cost.ts) says.
 */

export const CIRCOM_VERSION_PRAGMA = "2.1.0";

export const LIBRARY = `
// x in [MIN, MIN + 2^B), by a B-bit decomposition of x - MIN.
template ZkmlInRange(B, MIN) {
    signal input in;
    signal bits[B];
    var lc = 0;
    var u = in - MIN;
    for (var i = 0; i < B; i++) {
        bits[i] <-- (u >> i) & 1;
        bits[i] * (bits[i] - 1) === 0;
        lc += bits[i] * (1 << i);
    }
    lc === in - MIN;
}
`;

/**
 * Templates for the visibility options (src/statement/visibility.ts). Every comparison is a bounded decomposition of fewer
 * than 253 bits, so it cannot wrap the field.
 */
export const HASH_LIBRARY = `
// Poseidon over any number of values: the first block hashes up to 16, each further block the previous hash and
// up to 15 more (circomlib's Poseidon takes at most 16 inputs). The first block starts from TAG in the capacity
// element (PoseidonEx's initialState; Poseidon's is 0): the commitment's domain. src/statement/commitments.ts
// hashChain is its twin.
template ZkmlHashChain(N, TAG) {
    signal input in[N];
    signal output out;
    var first = N < 16 ? N : 16;
    var blocks = 1;
    if (N > 16) { blocks = 1 + (N - 16 + 14) \\ 15; }
    component h[blocks];
    h[0] = PoseidonEx(first, 1);
    h[0].initialState <== TAG;
    for (var i = 0; i < first; i++) { h[0].inputs[i] <== in[i]; }
    var at = first;
    for (var j = 1; j < blocks; j++) {
        var take = N - at < 15 ? N - at : 15;
        h[j] = PoseidonEx(take + 1, 1);
        h[j].initialState <== 0;
        h[j].inputs[0] <== h[j - 1].out[0];
        for (var i = 0; i < take; i++) { h[j].inputs[i + 1] <== in[at + i]; }
        at += take;
    }
    out <== h[blocks - 1].out[0];
}
`;

export const ARGMAX_LIBRARY = `
// out = the index of the first largest of in[0..N) (signed values, |in[i] - in[j]| < 2^(R-1)).
// A one-hot selector s picks it, m = in[out]; then for every i, m - in[i] - [i < out] is proved to lie in
// [0, 2^R) by an R-bit decomposition: m >= in[i] for all i, strictly before the label, which is the first.
template ZkmlArgmax(N, R) {
    signal input in[N];
    signal output out;
    signal s[N];
    signal prod[N];
    signal d[N][R];
    var best = 0;
    for (var i = 1; i < N; i++) { if (in[i] > in[best]) { best = i; } }
    var total = 0;
    var idx = 0;
    var m = 0;
    for (var i = 0; i < N; i++) {
        s[i] <-- i == best ? 1 : 0;
        s[i] * (s[i] - 1) === 0;
        total += s[i];
        idx += i * s[i];
        prod[i] <== s[i] * in[i];
        m += prod[i];
    }
    total === 1;
    out <== idx;
    for (var i = 0; i < N; i++) {
        var later = 0;
        for (var j = i + 1; j < N; j++) { later += s[j]; }
        var diff = m - in[i] - later;
        var lc = 0;
        for (var k = 0; k < R; k++) {
            d[i][k] <-- (diff >> k) & 1;
            d[i][k] * (d[i][k] - 1) === 0;
            lc += d[i][k] * (1 << k);
        }
        lc === diff;
    }
}
`;

/** Included when the model's declared input range ends below its bits (ir.ts inputTopCheck). */
export const INPUT_TOP_LIBRARY = `
// x in [MIN, MIN + 2^(B-1)]: B bits of x - MIN, and the top bit set only with every lower bit clear
template ZkmlInRangeHalf(B, MIN) {
    signal input in;
    signal bits[B];
    var lc = 0;
    var low = 0;
    var u = in - MIN;
    for (var i = 0; i < B; i++) {
        bits[i] <-- (u >> i) & 1;
        bits[i] * (bits[i] - 1) === 0;
        lc += bits[i] * (1 << i);
        if (i < B - 1) low += bits[i] * (1 << i);
    }
    lc === in - MIN;
    bits[B - 1] * low === 0;
}

// in <= TOP, given in's own range check: TOP - in decomposed into B bits
template ZkmlAtMost(B, TOP) {
    signal input in;
    signal bits[B];
    var lc = 0;
    var u = TOP - in;
    for (var i = 0; i < B; i++) {
        bits[i] <-- (u >> i) & 1;
        bits[i] * (bits[i] - 1) === 0;
        lc += bits[i] * (1 << i);
    }
    lc === TOP - in;
}
`;

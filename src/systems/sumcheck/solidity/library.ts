/**
 * The Solidity side of the sumcheck verifier that does not depend on the model: field and transcript helpers, the
 * sumcheck and logUp-GKR checks, the requant tables, the dense step, the claims' merge and the Hyrax opening,
 * each a port of the TypeScript verifier's module of the same name (../verifier/), reading the proof's bytes
 * (format version 2, ../verifier/decode.ts) straight from calldata. The model's contract (./render.ts) holds the
 * architecture as a program of uint32 words (./program.ts) that `Sumcheck.run` interprets, so the contract's size
 * grows with the number of layers by a few bytes each and never with a layer's width.
 *
 * A failed check reverts with `SumcheckRejected(code)`, the codes below (`REJECT_CODES` names them).
 */

/** What each `SumcheckRejected(code)` means (the codes the library reverts with). */
export const REJECT_CODES: Record<number, string> = {
  1: "the proof ends early",
  2: "a field word is not below r",
  3: "a count or version word differs from the architecture's",
  4: "a sumcheck round's g(0) + g(1) differs from the claim",
  5: "a sumcheck's final value differs from the layer's",
  6: "a lookup's root denominator is zero or its two sums differ",
  7: "a lookup's leaves do not match the looked-up values or the table",
  8: "a dense layer's W blocks do not combine to W~(rho, sigma)",
  9: "the network input's MLE differs from the claim",
  10: "the merged claims' final value is not E(s) P(s)",
  11: "a Hyrax opening's row combination does not match the commitment",
  12: "a Hyrax opening's value is not <u, eq(r_low)>",
  13: "a point is not on the curve, or an elliptic-curve precompile failed",
  14: "bytes follow the proof's end",
  15: "the input's length or a value outside the declared range",
  16: "the output's length or a value that is not a 64-bit integer",
  17: "a layer proof of the wrong kind",
  18: "a KZG point (a commitment, fold, Q or W) is the identity or not on the curve",
  19: "a KZG denominator is zero (r = 0, z = +-w_i, or a fold's)",
  20: "the KZG pairing check e(L + z W, [1]_2) = e(W, [tau]_2) fails",
};

/** A message naming `SumcheckRejected(code)` (a reverted call's reason), with what the code means appended. */
export function describeRejection(message: string): string {
  return message.replace(/SumcheckRejected\((\d+)\)/g, (m, code: string) => (REJECT_CODES[Number(code)] ? `${m}: ${REJECT_CODES[Number(code)]}` : m));
}

export const SUMCHECK_LIBRARY = String.raw`
/// A refused sumcheck proof; the code names the failed check (src/systems/sumcheck/solidity/library.ts).
error SumcheckRejected(uint256 code);

/// The sumcheck system's verifier, for networks of dense and requant ops (the ops of paper0's MLPs), replaying the
/// prover's keccak256 transcript (native/src/sumcheck/transcript.rs) word for word.
library Sumcheck {
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant INV2 = 10944121435919637611123202872628637544274182200208017171849102093287904247809;
    uint256 internal constant INV6 = 18240202393199396018538671454381062573790303667013361953081836822146507079681;

    struct Transcript {
        bytes32 state;
        uint256 counter;
    }

    struct Cursor {
        uint256 at;
    }

    /// Claims on one committed vector: points lifted onto its MLE (numVars coordinates), values. A vector that sits
    /// base entries into a joint one (format 4's witness: base 2^n) lifts its segments' indices by base.
    struct Claims {
        uint256[][] points;
        uint256[] values;
        uint256 n;
        uint256 numVars;
        uint256 base;
    }

    /// A table the verifier fixes: a range offset + j, or pairs (t, min(max(t, lo), hi)), t = offset + j.
    struct Table {
        uint256 kind;
        int256 offset;
        uint256 logSize;
        bool hasLo;
        int256 lo;
        bool hasHi;
        int256 hi;
    }

    /// What a lookup leaves to open: f's columns at fPoint, the multiplicities at mPoint.
    struct LookupClaims {
        uint256[] fPoint;
        uint256 f0;
        uint256 f1;
        uint256[] mPoint;
        uint256 m;
    }

    /// The state a layer turns: the claim (point, value) on the current tensor.
    struct Claim {
        uint256[] point;
        uint256 value;
    }

    function reject(uint256 code) internal pure {
        revert SumcheckRejected(code);
    }

    // ---- field -------------------------------------------------------------------------------------------------

    function sub(uint256 a, uint256 b) internal pure returns (uint256) {
        return addmod(a, R - b, R);
    }

    function fr(int256 v) internal pure returns (uint256) {
        if (v >= 0) return uint256(v) % R;
        uint256 a = uint256(-v) % R;
        return a == 0 ? 0 : R - a;
    }

    /// eq(a, b) = prod_i (a_i b_i + (1 - a_i)(1 - b_i)).
    function eq(uint256[] memory a, uint256[] memory b) internal pure returns (uint256 p) {
        p = 1;
        for (uint256 i = 0; i < a.length; i++) {
            uint256 t = addmod(mulmod(a[i], b[i], R), mulmod(R + 1 - a[i], R + 1 - b[i], R), R);
            p = mulmod(p, t, R);
        }
    }

    /// eq(r[from..to], b) for every b in {0,1}^(to - from), little-endian bits.
    function eqTable(uint256[] memory r, uint256 from, uint256 to) internal pure returns (uint256[] memory t) {
        t = new uint256[](1 << (to - from));
        assembly ("memory-safe") {
            let d := add(t, 32)
            mstore(d, 1)
            let h := 1
            for { let i := from } lt(i, to) { i := add(i, 1) } {
                let ri := mload(add(add(r, 32), mul(i, 32)))
                for { let j := 0 } lt(j, h) { j := add(j, 1) } {
                    let pj := add(d, mul(j, 32))
                    let tj := mload(pj)
                    let hi := mulmod(tj, ri, R)
                    mstore(pj, addmod(tj, sub(R, hi), R))
                    mstore(add(pj, mul(h, 32)), hi)
                }
                h := shl(1, h)
            }
        }
    }

    /// sum_j a_j b_j over the first n entries of two memory arrays.
    function inner(uint256[] memory a, uint256[] memory b, uint256 n) internal pure returns (uint256 s) {
        assembly ("memory-safe") {
            let pa := add(a, 32)
            let pb := add(b, 32)
            for { let j := 0 } lt(j, n) { j := add(j, 1) } {
                s := addmod(s, mulmod(mload(add(pa, mul(j, 32))), mload(add(pb, mul(j, 32))), R), R)
            }
        }
    }

    /// The MLE of v (zero-padded to 2^point.length) at point, folding variable 0 first, on a copy of v.
    function mle(uint256[] memory v, uint256[] memory point) internal pure returns (uint256 e) {
        uint256 len = v.length;
        uint256[] memory t = new uint256[](len + 1);
        assembly ("memory-safe") {
            let d := add(t, 32)
            mcopy(d, add(v, 32), mul(len, 32))
            let k := mload(point)
            for { let i := 0 } lt(i, k) { i := add(i, 1) } {
                let r := mload(add(add(point, 32), mul(i, 32)))
                // an odd length's last pair has a zero high half (t has one spare zero word)
                mstore(add(d, mul(len, 32)), 0)
                let half := shr(1, add(len, 1))
                for { let j := 0 } lt(j, half) { j := add(j, 1) } {
                    let lo := mload(add(d, mul(j, 64)))
                    let hi := mload(add(d, add(mul(j, 64), 32)))
                    mstore(add(d, mul(j, 32)), addmod(lo, mulmod(r, addmod(hi, sub(R, lo), R), R), R))
                }
                len := half
            }
            if len { e := mload(d) }
        }
    }

    /// g(r) for the quadratic through (0, g0), (1, g1), (2, g2).
    function interp2(uint256 g0, uint256 g1, uint256 g2, uint256 r) internal pure returns (uint256) {
        uint256 r1 = addmod(r, R - 1, R);
        uint256 r2 = addmod(r, R - 2, R);
        uint256 s = mulmod(g0, mulmod(mulmod(r1, r2, R), INV2, R), R);
        s = addmod(s, R - mulmod(g1, mulmod(r, r2, R), R), R);
        return addmod(s, mulmod(g2, mulmod(mulmod(r, r1, R), INV2, R), R), R);
    }

    /// g(r) for the cubic through (j, g_j), j = 0..3: Lagrange's denominators -6, 2, -2, 6.
    function interp3(uint256 g0, uint256 g1, uint256 g2, uint256 g3, uint256 r) internal pure returns (uint256) {
        uint256 r1 = addmod(r, R - 1, R);
        uint256 r2 = addmod(r, R - 2, R);
        uint256 r3 = addmod(r, R - 3, R);
        uint256 r12 = mulmod(r1, r2, R);
        uint256 r01 = mulmod(r, r1, R);
        uint256 s = R - mulmod(g0, mulmod(mulmod(r12, r3, R), INV6, R), R);
        s = addmod(s, mulmod(g1, mulmod(mulmod(mulmod(r, r2, R), r3, R), INV2, R), R), R);
        s = addmod(s, R - mulmod(g2, mulmod(mulmod(r01, r3, R), INV2, R), R), R);
        return addmod(s, mulmod(g3, mulmod(mulmod(r01, r2, R), INV6, R), R), R);
    }

    // ---- proof bytes -------------------------------------------------------------------------------------------

    function at(bytes calldata p, uint256 o) internal pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := calldataload(add(p.offset, o))
        }
    }

    function word(bytes calldata p, Cursor memory c) internal pure returns (uint256 v) {
        uint256 o = c.at;
        if (o + 32 > p.length) reject(1);
        v = at(p, o);
        c.at = o + 32;
    }

    function expectWord(bytes calldata p, Cursor memory c, uint256 want) internal pure {
        if (word(p, c) != want) reject(3);
    }

    /// n field words at the cursor, each below r; returns where they start.
    function fes(bytes calldata p, Cursor memory c, uint256 n) internal pure returns (uint256 o) {
        o = c.at;
        if (o + 32 * n > p.length) reject(1);
        for (uint256 i = 0; i < n; i++) if (at(p, o + 32 * i) >= R) reject(2);
        c.at = o + 32 * n;
    }

    function fe(bytes calldata p, Cursor memory c) internal pure returns (uint256) {
        return at(p, fes(p, c, 1));
    }

    // ---- transcript (native/src/sumcheck/transcript.rs) -------------------------------------------------------

    /// state = keccak256(state || label || the n words at p[o..]).
    function absorbCalldata(Transcript memory t, bytes32 label, bytes calldata p, uint256 o, uint256 n) internal pure {
        bytes32 s = t.state;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, s)
            mstore(add(m, 32), label)
            calldatacopy(add(m, 64), add(p.offset, o), mul(n, 32))
            s := keccak256(m, add(64, mul(n, 32)))
        }
        t.state = s;
    }

    /// state = keccak256(state || label || the n bytes at memory address ptr).
    function absorbMemory(Transcript memory t, bytes32 label, uint256 ptr, uint256 n) private pure {
        bytes32 s = t.state;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, s)
            mstore(add(m, 32), label)
            mcopy(add(m, 64), ptr, n)
            s := keccak256(m, add(64, n))
        }
        t.state = s;
    }

    /// state = keccak256(state || label || data) for data in memory.
    function absorbBytes(Transcript memory t, bytes32 label, bytes memory data) internal pure {
        uint256 ptr;
        assembly ("memory-safe") {
            ptr := add(data, 32)
        }
        absorbMemory(t, label, ptr, data.length);
    }

    /// state = keccak256(state || label || the words of ws).
    function absorbWords(Transcript memory t, bytes32 label, uint256[] memory ws) internal pure {
        uint256 ptr;
        assembly ("memory-safe") {
            ptr := add(ws, 32)
        }
        absorbMemory(t, label, ptr, 32 * ws.length);
    }

    /// state = keccak256(state || label || a || b || c), the first n of a, b, c; in scratch memory (nothing allocated).
    function absorbN(Transcript memory t, bytes32 label, uint256 n, uint256 a, uint256 b, uint256 c) internal pure {
        bytes32 s = t.state;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, s)
            mstore(add(m, 32), label)
            mstore(add(m, 64), a)
            mstore(add(m, 96), b)
            mstore(add(m, 128), c)
            s := keccak256(m, add(64, mul(n, 32)))
        }
        t.state = s;
    }

    function absorb1(Transcript memory t, bytes32 label, uint256 a) internal pure {
        absorbN(t, label, 1, a, 0, 0);
    }

    function absorb2(Transcript memory t, bytes32 label, uint256 a, uint256 b) internal pure {
        absorbN(t, label, 2, a, b, 0);
    }

    function absorb3(Transcript memory t, bytes32 label, uint256 a, uint256 b, uint256 c) internal pure {
        absorbN(t, label, 3, a, b, c);
    }

    function challenge(Transcript memory t) internal pure returns (uint256) {
        bytes32 s = t.state;
        uint256 k = t.counter;
        assembly ("memory-safe") {
            mstore(0, s)
            mstore(32, k)
            s := keccak256(0, 64)
        }
        t.state = s;
        t.counter = k + 1;
        return uint256(s) % R;
    }

    function challenges(Transcript memory t, uint256 n) internal pure returns (uint256[] memory r) {
        r = new uint256[](n);
        for (uint256 i = 0; i < n; i++) r[i] = challenge(t);
    }

    // ---- sumcheck (sumcheck.rs) --------------------------------------------------------------------------------

    /// k rounds of degree d (2 or 3), each d + 1 evaluations; returns the point and the final claim.
    function sumcheck(Transcript memory t, bytes calldata p, Cursor memory c, uint256 claim, uint256 k, uint256 d)
        internal
        pure
        returns (uint256[] memory point, uint256 e)
    {
        expectWord(p, c, k);
        expectWord(p, c, k == 0 ? 0 : d + 1);
        absorb3(t, "sumcheck claim", claim, k, d);
        point = new uint256[](k);
        e = claim;
        uint256 w = d + 1;
        uint256 o = c.at;
        if (o + 32 * w * k > p.length) reject(1);
        bytes32 st = t.state;
        uint256 ctr = t.counter;
        // per round: its words below r (else 2), g(0) + g(1) the running claim (else 4), the words absorbed, r drawn,
        // the claim g(r) by Lagrange over 0..d (interp2 and interp3 inline)
        uint256 bad = 0;
        assembly ("memory-safe") {
            let m := mload(0x40)
            let base := add(p.offset, o)
            for { let i := 0 } and(lt(i, k), iszero(bad)) { i := add(i, 1) } {
                let q := add(base, mul(i, mul(w, 32)))
                let g0 := calldataload(q)
                let g1 := calldataload(add(q, 32))
                let g2 := calldataload(add(q, 64))
                let g3 := 0
                if eq(d, 3) { g3 := calldataload(add(q, 96)) }
                if or(or(iszero(lt(g0, R)), iszero(lt(g1, R))), or(iszero(lt(g2, R)), iszero(lt(g3, R)))) { bad := 2 }
                if iszero(bad) { if iszero(eq(addmod(g0, g1, R), e)) { bad := 4 } }
                if iszero(bad) {
                    mstore(m, st)
                    mstore(add(m, 32), "sumcheck round")
                    calldatacopy(add(m, 64), q, mul(w, 32))
                    st := keccak256(m, add(64, mul(w, 32)))
                    mstore(0, st)
                    mstore(32, ctr)
                    st := keccak256(0, 64)
                    ctr := add(ctr, 1)
                    let r := mod(st, R)
                    mstore(add(add(point, 32), mul(i, 32)), r)
                    let r1 := addmod(r, sub(R, 1), R)
                    let r2 := addmod(r, sub(R, 2), R)
                    switch d
                    case 2 {
                        let v := mulmod(g0, mulmod(mulmod(r1, r2, R), INV2, R), R)
                        v := addmod(v, sub(R, mulmod(g1, mulmod(r, r2, R), R)), R)
                        e := addmod(v, mulmod(g2, mulmod(mulmod(r, r1, R), INV2, R), R), R)
                    }
                    default {
                        let r3 := addmod(r, sub(R, 3), R)
                        let r01 := mulmod(r, r1, R)
                        let v := sub(R, mulmod(g0, mulmod(mulmod(mulmod(r1, r2, R), r3, R), INV6, R), R))
                        v := addmod(v, mulmod(g1, mulmod(mulmod(mulmod(r, r2, R), r3, R), INV2, R), R), R)
                        v := addmod(v, sub(R, mulmod(g2, mulmod(mulmod(r01, r3, R), INV2, R), R)), R)
                        e := addmod(v, mulmod(g3, mulmod(mulmod(r01, r2, R), INV6, R), R), R)
                    }
                }
            }
        }
        if (bad != 0) reject(bad);
        t.state = st;
        t.counter = ctr;
        c.at = o + 32 * w * k;
    }

    // ---- tables (logup.rs, requant.rs) -------------------------------------------------------------------------

    function indexMle(uint256[] memory x) internal pure returns (uint256 s) {
        for (uint256 b = 0; b < x.length; b++) s = addmod(s, mulmod(1 << b, x[b], R), R);
    }

    /// The MLE of j -> (j - c)[j >= c] at x (../verifier/logup.ts rampMle).
    function ramp(uint256[] memory x, int256 c) internal pure returns (uint256 acc) {
        uint256 l = x.length;
        if (c <= 0) return sub(indexMle(x), fr(c));
        uint256 cu = uint256(c);
        if (cu >= (1 << l)) return 0;
        uint256[] memory low = new uint256[](l + 1);
        for (uint256 b = 0; b < l; b++) low[b + 1] = addmod(low[b], mulmod(1 << b, x[b], R), R);
        uint256 prod = 1;
        uint256 high = 0;
        for (uint256 j = l; j > 0; j--) {
            uint256 i = j - 1;
            uint256 ci = (cu >> i) & 1;
            if (ci == 0) {
                // high + 2^i - c = 2^i - (c mod 2^i) > 0
                uint256 k = high + (1 << i) - cu;
                acc = addmod(acc, mulmod(mulmod(x[i], prod, R), addmod(k, low[i], R), R), R);
                prod = mulmod(prod, R + 1 - x[i], R);
            } else {
                prod = mulmod(prod, x[i], R);
            }
            high += ci << i;
        }
    }

    /// The table's columns' MLEs at x (col1 only for an activation table).
    function tableEval(Table memory tb, uint256[] memory x) internal pure returns (uint256 col0, uint256 col1) {
        col0 = addmod(fr(tb.offset), indexMle(x), R);
        if (tb.kind == 1) return (col0, 0);
        if (tb.hasLo && tb.hasHi && tb.lo > tb.hi) return (col0, fr(tb.hi));
        col1 = tb.hasLo ? addmod(fr(tb.lo), ramp(x, tb.lo - tb.offset), R) : col0;
        if (tb.hasHi) col1 = sub(col1, ramp(x, tb.hi - tb.offset));
    }

    function absorbTable(Transcript memory t, Table memory tb) internal pure {
        t.state = keccak256(
            abi.encodePacked(
                t.state,
                bytes32("logup table"),
                tb.kind,
                fr(tb.offset),
                tb.logSize,
                tb.hasLo ? uint256(1) : 0,
                tb.hasLo ? fr(tb.lo) : 0,
                tb.hasHi ? uint256(1) : 0,
                tb.hasHi ? fr(tb.hi) : 0
            )
        );
    }

    /// A requant's range table [0, 2^shift) and activation table (requant.ts rangeTable, activationTable).
    function requantTables(uint256 shift, bool relu, uint256 bits, uint256 clamp)
        internal
        pure
        returns (Table memory range, Table memory act)
    {
        range = Table(1, 0, shift, false, 0, false, 0);
        act = Table(2, -int256(1 << (bits - 1 - shift)), bits - shift, false, 0, false, 0);
        if (clamp == 0) {
            act.hasLo = relu;
        } else if (relu) {
            act.hasLo = true;
            act.hasHi = true;
            act.hi = int256((1 << clamp) - 1);
        } else {
            act.hasLo = true;
            act.hasHi = true;
            act.lo = -int256(1 << (clamp - 1));
            act.hi = int256(1 << (clamp - 1)) - 1;
        }
    }

    // ---- logUp-GKR (logup.rs) ----------------------------------------------------------------------------------

    /// Words of a tree of n layers (its count, then per layer j: k, e, 4j evaluations, 4 values).
    function treeWords(uint256 n) internal pure returns (uint256) {
        return n == 0 ? 1 : 1 + 6 * n + 2 * n * (n - 1);
    }

    /// One fraction tree from its root to its leaves: the leaves' point and (p, q) there.
    function tree(Transcript memory t, bytes calldata p, Cursor memory c, uint256 n, uint256 cp, uint256 cq)
        internal
        pure
        returns (uint256[] memory rho, uint256, uint256)
    {
        expectWord(p, c, n);
        rho = new uint256[](0);
        for (uint256 j = 0; j < n; j++) {
            uint256 mu = challenge(t);
            (uint256[] memory r, uint256 value) = sumcheck(t, p, c, addmod(cp, mulmod(mu, cq, R), R), j, 3);
            uint256 o = fes(p, c, 4);
            uint256 p0 = at(p, o);
            uint256 q0 = at(p, o + 64);
            {
                uint256 p1 = at(p, o + 32);
                uint256 q1 = at(p, o + 96);
                uint256 layer = addmod(addmod(mulmod(p0, q1, R), mulmod(p1, q0, R), R), mulmod(mu, mulmod(q0, q1, R), R), R);
                if (value != mulmod(eq(rho, r), layer, R)) reject(5);
                absorbCalldata(t, "logup layer evals", p, o, 4);
                uint256 lambda = challenge(t);
                cp = addmod(p0, mulmod(lambda, addmod(p1, R - p0, R), R), R);
                cq = addmod(q0, mulmod(lambda, addmod(q1, R - q0, R), R), R);
                uint256[] memory next = new uint256[](j + 1);
                for (uint256 i = 0; i < j; i++) next[i] = r[i];
                next[j] = lambda;
                rho = next;
            }
        }
        return (rho, cp, cq);
    }

    /// A lookup of 2^k rows into tb (logup.ts verifyLogup); the claims left to open.
    function logup(Transcript memory t, bytes calldata p, Cursor memory c, uint256 k, Table memory tb)
        internal
        pure
        returns (LookupClaims memory out)
    {
        uint256 cols = tb.kind == 1 ? 1 : 2;
        absorbTable(t, tb);
        absorb2(t, "logup sizes", k, cols);
        uint256 alpha = challenge(t);
        uint256 beta = cols > 1 ? challenge(t) : 0;
        uint256 ro = fes(p, c, 4);
        absorbCalldata(t, "logup roots", p, ro, 4);
        if (at(p, ro + 32) == 0 || at(p, ro + 96) == 0) reject(6);
        if (mulmod(at(p, ro), at(p, ro + 96), R) != mulmod(at(p, ro + 64), at(p, ro + 32), R)) reject(6);
        uint256 fp;
        uint256 fq;
        (out.fPoint, fp, fq) = tree(t, p, c, k, at(p, ro), at(p, ro + 32));
        if (fp != 1) reject(7);
        // the columns' values follow the table's tree in the bytes but come before it in the transcript
        uint256 tAt = c.at;
        c.at = tAt + 32 * treeWords(tb.logSize);
        expectWord(p, c, cols);
        uint256 fo = fes(p, c, cols);
        uint256 end = c.at;
        absorbCalldata(t, "logup f evals", p, fo, cols);
        out.f0 = at(p, fo);
        out.f1 = cols > 1 ? at(p, fo + 32) : 0;
        if (fq != sub(alpha, addmod(out.f0, mulmod(beta, out.f1, R), R))) reject(7);
        c.at = tAt;
        uint256 mq;
        (out.mPoint, out.m, mq) = tree(t, p, c, tb.logSize, at(p, ro + 64), at(p, ro + 96));
        if (c.at != end - 32 * (cols + 1)) reject(3);
        (uint256 t0, uint256 t1) = tableEval(tb, out.mPoint);
        if (mq != sub(alpha, addmod(t0, mulmod(beta, t1, R), R))) reject(7);
        c.at = end;
    }

    // ---- claims and their merge (batch.rs) ---------------------------------------------------------------------

    function newClaims(uint256 cap, uint256 numVars) internal pure returns (Claims memory cl) {
        cl.points = new uint256[][](cap);
        cl.values = new uint256[](cap);
        cl.numVars = numVars;
    }

    /// Claims on a vector at base entries into a joint vector of numVars variables (layout.rs Layout::joint).
    function newClaimsAt(uint256 cap, uint256 numVars, uint256 base) internal pure returns (Claims memory cl) {
        cl = newClaims(cap, numVars);
        cl.base = base;
    }

    /// a's claims then b's, on one vector (format 4's joint merge: the model's, then the witness's).
    function concat(Claims memory a, Claims memory b) internal pure returns (Claims memory cl) {
        if (a.n != a.values.length || b.n != b.values.length || a.numVars != b.numVars) reject(3);
        cl = newClaims(a.n + b.n, a.numVars);
        for (uint256 k = 0; k < a.n; k++) (cl.points[k], cl.values[k]) = (a.points[k], a.values[k]);
        for (uint256 k = 0; k < b.n; k++) (cl.points[a.n + k], cl.values[a.n + k]) = (b.points[k], b.values[k]);
        cl.n = a.n + b.n;
    }

    /// A claim on a segment (its index offset / 2^vars) lifted onto the vector: local || the index's bits.
    function claim(Claims memory cl, uint256[] memory local, uint256 seg, uint256 value) internal pure {
        uint256 v = local.length;
        uint256[] memory z = new uint256[](cl.numVars);
        seg += cl.base >> v;
        for (uint256 i = 0; i < v; i++) z[i] = local[i];
        for (uint256 i = v; i < cl.numVars; i++) z[i] = (seg >> (i - v)) & 1;
        cl.points[cl.n] = z;
        cl.values[cl.n] = value;
        cl.n += 1;
    }

    /// The claims merged into one point s (points and values absorbed, alpha, a degree-2 sumcheck); returns s and
    /// P(s), which the opening then checks.
    function merge(Transcript memory t, bytes calldata p, Cursor memory c, Claims memory cl)
        internal
        pure
        returns (uint256[] memory s, uint256 pEval)
    {
        if (cl.n != cl.values.length) reject(3);
        uint256 nv = cl.numVars;
        uint256 n = cl.n;
        uint256[][] memory pts = cl.points;
        {
            // the points, concatenated past the free pointer, absorbed in one hash
            bytes32 st = t.state;
            assembly ("memory-safe") {
                let m := mload(0x40)
                mstore(m, st)
                mstore(add(m, 32), "batch points")
                let d := add(m, 64)
                for { let k := 0 } lt(k, n) { k := add(k, 1) } {
                    mcopy(add(d, mul(mul(k, nv), 32)), add(mload(add(add(pts, 32), mul(k, 32))), 32), mul(nv, 32))
                }
                st := keccak256(m, add(64, mul(mul(n, nv), 32)))
            }
            t.state = st;
        }
        absorbWords(t, "batch values", cl.values);
        uint256 alpha = challenge(t);
        uint256 total = 0;
        uint256 power = 1;
        for (uint256 k = 0; k < n; k++) {
            total = addmod(total, mulmod(power, cl.values[k], R), R);
            power = mulmod(power, alpha, R);
        }
        uint256 fin;
        (s, fin) = sumcheck(t, p, c, total, nv, 2);
        pEval = fe(p, c);
        // E(s) = sum_k alpha^k eq(z_k, s), eq's factor a b + (1 - a)(1 - b) = 2ab - a - b + 1
        uint256 eS = 0;
        assembly ("memory-safe") {
            let ps := add(s, 32)
            let pow := 1
            for { let k := 0 } lt(k, n) { k := add(k, 1) } {
                let pk := add(mload(add(add(pts, 32), mul(k, 32))), 32)
                let e := 1
                for { let i := 0 } lt(i, nv) { i := add(i, 1) } {
                    let a := mload(add(pk, mul(i, 32)))
                    let b := mload(add(ps, mul(i, 32)))
                    let ab := mulmod(a, b, R)
                    e := mulmod(e, addmod(addmod(ab, ab, R), addmod(1, sub(R, addmod(a, b, R)), R), R), R)
                }
                eS := addmod(eS, mulmod(pow, e, R), R)
                pow := mulmod(pow, alpha, R)
            }
        }
        if (fin != mulmod(eS, pEval, R)) reject(10);
        absorb1(t, "batch eval", pEval);
    }

    // ---- Hyrax opening (hyrax.rs) ------------------------------------------------------------------------------

    /// sum_i s_i P_i for points P_i (64-byte words in pts from byte 0) and scalars s_i, by the ecMul and ecAdd
    /// precompiles through one scratch buffer: [acc.x, acc.y, prod.x, prod.y] with the ecMul input written over prod.
    /// Each call gets exactly its price (EIP-1108: 6,000 and 150), so an invalid point costs no more than a valid
    /// one, and the loop stops at the first failure.
    function msm(bytes memory pts, uint256[] memory s) internal view returns (uint256[2] memory acc) {
        uint256[5] memory buf;
        bool ok = true;
        assembly ("memory-safe") {
            let base := add(pts, 32)
            let n := mload(s)
            for { let i := 0 } and(lt(i, n), ok) { i := add(i, 1) } {
                let si := mload(add(add(s, 32), mul(i, 32)))
                if si {
                    // too little gas left for both calls: run out of gas (not a refusal a caller could misread)
                    if lt(gas(), 8000) { invalid() }
                    let src := add(base, mul(i, 64))
                    mstore(add(buf, 64), mload(src))
                    mstore(add(buf, 96), mload(add(src, 32)))
                    mstore(add(buf, 128), si)
                    ok := staticcall(6000, 7, add(buf, 64), 96, add(buf, 64), 64)
                    if ok { ok := staticcall(150, 6, buf, 128, buf, 64) }
                }
            }
        }
        if (!ok) reject(13);
        acc[0] = buf[0];
        acc[1] = buf[1];
    }

    /// Each 64-byte point of pts is the identity (zeros) or on y^2 = x^3 + 3 with coordinates below q, as the
    /// Rust and TypeScript decoders require of every point they read (the MSM alone would skip a zero scalar's).
    function checkPoints(bytes memory pts) internal pure {
        bool ok = true;
        assembly ("memory-safe") {
            let q := 21888242871839275222246405745257275088696311157297823662689037894645226208583
            let base := add(pts, 32)
            let n := div(mload(pts), 64)
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let x := mload(add(base, mul(i, 64)))
                let y := mload(add(base, add(mul(i, 64), 32)))
                if or(x, y) {
                    let on := and(lt(x, q), lt(y, q))
                    on := and(on, eq(mulmod(y, y, q), addmod(mulmod(mulmod(x, x, q), x, q), 3, q)))
                    ok := and(ok, on)
                }
            }
        }
        if (!ok) reject(13);
    }

    /// The Hyrax opening at s of the vector committed by rows (64-byte points), generators gens: u read from the
    /// proof; sum_j u_j G_j = sum_i eq(s_high, i) C_i and <u, eq(s_low)> = value; u absorbed.
    function open(
        Transcript memory t,
        bytes calldata p,
        Cursor memory c,
        bytes memory rows,
        bytes memory gens,
        uint256[] memory s,
        uint256 value
    ) internal view {
        uint256 nv = s.length;
        uint256 colVars = (nv + 1) / 2;
        uint256 cols = 1 << colVars;
        if (rows.length != 64 << (nv - colVars) || gens.length < 64 * cols) reject(3);
        expectWord(p, c, cols);
        uint256 o = fes(p, c, cols);
        uint256[] memory u = new uint256[](cols);
        assembly ("memory-safe") {
            calldatacopy(add(u, 32), add(p.offset, o), mul(cols, 32))
        }
        if (inner(u, eqTable(s, 0, colVars), cols) != value) reject(12);
        uint256[2] memory lhs = msm(gens, u);
        uint256[2] memory rhs = msm(rows, eqTable(s, colVars, nv));
        if (lhs[0] != rhs[0] || lhs[1] != rhs[1]) reject(11);
        absorbCalldata(t, "hyrax opening", p, o, cols);
    }

    // ---- KZG opening: Gemini's folds, Shplonk's quotient, one pairing check (gemini.rs) -----------------------

    uint256 internal constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    /// Where the opening's parts start in the proof, and its challenges.
    struct Kzg {
        uint256 n;
        uint256 folds;
        uint256 evals;
        uint256 q;
        uint256 w;
        uint256 r;
        uint256 nu;
        uint256 z;
    }

    /// The point at calldata offset o: coordinates below q, on y^2 = x^3 + 3, not the identity.
    function kzgPoint(bytes calldata p, uint256 o) internal pure returns (uint256 x, uint256 y) {
        if (o + 64 > p.length) reject(1);
        x = at(p, o);
        y = at(p, o + 32);
        if (x >= Q || y >= Q || (x | y) == 0 || mulmod(y, y, Q) != addmod(mulmod(mulmod(x, x, Q), x, Q), 3, Q)) reject(18);
    }

    /// Reads and absorbs an opening of n variables (n - 1 folds, n evaluations, Q, W; gemini.rs's order), drawing
    /// r after the folds, nu after the evaluations and z after Q.
    function kzgRead(Transcript memory t, bytes calldata p, Cursor memory c, uint256 n) internal pure returns (Kzg memory k) {
        k.n = n;
        k.folds = c.at;
        for (uint256 i = 0; i + 1 < n; i++) kzgPoint(p, k.folds + 64 * i);
        absorbCalldata(t, "gemini folds", p, k.folds, 2 * (n - 1));
        c.at += 64 * (n - 1);
        k.r = challenge(t);
        k.evals = fes(p, c, n);
        absorbCalldata(t, "gemini evals", p, k.evals, n);
        k.nu = challenge(t);
        k.q = c.at;
        kzgPoint(p, k.q);
        absorbCalldata(t, "shplonk q", p, k.q, 2);
        k.z = challenge(t);
        k.w = k.q + 64;
        kzgPoint(p, k.w);
        absorbCalldata(t, "kzg w", p, k.w, 2);
        c.at = k.w + 64;
    }

    /// Every entry of a replaced by its inverse, with one modexp (Montgomery's trick); a zero entry is refused.
    function batchInverse(uint256[] memory a) internal view {
        uint256 n = a.length;
        uint256[] memory prefix = new uint256[](n);
        uint256 acc = 1;
        for (uint256 i = 0; i < n; i++) {
            prefix[i] = acc;
            acc = mulmod(acc, a[i], R);
        }
        if (acc == 0) reject(19);
        uint256[6] memory io = [uint256(32), 32, 32, acc, R - 2, R];
        bool ok;
        assembly ("memory-safe") {
            // too little gas for the call: run out of gas (never a refusal a caller could misread), as msm does
            if lt(gas(), 4000) { invalid() }
            ok := staticcall(gas(), 5, io, 192, io, 32)
        }
        if (!ok) reject(13);
        uint256 inv = io[0];
        for (uint256 i = n; i > 0; i--) {
            uint256 ai = a[i - 1];
            a[i - 1] = mulmod(inv, prefix[i - 1], R);
            inv = mulmod(inv, ai, R);
        }
    }

    /// (The combined commitment coefs[0] C_0 + coefs[1] C_1 is not computed, so unlike the Rust and TypeScript
    /// verifiers this one does not refuse it being the identity: that needs sigma = C_0 / (C_0 - C_1) in the group,
    /// a challenge drawn after both points, so it happens with probability about 1 / r, and the check then still
    /// holds only for the zero polynomial's value 0.)
    /// The opening's check (gemini.rs verify) of the polynomial committed as coefs[0] C_0 + coefs[1] C_1 (comms: C_0.x,
    /// C_0.y, C_1.x, C_1.y) at s with value v: the fold chain b_i derived from b_n = v, never read; the Shplonk
    /// weights; [L] + z[W] = sum_i (c_i^- + c_i^+) [A_i] - (sum_i c_i^- b_i + c_i^+ a_i) [1]_1 - [Q] + z [W] by one
    /// MSM; and e([L] + z[W], [1]_2) e(-[W], [tau]_2) = 1 by one ecPairing call of two pairs.
    function kzgCheck(bytes calldata p, Kzg memory k, uint256[] memory s, uint256 v, uint256[4] memory comms, uint256[2] memory coefs, uint256[4] memory tauG2)
        internal
        view
    {
        uint256 n = k.n;
        if (k.r == 0 || s.length != n) reject(19);
        // inv: the fold denominators w_i (1 - s_i) + s_i, then z - w_i, then z + w_i
        uint256[] memory w = new uint256[](n);
        uint256[] memory inv = new uint256[](3 * n);
        for (uint256 i = 0; i < n; i++) {
            w[i] = i == 0 ? k.r : mulmod(w[i - 1], w[i - 1], R);
            inv[i] = addmod(mulmod(w[i], sub(1, s[i]), R), s[i], R);
            inv[n + i] = sub(k.z, w[i]);
            inv[2 * n + i] = addmod(k.z, w[i], R);
        }
        batchInverse(inv);
        uint256[] memory scalars = new uint256[](n + 3);
        uint256 constant_ = 0;
        {
            // nus[i] = nu^(2i)
            uint256[] memory nus = new uint256[](n);
            uint256 nu2 = mulmod(k.nu, k.nu, R);
            nus[0] = 1;
            for (uint256 i = 1; i < n; i++) nus[i] = mulmod(nus[i - 1], nu2, R);
            uint256 b = v;
            for (uint256 i = n; i > 0; i--) {
                uint256 j = i - 1;
                uint256 a = at(p, k.evals + 32 * j);
                // b_j = (2 w_j b_(j+1) - a_j (w_j (1 - s_j) - s_j)) / (w_j (1 - s_j) + s_j)
                uint256 num = sub(mulmod(addmod(w[j], w[j], R), b, R), mulmod(a, sub(mulmod(w[j], sub(1, s[j]), R), s[j]), R));
                b = mulmod(num, inv[j], R);
                uint256 cm = mulmod(nus[j], inv[n + j], R);
                uint256 cp = mulmod(mulmod(nus[j], k.nu, R), inv[2 * n + j], R);
                constant_ = addmod(constant_, addmod(mulmod(cm, b, R), mulmod(cp, a, R), R), R);
                // A_0's weight goes to the commitments, A_j's (j >= 1) to fold j
                if (j == 0) {
                    uint256 c0 = addmod(cm, cp, R);
                    scalars[0] = mulmod(coefs[0], c0, R);
                    scalars[1] = mulmod(coefs[1], c0, R);
                } else {
                    scalars[1 + j] = addmod(cm, cp, R);
                }
            }
        }
        scalars[n + 1] = sub(0, constant_);
        scalars[n + 2] = k.z;
        bytes memory pts = new bytes(64 * (n + 3));
        assembly ("memory-safe") {
            let d := add(pts, 32)
            mstore(d, mload(comms))
            mstore(add(d, 32), mload(add(comms, 32)))
            mstore(add(d, 64), mload(add(comms, 64)))
            mstore(add(d, 96), mload(add(comms, 96)))
            calldatacopy(add(d, 128), add(p.offset, mload(add(k, 32))), mul(64, sub(n, 1)))
            let g := add(d, mul(64, add(n, 1)))
            mstore(g, 1)
            mstore(add(g, 32), 2)
            calldatacopy(add(g, 64), add(p.offset, mload(add(k, 128))), 64)
        }
        uint256[2] memory acc = msm(pts, scalars);
        // minus Q: add (Q.x, q - Q.y); then the pairing of (acc - Q, [1]_2) and (-W, [tau]_2)
        uint256[12] memory e;
        e[0] = acc[0];
        e[1] = acc[1];
        e[2] = at(p, k.q);
        e[3] = Q - at(p, k.q + 32);
        bool ok;
        assembly ("memory-safe") {
            if lt(gas(), 1000) { invalid() }
            ok := staticcall(150, 6, e, 128, e, 64)
        }
        if (!ok) reject(13);
        (e[2], e[3], e[4], e[5]) = (G2_X1, G2_X0, G2_Y1, G2_Y0);
        (e[6], e[7]) = (at(p, k.w), Q - at(p, k.w + 32));
        (e[8], e[9], e[10], e[11]) = (tauG2[0], tauG2[1], tauG2[2], tauG2[3]);
        assembly ("memory-safe") {
            // the two-pair pairing costs 113,000: with less, out of gas rather than a refusal
            if lt(gas(), 120000) { invalid() }
            ok := staticcall(gas(), 8, e, 384, e, 32)
        }
        if (!ok) reject(13);
        if (e[0] != 1) reject(20);
    }

    /// [1]_2, G2's generator, in EIP-197's word order (x's imaginary coefficient first).
    uint256 internal constant G2_X1 = 11559732032986387107991004021392285783925812861821192530917403151452391805634;
    uint256 internal constant G2_X0 = 10857046999023057135944570762232829481370756359578518086990519993285655852781;
    uint256 internal constant G2_Y1 = 4082367875863433681332203403145435568316851327593401208105741076214120093531;
    uint256 internal constant G2_Y0 = 8495653923123431417604973247489272438418190587263600148770280649306958101930;

    // ---- layers (network.rs verify_with) -----------------------------------------------------------------------

    /// n as aligned power-of-two runs, largest first: (offset, log2 size) per binary digit (architecture.ts pow2Parts).
    function parts(uint256 n) internal pure returns (uint256[] memory off, uint256[] memory lg) {
        uint256 count = 0;
        for (uint256 b = 0; b <= 40; b++) if ((n >> b) & 1 == 1) count++;
        off = new uint256[](count);
        lg = new uint256[](count);
        uint256 k = 0;
        uint256 o = 0;
        for (uint256 j = 41; j > 0; j--) {
            uint256 b = j - 1;
            if ((n >> b) & 1 == 1) {
                off[k] = o;
                lg[k] = b;
                o += 1 << b;
                k++;
            }
        }
    }

    /// eq of p's coordinates past the first low with the bits of offset / 2^low.
    function eqHigh(uint256[] memory p, uint256 low, uint256 offset) internal pure returns (uint256 e) {
        uint256 idx = offset >> low;
        e = 1;
        for (uint256 i = low; i < p.length; i++) e = mulmod(e, (idx >> (i - low)) & 1 == 1 ? p[i] : R + 1 - p[i], R);
    }

    /// The program's word i (uint32, big-endian).
    function pw(bytes memory prog, uint256 i) internal pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := shr(224, mload(add(add(prog, 32), mul(i, 4))))
        }
    }

    /// A dense op: program words at i: 1, m, n, log2ceil(m), log2ceil(n), the bias's segment, then one segment per
    /// W block (row run major). Turns the claim on its output into one on its input.
    function dense(Transcript memory t, bytes calldata p, Cursor memory c, Claims memory cm, bytes memory prog, uint256 i, Claim memory cur)
        internal
        pure
    {
        if (word(p, c) != 1) reject(17);
        uint256 bias = fe(p, c);
        absorb1(t, "dense bias", bias);
        claim(cm, cur.point, pw(prog, i + 5), bias);
        (uint256[] memory sigma, uint256 fin) = sumcheck(t, p, c, sub(cur.value, bias), pw(prog, i + 4), 2);
        uint256 o = fes(p, c, 2);
        if (fin != mulmod(at(p, o), at(p, o + 32), R)) reject(5);
        absorbCalldata(t, "dense evals", p, o, 2);
        wBlocks(t, p, c, cm, prog, i, cur.point, sigma, at(p, o));
        cur.point = sigma;
        cur.value = at(p, o + 32);
    }

    /// W's blocks: their count, their evaluations combined to W~(rho, sigma) = wEval, each claimed on its segment,
    /// then absorbed.
    function wBlocks(
        Transcript memory t,
        bytes calldata p,
        Cursor memory c,
        Claims memory cm,
        bytes memory prog,
        uint256 i,
        uint256[] memory rho,
        uint256[] memory sigma,
        uint256 wEval
    ) internal pure {
        uint256[][4] memory rc;
        (rc[0], rc[1]) = parts(pw(prog, i + 1));
        (rc[2], rc[3]) = parts(pw(prog, i + 2));
        uint256 nb = rc[0].length * rc[2].length;
        expectWord(p, c, nb);
        uint256 bo = fes(p, c, nb);
        uint256 w = 0;
        for (uint256 k = 0; k < nb; k++) {
            uint256 a = k / rc[2].length;
            uint256 b = k % rc[2].length;
            uint256 blk = at(p, bo + 32 * k);
            w = addmod(w, mulmod(mulmod(eqHigh(rho, rc[1][a], rc[0][a]), eqHigh(sigma, rc[3][b], rc[2][b]), R), blk, R), R);
            claim(cm, joined(sigma, rc[3][b], rho, rc[1][a]), pw(prog, i + 6 + k), blk);
        }
        if (w != wEval) reject(8);
        absorbCalldata(t, "dense w blocks", p, bo, nb);
    }

    /// a's first na coordinates, then b's first nb.
    function joined(uint256[] memory a, uint256 na, uint256[] memory b, uint256 nb) internal pure returns (uint256[] memory z) {
        z = new uint256[](na + nb);
        for (uint256 j = 0; j < na; j++) z[j] = a[j];
        for (uint256 j = 0; j < nb; j++) z[na + j] = b[j];
    }

    /// A requant op: program words at i: 2, its columns' variables, shift, relu, bits, clamp (0: none), then the
    /// segments of a, q, r, the range multiplicities, the activation multiplicities.
    function requant(Transcript memory t, bytes calldata p, Cursor memory c, Claims memory cw, bytes memory prog, uint256 i, Claim memory cur)
        internal
        pure
    {
        if (word(p, c) != 2) reject(17);
        claim(cw, cur.point, pw(prog, i + 6), cur.value);
        uint256 o = fes(p, c, 2);
        absorbCalldata(t, "requant evals", p, o, 2);
        claim(cw, cur.point, pw(prog, i + 7), at(p, o));
        claim(cw, cur.point, pw(prog, i + 8), at(p, o + 32));
        uint256 shift = pw(prog, i + 2);
        cur.value = addmod(mulmod(1 << shift, at(p, o), R), at(p, o + 32), R);
        {
            uint256 relu = pw(prog, i + 3);
            uint256 bits = pw(prog, i + 4);
            uint256 clampBits = pw(prog, i + 5);
            t.state = keccak256(abi.encodePacked(t.state, bytes32("requant op"), shift, relu, bits, clampBits == 0 ? 0 : uint256(1), clampBits));
        }
        (Table memory range, Table memory act) = requantTables(shift, pw(prog, i + 3) == 1, pw(prog, i + 4), pw(prog, i + 5));
        LookupClaims memory rc = logup(t, p, c, pw(prog, i + 1), range);
        LookupClaims memory ac = logup(t, p, c, pw(prog, i + 1), act);
        claim(cw, rc.fPoint, pw(prog, i + 8), rc.f0);
        claim(cw, ac.fPoint, pw(prog, i + 7), ac.f0);
        claim(cw, ac.fPoint, pw(prog, i + 6), ac.f1);
        claim(cw, rc.mPoint, pw(prog, i + 9), rc.m);
        claim(cw, ac.mPoint, pw(prog, i + 10), ac.m);
    }

    /// Every op of the program from the last down (the program lists them in that order): the claim on the
    /// network's output carried to its input. Program: the op count, then per op its words (dense 6 + blocks,
    /// requant 11).
    function layers(Transcript memory t, bytes calldata p, Cursor memory c, Claims memory cm, Claims memory cw, bytes memory prog, Claim memory cur)
        internal
        pure
    {
        uint256 n = pw(prog, 0);
        uint256 i = 1;
        for (uint256 k = 0; k < n; k++) {
            uint256 kind = pw(prog, i);
            if (kind == 1) {
                dense(t, p, c, cm, prog, i, cur);
                uint256 ra = 0;
                uint256 ca = 0;
                for (uint256 b = 0; b <= 40; b++) {
                    ra += (pw(prog, i + 1) >> b) & 1;
                    ca += (pw(prog, i + 2) >> b) & 1;
                }
                i += 6 + ra * ca;
            } else {
                requant(t, p, c, cw, prog, i, cur);
                i += 11;
            }
        }
    }
}
`;

//! BLAKE2b-512 whose state can be saved part way and resumed, for the hashes of a ptau transcript.
//!
//! Why this exists: a ptau contribution record stores its response hash as a "partial hash", the BLAKE2b state
//! after the challenge and the compressed points and before the contributor's public key, so that a verifier can
//! finish it (snarkjs: misc.fromPartialHash). The state therefore has to leave the hasher in the 216-byte layout
//! snarkjs reads, which the `blake2` crate (used for every other hash here, and below as the reference the tests
//! check this one against) keeps private; so the compression function (RFC 7693) is here, 60 lines:
//!   bytes 0..127   the pending block (the last block is only compressed when more data arrives, or at the end)
//!   u32 [0..15]    h[0..7] as (low, high) 32-bit halves        (bytes 128..191)
//!   u32 [16..17]   bytes compressed so far (length - pos), low and high
//!   u32 [18..19]   pos, bytes pending in the block
//!   8 bytes        unused
//! Only the unkeyed 64-byte digest (parameter block 0x01010040).

pub const STATE_BYTES: usize = 216;

const IV: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

pub struct State {
    h: [u64; 8],
    buf: [u8; 128],
    pos: usize,
    /// bytes taken in, the pending ones included
    length: u64,
}

impl State {
    pub fn new() -> State {
        let mut h = IV;
        h[0] ^= 0x0101_0040; // digest 64 bytes, no key, fanout 1, depth 1
        State { h, buf: [0; 128], pos: 0, length: 0 }
    }

    fn compress(&mut self, last: bool) {
        let mut m = [0u64; 16];
        for (i, w) in m.iter_mut().enumerate() {
            *w = u64::from_le_bytes(self.buf[8 * i..8 * i + 8].try_into().unwrap());
        }
        let mut v = [0u64; 16];
        v[..8].copy_from_slice(&self.h);
        v[8..].copy_from_slice(&IV);
        v[12] ^= self.length; // the counter: bytes up to the end of this block (below 2^64 here)
        if last {
            v[14] = !v[14];
        }
        #[inline(always)]
        fn g(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize, x: u64, y: u64) {
            v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
            v[d] = (v[d] ^ v[a]).rotate_right(32);
            v[c] = v[c].wrapping_add(v[d]);
            v[b] = (v[b] ^ v[c]).rotate_right(24);
            v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
            v[d] = (v[d] ^ v[a]).rotate_right(16);
            v[c] = v[c].wrapping_add(v[d]);
            v[b] = (v[b] ^ v[c]).rotate_right(63);
        }
        for r in 0..12 {
            let s = &SIGMA[r % 10];
            g(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
            g(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
            g(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
            g(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
            g(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
            g(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
            g(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
            g(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for i in 0..8 {
            self.h[i] ^= v[i] ^ v[i + 8];
        }
    }

    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.pos == 128 {
                self.compress(false);
                self.pos = 0;
            }
            let take = (128 - self.pos).min(data.len());
            self.buf[self.pos..self.pos + take].copy_from_slice(&data[..take]);
            self.pos += take;
            self.length += take as u64;
            data = &data[take..];
        }
    }

    /// The digest of what was taken in; the state itself is left as it was.
    pub fn digest(&self) -> [u8; 64] {
        let mut s = State { h: self.h, buf: self.buf, pos: self.pos, length: self.length };
        s.buf[s.pos..].fill(0);
        s.compress(true);
        let mut out = [0u8; 64];
        for (i, w) in s.h.iter().enumerate() {
            out[8 * i..8 * i + 8].copy_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// The state in snarkjs's layout (see above).
    pub fn save(&self, b: &mut [u8]) {
        b[..STATE_BYTES].fill(0);
        b[..128].copy_from_slice(&self.buf);
        for (i, w) in self.h.iter().enumerate() {
            b[128 + 8 * i..136 + 8 * i].copy_from_slice(&w.to_le_bytes()); // (low, high) halves: little-endian u64
        }
        let compressed = self.length - self.pos as u64;
        b[192..200].copy_from_slice(&compressed.to_le_bytes());
        b[200..208].copy_from_slice(&(self.pos as u64).to_le_bytes());
    }

    /// A state saved by `save`; None when the bytes cannot be one (a pending count above a block).
    pub fn load(b: &[u8]) -> Option<State> {
        if b.len() != STATE_BYTES {
            return None;
        }
        let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap());
        let mut h = [0u64; 8];
        for (i, w) in h.iter_mut().enumerate() {
            *w = word(128 + 8 * i);
        }
        let (compressed, pos) = (word(192), word(200));
        if pos > 128 || compressed % 128 != 0 {
            return None;
        }
        Some(State { h, buf: b[..128].try_into().unwrap(), pos: pos as usize, length: compressed + pos })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use blake2::{Blake2b512, Digest};

    #[test]
    fn matches_the_blake2_crate_at_every_split() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for len in [0usize, 1, 127, 128, 129, 255, 256, 257, 1000] {
            let want: [u8; 64] = Blake2b512::digest(&data[..len]).into();
            for split in [0, len / 3, len / 2, len] {
                let mut s = State::new();
                s.update(&data[..split]);
                let mut saved = [0u8; STATE_BYTES];
                s.save(&mut saved);
                let mut r = State::load(&saved).unwrap();
                r.update(&data[split..len]);
                assert_eq!(r.digest(), want, "len {len} split {split}");
            }
        }
    }
}

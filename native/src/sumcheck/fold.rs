//! Folding a matrix of small integers along field weights: out[j] = sum_i weights[i] * w[i][j]. The dense layer
//! folds W along eq(rho, i) (W~(rho, j) for every column j), and a Hyrax opening folds the committed rows along
//! eq(r_high, i). O(rows * cols) and the bulk of a dense layer's prover time, so three ways are kept and measured.

use super::mle::fr_from_i64;
use ark_bn254::Fr;
use ark_ff::Zero;
use rayon::prelude::*;

/// How each entry becomes a field element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldMethod {
    /// Fr::from(v) for every entry, then one multiplication (a Montgomery conversion and a product per entry).
    FromOnTheFly,
    /// One table Fr(v) for v in [min, max], then one multiplication per entry.
    Lookup,
    /// Per row, the table weights[i] * v for v in [min, max] built by additions, then one addition per entry:
    /// no multiplication at all when the values' range is small beside the row's length.
    RowTable,
    /// RowTable when the range is at most half a row, else Lookup when the range is at most 2^16, else FromOnTheFly.
    Auto,
}

/// out[j] = sum_{i < rows} weights[i] * w[i * cols + j] for j < cols. `w` is row-major with `rows` rows of `cols`
/// entries; `weights` has at least `rows` entries (rows past it would weigh zero: callers pad by passing fewer
/// rows). Parallel over blocks of rows (about 2^16 entries each), each with its own accumulator, summed at the end;
/// each block takes its own value range (Auto chooses per block, an all-zero block is skipped), so a few wide rows
/// (a Hyrax opening's remainders and biases) do not slow the narrow ones.
pub fn fold_rows(w: &[i64], rows: usize, cols: usize, weights: &[Fr], method: FoldMethod) -> Vec<Fr> {
    assert_eq!(w.len(), rows * cols, "matrix of the wrong size");
    assert!(weights.len() >= rows, "fewer weights than rows");
    if rows == 0 || cols == 0 {
        return vec![Fr::zero(); cols];
    }
    let threads = rayon::current_num_threads().max(1);
    let block = rows.div_ceil(threads * 2).min((1 << 16) / cols).max(1);
    let add = |mut a: Vec<Fr>, b: Vec<Fr>| {
        for (x, y) in a.iter_mut().zip(b) {
            *x += y;
        }
        a
    };
    (0..rows.div_ceil(block))
        .into_par_iter()
        .filter_map(|blk| {
            let (r0, r1) = (blk * block, ((blk + 1) * block).min(rows));
            let part = &w[r0 * cols..r1 * cols];
            let (min, max) = part.iter().fold((i64::MAX, i64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
            if (min, max) == (0, 0) || weights[r0..r1].iter().all(|e| e.is_zero()) {
                return None;
            }
            let range = (max as i128 - min as i128 + 1) as u128;
            let method = match method {
                FoldMethod::Auto if range <= (cols as u128 / 2).max(16) => FoldMethod::RowTable,
                FoldMethod::Auto if range <= (1 << 16).min(part.len() as u128 / 4) => FoldMethod::Lookup,
                FoldMethod::Auto => FoldMethod::FromOnTheFly,
                m => m,
            };
            assert!(method == FoldMethod::FromOnTheFly || range <= 1 << 24, "value range too wide for a table");
            let range = range as usize;
            let lookup: Vec<Fr> = if method == FoldMethod::Lookup { (0..range).map(|k| fr_from_i64(min + k as i64)).collect() } else { Vec::new() };
            let mut acc = vec![Fr::zero(); cols];
            let mut table = vec![Fr::zero(); if method == FoldMethod::RowTable { range } else { 0 }];
            for i in r0..r1 {
                let e = weights[i];
                if e.is_zero() {
                    continue;
                }
                let row = &w[i * cols..(i + 1) * cols];
                match method {
                    FoldMethod::FromOnTheFly => {
                        for (a, &v) in acc.iter_mut().zip(row) {
                            *a += e * fr_from_i64(v);
                        }
                    }
                    FoldMethod::Lookup => {
                        for (a, &v) in acc.iter_mut().zip(row) {
                            *a += e * lookup[(v - min) as usize];
                        }
                    }
                    FoldMethod::RowTable => {
                        table[0] = e * fr_from_i64(min);
                        for k in 1..range {
                            table[k] = table[k - 1] + e;
                        }
                        for (a, &v) in acc.iter_mut().zip(row) {
                            *a += table[(v - min) as usize];
                        }
                    }
                    FoldMethod::Auto => unreachable!(),
                }
            }
            Some(acc)
        })
        .reduce(|| vec![Fr::zero(); cols], add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_std::{rand::Rng, test_rng, UniformRand};
    use std::time::Instant;

    fn naive(w: &[i64], rows: usize, cols: usize, weights: &[Fr]) -> Vec<Fr> {
        (0..cols).map(|j| (0..rows).map(|i| weights[i] * Fr::from(w[i * cols + j])).sum()).collect()
    }

    #[test]
    fn every_method_agrees_with_the_definition() {
        let mut rng = test_rng();
        for (rows, cols, lo, hi) in [(1, 1, -3, 3), (3, 5, -128, 127), (17, 64, -128, 127), (40, 300, -5, 1000), (8, 8, 0, 0)] {
            let w: Vec<i64> = (0..rows * cols).map(|_| rng.gen_range(lo..=hi)).collect();
            let weights: Vec<Fr> = (0..rows).map(|_| Fr::rand(&mut rng)).collect();
            let want = naive(&w, rows, cols, &weights);
            for m in [FoldMethod::FromOnTheFly, FoldMethod::Lookup, FoldMethod::RowTable, FoldMethod::Auto] {
                assert_eq!(fold_rows(&w, rows, cols, &weights, m), want, "{rows}x{cols} {m:?}");
            }
        }
        // Wide values: only the on-the-fly method (Auto picks it).
        let w = vec![i64::MIN / 2, 0, i64::MAX / 2, 1];
        let weights = vec![Fr::from(3u64), Fr::from(5u64)];
        assert_eq!(fold_rows(&w, 2, 2, &weights, FoldMethod::Auto), naive(&w, 2, 2, &weights));
    }

    /// Blocks of rows with their own ranges (narrow, wide, all zero, zero weights): Auto picks per block.
    #[test]
    fn mixed_row_blocks_agree_with_the_definition() {
        let mut rng = test_rng();
        let (rows, cols) = (96, 2048);
        let w: Vec<i64> = (0..rows * cols)
            .map(|i| match (i / cols) / 16 {
                0 | 3 => rng.gen_range(-128..=127),
                1 => rng.gen_range(-100_000..=100_000),
                2 => rng.gen_range(-3000..=3000),
                _ => 0,
            })
            .collect();
        let mut weights: Vec<Fr> = (0..rows).map(|_| Fr::rand(&mut rng)).collect();
        weights[48..64].iter_mut().for_each(|e| *e = Fr::zero());
        let want = naive(&w, rows, cols, &weights);
        for m in [FoldMethod::FromOnTheFly, FoldMethod::Auto] {
            assert_eq!(fold_rows(&w, rows, cols, &weights, m), want, "{m:?}");
        }
    }

    /// The measurement the dense layer's prover rests on: W of 1024 x 4096 signed 8-bit values folded along
    /// eq(rho). `cargo test --release measure_fold -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn measure_fold_1024x4096() {
        let mut rng = test_rng();
        let (rows, cols) = (1024, 4096);
        let w: Vec<i64> = (0..rows * cols).map(|_| rng.gen_range(-128..=127)).collect();
        let rho: Vec<Fr> = (0..10).map(|_| Fr::rand(&mut rng)).collect();
        let eq = super::super::mle::eq_table(&rho);
        let mut reference = None;
        for m in [FoldMethod::FromOnTheFly, FoldMethod::Lookup, FoldMethod::RowTable] {
            let (mut best, mut best_cpu) = (f64::MAX, f64::MAX);
            for _ in 0..3 {
                let (t, c0) = (Instant::now(), super::super::cpu_seconds());
                let out = fold_rows(&w, rows, cols, &eq, m);
                best = best.min(t.elapsed().as_secs_f64() * 1e3);
                best_cpu = best_cpu.min((super::super::cpu_seconds() - c0) * 1e3);
                match &reference {
                    None => reference = Some(out),
                    Some(r) => assert_eq!(&out, r),
                }
            }
            println!(
                "fold 1024x4096 i8 along eq, {m:?}: {best:.1} ms wall, {best_cpu:.0} ms CPU (best of 3, {} threads)",
                rayon::current_num_threads()
            );
        }
    }
}

//! What this project's bit-heavy witnesses buy the prover (issue 18): the A section's MSM with the real witness
//! against the same bases with dense random scalars, and the H section's MSM (dense by nature) for scale.
//!   cargo run --release --example msm_bits -- <circuit.zkey> <witness.wtns>
use ark_bn254::{Fq, Fr, G1Affine, G1Projective};
use ark_ec::VariableBaseMSM;
use ark_ff::{BigInt, BigInteger, PrimeField, UniformRand};
use std::time::Instant;

fn sections(b: &[u8]) -> std::collections::HashMap<u32, &[u8]> {
    let mut m = std::collections::HashMap::new();
    let n = u32::from_le_bytes(b[8..12].try_into().unwrap());
    let mut at = 12usize;
    for _ in 0..n {
        let t = u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
        let size = u64::from_le_bytes(b[at + 4..at + 12].try_into().unwrap()) as usize;
        m.insert(t, &b[at + 12..at + 12 + size]);
        at += 12 + size;
    }
    m
}

fn limbs(b: &[u8]) -> [u64; 4] {
    let mut l = [0u64; 4];
    for (i, x) in l.iter_mut().enumerate() {
        *x = u64::from_le_bytes(b[8 * i..8 * i + 8].try_into().unwrap());
    }
    l
}

fn g1s(b: &[u8]) -> Vec<G1Affine> {
    b.chunks(64)
        .map(|p| if p.iter().all(|&x| x == 0) { G1Affine::identity() } else { G1Affine::new_unchecked(Fq::new_unchecked(BigInt::new(limbs(&p[..32]))), Fq::new_unchecked(BigInt::new(limbs(&p[32..])))) })
        .collect()
}

fn time(what: &str, f: impl Fn() -> G1Projective) {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let _ = std::hint::black_box(f());
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!("{what}: {best:.1} ms (best of 5)");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let zkey = std::fs::read(&args[1]).unwrap();
    let wtns = std::fs::read(&args[2]).unwrap();
    let (z, w) = (sections(&zkey), sections(&wtns));
    let witness: Vec<Fr> = w[&2].chunks(32).map(|c| Fr::from_bigint(BigInt::new(limbs(c))).unwrap()).collect();
    let a = g1s(z[&5]);
    let h = g1s(z[&9]);
    let bits = witness.iter().filter(|x| x.into_bigint().num_bits() <= 1).count();
    let small = witness.iter().filter(|x| x.into_bigint().num_bits() <= 16).count();
    println!("witness: {} values, {} are 0 or 1 ({:.0}%), {} fit 16 bits ({:.0}%)", witness.len(), bits, 100.0 * bits as f64 / witness.len() as f64, small, 100.0 * small as f64 / witness.len() as f64);
    let mut rng = ark_std::test_rng();
    let dense: Vec<Fr> = (0..witness.len()).map(|_| Fr::rand(&mut rng)).collect();
    let hs: Vec<Fr> = (0..h.len()).map(|_| Fr::rand(&mut rng)).collect();
    time(&format!("A ({} points), the witness", a.len()), || G1Projective::msm_unchecked(&a, &witness));
    time(&format!("A ({} points), dense random scalars", a.len()), || G1Projective::msm_unchecked(&a, &dense));
    time(&format!("H ({} points), dense", h.len()), || G1Projective::msm_unchecked(&h, &hs));
    // fixed-base multiplication, ark-ec's BatchMulPreprocessing, for comparison with the addon's comb (src/fixed_base.rs: about 1.0 s for 2^18 G1
    // on 2 threads, the C++ comb it replaced 1.3-1.45 s)
    use ark_ec::{scalar_mul::BatchMulPreprocessing, PrimeGroup};
    let t = Instant::now();
    let table = BatchMulPreprocessing::new(G1Projective::generator(), hs.len());
    let pts = table.batch_mul(&hs);
    println!("fixed-base G1, {} scalars: {:.0} ms", pts.len(), t.elapsed().as_secs_f64() * 1000.0);
    let t = Instant::now();
    let table = BatchMulPreprocessing::new(ark_bn254::G2Projective::generator(), hs.len());
    let pts = table.batch_mul(&hs);
    println!("fixed-base G2, {} scalars: {:.0} ms", pts.len(), t.elapsed().as_secs_f64() * 1000.0);
}

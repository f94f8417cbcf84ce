//! zkml-hardhat's native Groth16 prover, loaded by Node as an N-API addon (native/build/Release/prover.node).
//! It reads snarkjs's own proving key and witness and writes the proof snarkjs would, so stock `snarkjs groth16
//! verify` and the generated Solidity verifiers accept it. The work runs on a libuv worker thread (and rayon's
//! pool) so the calling process stays responsive.

mod container;
mod encoding;
mod error;
mod groth16;
mod qap;
mod r1cs;
mod wtns;
mod zkey;

use encoding::dec;
use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;

#[napi(object)]
pub struct Timing {
    pub phase: String,
    pub ms: f64,
}

/// A proof in snarkjs's JSON shape (projective coordinates with z = 1), its public signals and phase timings.
#[napi(object)]
pub struct ProofJson {
    pub pi_a: Vec<String>,
    pub pi_b: Vec<Vec<String>>,
    pub pi_c: Vec<String>,
    pub public_signals: Vec<String>,
    pub timings: Vec<Timing>,
}

pub struct ProveTask {
    zkey: String,
    wtns: String,
    r1cs: String,
}

impl Task for ProveTask {
    type Output = groth16::Proof;
    type JsValue = ProofJson;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        groth16::prove(&self.zkey, &self.wtns, &self.r1cs).map_err(|e| napi::Error::from_reason(e.to_string()))
    }

    fn resolve(&mut self, _env: Env, p: Self::Output) -> napi::Result<ProofJson> {
        let g1 = |q: ark_bn254::G1Affine| vec![dec(q.x), dec(q.y), "1".to_string()];
        Ok(ProofJson {
            pi_a: g1(p.a),
            pi_b: vec![vec![dec(p.b.x.c0), dec(p.b.x.c1)], vec![dec(p.b.y.c0), dec(p.b.y.c1)], vec!["1".to_string(), "0".to_string()]],
            pi_c: g1(p.c),
            public_signals: p.public.iter().map(|x| dec(*x)).collect(),
            timings: p.timings.into_iter().map(|(phase, ms)| Timing { phase, ms }).collect(),
        })
    }
}

/// Prove with a snarkjs Groth16 key; `r1cs` is the key's circuit, used to refuse a witness that does not satisfy it.
#[napi]
pub fn prove(zkey: String, wtns: String, r1cs: String) -> AsyncTask<ProveTask> {
    AsyncTask::new(ProveTask { zkey, wtns, r1cs })
}

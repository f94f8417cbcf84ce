//! zkml-hardhat's native Groth16 prover and development setup, loaded by Node as an N-API addon
//! (native/build/Release/zkml_prover.node).
//! It reads snarkjs's own proving key and witness and writes the proof snarkjs would, so stock `snarkjs groth16
//! verify` and the generated Solidity verifiers accept it. The work runs on a libuv worker thread (and rayon's
//! pool) so the calling process stays responsive.

mod container;
mod encoding;
mod error;
mod groth16;
mod qap;
mod r1cs;
mod setup;
mod wtns;
mod zkey;

use encoding::dec;
use napi::bindgen_prelude::{AsyncTask, Buffer};
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

/// Where a setup's points come from: a development ptau's secrets (tau, alpha, beta), or a ptau file's points.
enum Route {
    Secrets(Vec<u8>),
    Ptau(String),
}

pub struct SetupTask {
    r1cs: String,
    zkey: String,
    route: Route,
    delta: Vec<u8>,
    h_u: Vec<u8>,
}

fn scalar(b: &[u8], what: &str) -> napi::Result<ark_bn254::Fr> {
    (b.len() == 32).then(|| encoding::fr_plain(b)).flatten().ok_or_else(|| napi::Error::from_reason(format!("SETUP_FAILED\t\t{what}: expected 32 bytes below the field's modulus")))
}

impl Task for SetupTask {
    type Output = [u8; 64];
    type JsValue = Buffer;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let delta = scalar(&self.delta, "delta")?;
        let made = match &self.route {
            Route::Secrets(b) if b.len() == 96 => {
                let s = setup::Secrets { tau: scalar(&b[..32], "tau")?, alpha: scalar(&b[32..64], "alpha")?, beta: scalar(&b[64..], "beta")?, delta };
                setup::dev_zkey(&self.r1cs, &self.zkey, &s, &self.h_u)
            }
            Route::Secrets(_) => return Err(napi::Error::from_reason("SETUP_FAILED\t\texpected three 32-byte secrets")),
            Route::Ptau(ptau) => setup::ceremony_zkey(&self.r1cs, ptau, &self.zkey, delta, &self.h_u),
        };
        made.map_err(|e| napi::Error::from_reason(e.to_string()))
    }

    fn resolve(&mut self, _env: Env, h: Self::Output) -> napi::Result<Buffer> {
        Ok(h.to_vec().into())
    }
}

/// A development proving key from a ptau's known secrets (tau, alpha, beta: 3 x 32 bytes, little-endian) and this
/// setup's delta (32 bytes): writes sections 1..9 and returns the circuit hash (see setup.rs).
#[napi]
pub fn dev_zkey(r1cs: String, zkey: String, secrets: Buffer, delta: Buffer, h_u: Buffer) -> AsyncTask<SetupTask> {
    AsyncTask::new(SetupTask { r1cs, zkey, route: Route::Secrets(secrets.to_vec()), delta: delta.to_vec(), h_u: h_u.to_vec() })
}

/// A proving key from a ceremony's ptau and one contribution of secret delta (32 bytes LE): writes sections 1..9
/// and returns the circuit hash (see setup.rs).
#[napi]
pub fn ceremony_zkey(r1cs: String, ptau: String, zkey: String, delta: Buffer, h_u: Buffer) -> AsyncTask<SetupTask> {
    AsyncTask::new(SetupTask { r1cs, zkey, route: Route::Ptau(ptau), delta: delta.to_vec(), h_u: h_u.to_vec() })
}

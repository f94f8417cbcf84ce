//! zkml-hardhat's native addon, loaded by Node through N-API (native/build/Release/zkml_native.node): the Groth16
//! prover and setup, fixed-base multiplication, the hashes' point encodings and a resumable BLAKE2b.
//! The prover reads snarkjs's own proving key and witness and writes the proof snarkjs would, so stock `snarkjs
//! groth16 verify` and the generated Solidity verifiers accept it. Long work runs on a libuv worker thread (and
//! rayon's pool) so the calling process stays responsive.
//!
//! This file is the edge: the only one that reads or writes files, or knows about JavaScript. Errors leave as
//! error.rs's JSON form, with a code from its one list.

mod blake2b;
mod container;
mod encoding;
mod error;
mod fixed_base;
mod groth16;
mod qap;
mod r1cs;
mod setup;
pub mod sumcheck;
mod wtns;
mod zkey;

use container::Container;
use encoding::dec;
use error::{Code, NativeError, Result};
use napi::bindgen_prelude::{AsyncTask, Buffer, Uint8Array};
use napi::{Env, Task};
use napi_derive::napi;
use r1cs::R1cs;
use std::fs::File;
use std::io::BufWriter;

/// `path` as a container of type `magic`; `code` for every error about it.
fn open(path: &str, magic: &[u8; 4], code: Code) -> Result<Container<File>> {
    let f = File::open(path).map_err(|e| NativeError::new(code, path, format!("cannot open: {e}")))?;
    Container::new(f, path, magic, code)
}

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
        let zkey = open(&self.zkey, b"zkey", Code::ZkeyInvalid)?;
        let wtns = open(&self.wtns, b"wtns", Code::WitnessInvalid)?;
        let r1cs = open(&self.r1cs, b"r1cs", Code::R1csInvalid)?;
        Ok(groth16::prove(zkey, wtns, r1cs)?)
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

fn scalar(b: &[u8], what: &str) -> Result<ark_bn254::Fr> {
    (b.len() == 32).then(|| encoding::fr_plain(b)).flatten().ok_or_else(|| NativeError::bare(Code::SetupFailed, format!("{what}: expected 32 bytes below the field's modulus")))
}

impl SetupTask {
    fn run(&self) -> Result<[u8; 64]> {
        let delta = scalar(&self.delta, "delta")?;
        let circ = R1cs::read(&mut open(&self.r1cs, b"r1cs", Code::R1csInvalid)?)?;
        let key = match &self.route {
            Route::Secrets(b) if b.len() == 96 => {
                let s = setup::Secrets { tau: scalar(&b[..32], "tau")?, alpha: scalar(&b[32..64], "alpha")?, beta: scalar(&b[64..], "beta")?, delta };
                setup::dev_zkey(&circ, &s, &self.h_u)?
            }
            Route::Secrets(_) => return Err(NativeError::bare(Code::SetupFailed, "expected three 32-byte secrets")),
            Route::Ptau(ptau) => setup::ceremony_zkey(&circ, &mut open(ptau, b"ptau", Code::PtauInvalid)?, delta, &self.h_u)?,
        };
        let cannot = |e: std::io::Error| NativeError::new(Code::SetupFailed, &self.zkey, format!("cannot write: {e}"));
        zkey::write_sections(BufWriter::new(File::create(&self.zkey).map_err(cannot)?), &key.sections).map_err(cannot)?;
        Ok(key.hash)
    }
}

impl Task for SetupTask {
    type Output = [u8; 64];
    type JsValue = Buffer;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(self.run()?)
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

/// The name of every error code the addon raises (error.rs), to be checked against the TypeScript side's list.
/// Little-endian i64 words (the sumcheck calls' arrays cross as Buffers of them), or NATIVE_CALL_INVALID.
fn words(b: &[u8], what: &str) -> Result<Vec<i64>> {
    if !b.len().is_multiple_of(8) {
        return Err(NativeError::bare(Code::NativeCallInvalid, format!("{what}: {} bytes, not a whole number of 8-byte words", b.len())));
    }
    Ok(b.chunks_exact(8).map(|c| i64::from_le_bytes(c.try_into().expect("8 bytes"))).collect())
}

fn to_le(v: &[i64]) -> Buffer {
    v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>().into()
}

fn sumcheck_arch(b: &[u8]) -> Result<sumcheck::network::Arch> {
    sumcheck::network::Arch::from_words(&words(b, "architecture")?).map_err(|e| NativeError::bare(Code::IrInvalid, e))
}

/// The architecture and the network with its parameters (the prove and commit calls' first two arguments).
fn sumcheck_network(arch: &[u8], params: &[u8]) -> Result<(sumcheck::network::Arch, sumcheck::network::Network)> {
    let a = sumcheck_arch(arch)?;
    let net = sumcheck::network::Network::from_parts(&a, &words(params, "parameters")?).map_err(|e| NativeError::bare(Code::IrInvalid, e))?;
    Ok((a, net))
}

/// A sumcheck proof, the output it proves (little-endian i64 words) and the prover's phases (wall ms, CPU ms).
#[napi(object)]
pub struct SumcheckProof {
    pub proof: Buffer,
    pub output: Buffer,
    pub timings: Vec<Timing>,
    pub cpu_timings: Vec<Timing>,
}

pub struct SumcheckProveTask {
    arch: Vec<u8>,
    params: Vec<u8>,
    input: Vec<u8>,
    model: Option<Vec<u8>>,
    input_private: bool,
    context: Option<[u8; 32]>,
}

/// A context's 32 bytes (a proof bound to it verifies only with it), or a clear error.
fn context_word(b: Option<Buffer>) -> napi::Result<Option<[u8; 32]>> {
    b.map(|b| <[u8; 32]>::try_from(&b[..]).map_err(|_| NativeError::bare(Code::NativeCallInvalid, format!("context: expected 32 bytes, got {}", b.len())).into())).transpose()
}

fn model_commitment(b: &Option<Vec<u8>>) -> Result<Option<sumcheck::hyrax::HyraxCommitment>> {
    b.as_ref()
        .map(|b| sumcheck::network::commitment_from_bytes(b).map_err(|e| NativeError::bare(Code::ProofInvalid, format!("model commitment: {e}"))))
        .transpose()
}

/// A prover's statement from the addon's arguments: the architecture and network, the inputs (several input lengths'
/// worth: a batch), and the input's visibility (a private input's range table checked here).
type ProverStatement = (sumcheck::network::Arch, sumcheck::network::Network, Vec<Vec<i64>>, sumcheck::network::InputVis);

fn prover_statement(arch: &[u8], params: &[u8], input: &[u8], input_private: bool) -> Result<ProverStatement> {
    use sumcheck::network::InputVis;
    let (arch, net) = sumcheck_network(arch, params)?;
    let x = words(input, "input")?;
    if x.is_empty() || x.len() % arch.input_len != 0 {
        return Err(NativeError::bare(Code::InputOutOfRange, format!("input: expected {} values (or a multiple of them: a batch), got {}", arch.input_len, x.len())));
    }
    let xs: Vec<Vec<i64>> = x.chunks(arch.input_len).map(|c| c.to_vec()).collect();
    let vis = if input_private { InputVis::Private } else { InputVis::Public };
    if vis == InputVis::Private {
        arch.input_table().map_err(|e| NativeError::bare(Code::IrInvalid, e))?;
    }
    Ok((arch, net, xs, vis))
}

/// A prover's refusal as the addon's error: an input out of range, else a model it does not prove.
fn prover_error(e: String) -> NativeError {
    let code = if e.starts_with("input") || e.starts_with("batch") || e.contains("does not fit") { Code::InputOutOfRange } else { Code::IrInvalid };
    NativeError::bare(code, e)
}

impl Task for SumcheckProveTask {
    type Output = (Vec<u8>, Vec<i64>, sumcheck::network::Timings);
    type JsValue = SumcheckProof;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        use sumcheck::network::prove_batch_timed;
        let (arch, net, xs, vis) = prover_statement(&self.arch, &self.params, &self.input, self.input_private)?;
        let model = model_commitment(&self.model)?;
        let (proof, ys, t) = prove_batch_timed(&net, &xs, &arch.hyrax_params_batch(vis, xs.len()), model.as_ref(), vis, self.context.as_ref()).map_err(prover_error)?;
        Ok((proof.to_bytes(), ys.concat(), t))
    }

    fn resolve(&mut self, env: Env, out: Self::Output) -> napi::Result<SumcheckProof> {
        SumcheckProveTask::resolve_proof(env, out)
    }
}

impl SumcheckProveTask {
    /// A proof, its output and the prover's phases as JavaScript takes them (both provers' tasks).
    fn resolve_proof(_env: Env, (proof, y, t): (Vec<u8>, Vec<i64>, sumcheck::network::Timings)) -> napi::Result<SumcheckProof> {
        let ms = |f: fn(&(&'static str, f64, f64)) -> f64| t.iter().map(|p| Timing { phase: p.0.to_string(), ms: f(p) * 1000.0 }).collect();
        Ok(SumcheckProof { proof: proof.into(), output: to_le(&y), timings: ms(|p| p.1), cpu_timings: ms(|p| p.2) })
    }
}

/// Proves that the network (architecture words, then every dense layer's weights row-major and biases, in op
/// order) maps the input to the output it returns; all arrays little-endian i64. Several inputs' worth of values
/// (a multiple of the input length) is a batch: one proof of every sample's inference, their outputs in order. With `model` (the bytes
/// sumcheckCommitModel gave), the weights are proved to be that commitment's and it is not sent; without, the
/// proof carries their commitment (private weights). With `input_private`, the input is committed in the proof's
/// witness and range-checked there, never sent (sumcheckVerify then takes no input). With `context` (32 bytes), the
/// proof is bound to it: sumcheckVerify accepts it with the same context only.
#[napi]
pub fn sumcheck_prove(arch: Buffer, params: Buffer, input: Buffer, model: Option<Buffer>, input_private: Option<bool>, context: Option<Buffer>) -> napi::Result<AsyncTask<SumcheckProveTask>> {
    Ok(AsyncTask::new(SumcheckProveTask { arch: arch.to_vec(), params: params.to_vec(), input: input.to_vec(), model: model.map(|m| m.to_vec()), input_private: input_private.unwrap_or(false), context: context_word(context)? }))
}

pub struct SumcheckCommitTask {
    arch: Vec<u8>,
    params: Vec<u8>,
}

impl Task for SumcheckCommitTask {
    type Output = Vec<u8>;
    type JsValue = Buffer;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        use sumcheck::network::{commit_model, commitment_to_bytes};
        let (arch, net) = sumcheck_network(&self.arch, &self.params)?;
        let c = commit_model(&net, &arch.hyrax_params()).map_err(|e| NativeError::bare(Code::IrInvalid, e))?;
        Ok(commitment_to_bytes(&c))
    }

    fn resolve(&mut self, _env: Env, b: Self::Output) -> napi::Result<Buffer> {
        Ok(b.into())
    }
}

/// The model's commitment (its weights and biases; made once per model): bytes a deployment publishes and
/// sumcheckProve / sumcheckVerify take for committed weights.
#[napi]
pub fn sumcheck_commit_model(arch: Buffer, params: Buffer) -> AsyncTask<SumcheckCommitTask> {
    AsyncTask::new(SumcheckCommitTask { arch: arch.to_vec(), params: params.to_vec() })
}

/// Whether a sumcheck proof holds, and if not which check failed.
#[napi(object)]
pub struct SumcheckVerdict {
    pub valid: bool,
    pub reason: Option<String>,
}

pub struct SumcheckVerifyTask {
    arch: Vec<u8>,
    /// None: a private input's proof.
    input: Option<Vec<u8>>,
    output: Vec<u8>,
    proof: Vec<u8>,
    model: Option<Vec<u8>>,
    context: Option<[u8; 32]>,
    kzg_vk: Option<Vec<u8>>,
}

/// A KZG commitment's 64 bytes as a point of G1 (not the identity).
fn kzg_point(b: &[u8]) -> Result<ark_bn254::G1Affine> {
    use ark_ec::AffineRepr;
    use ark_ff::PrimeField;
    let bad = |what: &str| NativeError::bare(Code::ProofInvalid, format!("KZG model commitment: {what}"));
    if b.len() != 64 {
        return Err(bad(&format!("expected 64 bytes, got {}", b.len())));
    }
    let p = ark_bn254::G1Affine::new_unchecked(ark_bn254::Fq::from_be_bytes_mod_order(&b[..32]), ark_bn254::Fq::from_be_bytes_mod_order(&b[32..]));
    if sumcheck::transcript::g1_to_be64(&p)[..] != b[..] || !p.is_on_curve() || p.is_zero() {
        return Err(bad("not a point of G1 other than the identity"));
    }
    Ok(p)
}

impl Task for SumcheckVerifyTask {
    type Output = Option<String>;
    type JsValue = SumcheckVerdict;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        use sumcheck::network::{verify_batch_with, verify_private_input, verify_with, InputVis, NetworkProof};
        let arch = sumcheck_arch(&self.arch)?;
        let y = words(&self.output, "output")?;
        // with a KZG verifier key the proof must be format 4 (another version is a decode error at byte 0, as the
        // TypeScript verifier says); a format-4 proof without one is refused in verify_kzg
        if self.kzg_vk.is_some() || first_word(&self.proof) == Some(sumcheck::network_kzg::KZG_PROOF_VERSION) {
            return self.verify_kzg(&arch, &y);
        }
        if is_zk_proof(&self.proof) {
            return self.verify_zk(&arch, &y);
        }
        let proof = NetworkProof::from_bytes(&self.proof).map_err(|e| NativeError::bare(Code::ProofInvalid, e.to_string()))?;
        let model = model_commitment(&self.model)?;
        let input = self.input.as_ref().map(|b| words(b, "input")).transpose()?;
        if input.is_none() {
            arch.input_table().map_err(|e| NativeError::bare(Code::IrInvalid, e))?;
        }
        // several outputs' worth of values: a batch's proof (one sample's is verified as before)
        let out_len = arch.output_len();
        let n = if !y.is_empty() && y.len() % out_len == 0 { y.len() / out_len } else { 1 };
        let verdict = if n == 1 && self.context.is_none() {
            match &input {
                Some(x) => verify_with(&arch, x, &y, &proof, &arch.hyrax_params(), model.as_ref()),
                None => verify_private_input(&arch, &y, &proof, &arch.hyrax_params_for(InputVis::Private), model.as_ref()),
            }
        } else {
            let vis = if input.is_some() { InputVis::Public } else { InputVis::Private };
            let ys: Vec<Vec<i64>> = y.chunks(out_len).map(|c| c.to_vec()).collect();
            let xs: Option<Vec<Vec<i64>>> = input.as_ref().map(|x| x.chunks(arch.input_len).map(|c| c.to_vec()).collect());
            match &xs {
                Some(xs) if xs.len() != n || xs.iter().any(|x| x.len() != arch.input_len) => Err(sumcheck::error::VerifyError::Shape { what: "batch inputs (one per output)", got: input.as_ref().map_or(0, |x| x.len()), expected: n * arch.input_len }),
                _ => verify_batch_with(&arch, xs.as_deref(), &ys, &proof, &arch.hyrax_params_batch(vis, n), model.as_ref(), self.context.as_ref()),
            }
        };
        Ok(verdict.err().map(|e| e.to_string()))
    }

    fn resolve(&mut self, _env: Env, reason: Self::Output) -> napi::Result<SumcheckVerdict> {
        Ok(SumcheckVerdict { valid: reason.is_none(), reason })
    }
}

/// Whether a proof's first word is format 3's version (a zero-knowledge proof).
fn is_zk_proof(proof: &[u8]) -> bool {
    first_word(proof) == Some(sumcheck::network_zk::ZK_PROOF_VERSION)
}

/// A proof's first word (its format's version) when it is below 256.
fn first_word(proof: &[u8]) -> Option<u64> {
    (proof.len() >= 32 && proof[..31].iter().all(|&b| b == 0)).then(|| proof[31] as u64)
}

/// A batch's inputs (None: private) and outputs, one per output's worth of values.
type BatchValues = (Option<Vec<Vec<i64>>>, Vec<Vec<i64>>);

impl SumcheckVerifyTask {
    /// The outputs (several outputs' worth of values: a batch) and the inputs (one per output), split; inputs of
    /// another count are the verdict (a refusal, not an error).
    fn batch(&self, arch: &sumcheck::network::Arch, y: &[i64]) -> napi::Result<std::result::Result<BatchValues, String>> {
        let out_len = arch.output_len();
        let n = if !y.is_empty() && y.len() % out_len == 0 { y.len() / out_len } else { 1 };
        let ys: Vec<Vec<i64>> = y.chunks(out_len.max(1)).map(|c| c.to_vec()).collect();
        let xs: Option<Vec<Vec<i64>>> = self.input.as_ref().map(|b| words(b, "input").map(|x| x.chunks(arch.input_len).map(|c| c.to_vec()).collect())).transpose()?;
        if let Some(xs) = &xs {
            if xs.len() != n || xs.iter().any(|x| x.len() != arch.input_len) {
                return Ok(Err(format!("batch inputs (one per output): {} values, expected {}", xs.iter().map(Vec::len).sum::<usize>(), n * arch.input_len)));
            }
        }
        Ok(Ok((xs, ys)))
    }

    /// A format-4 (KZG) proof's verdict: needs the verifier key; one inference or a batch, as verify_zk.
    fn verify_kzg(&self, arch: &sumcheck::network::Arch, y: &[i64]) -> napi::Result<Option<String>> {
        use sumcheck::network_kzg::{verify, KzgNetworkProof};
        let Some(vk) = &self.kzg_vk else {
            return Err(NativeError::bare(Code::ProofInvalid, "a KZG proof (format 4), verified without a KZG verifier key: pass the verifier key ([tau]_2's 128 bytes, kzgVerifierKey)".to_string()).into());
        };
        let tau_g2 = sumcheck::kzg::g2_from_words(vk).map_err(|e| NativeError::bare(Code::NativeCallInvalid, format!("KZG verifier key: {e}")))?;
        let vk = sumcheck::gemini::VerifierKey { g2: <ark_bn254::G2Affine as ark_ec::AffineRepr>::generator(), tau_g2 };
        let (xs, ys) = match self.batch(arch, y)? {
            Ok(b) => b,
            Err(verdict) => return Ok(Some(verdict)),
        };
        if xs.is_none() {
            arch.input_table().map_err(|e| NativeError::bare(Code::IrInvalid, e))?;
        }
        let proof = KzgNetworkProof::from_bytes(&self.proof).map_err(|e| NativeError::bare(Code::ProofInvalid, e.to_string()))?;
        let model = self.model.as_ref().map(|b| kzg_point(b)).transpose()?;
        Ok(verify(arch, xs.as_deref(), &ys, &proof, &vk, model.as_ref(), self.context.as_ref()).err().map(|e| e.to_string()))
    }

    /// A zero-knowledge proof's verdict: one inference or a batch (several outputs' worth of values), the input
    /// public (given: one per output) or private (None).
    fn verify_zk(&self, arch: &sumcheck::network::Arch, y: &[i64]) -> napi::Result<Option<String>> {
        use sumcheck::network::InputVis;
        use sumcheck::network_zk::{verify_network_zk_batch, Plan, ZkNetworkProof, ZkStatement};
        let (xs, ys) = match self.batch(arch, y)? {
            Ok(b) => b,
            Err(verdict) => return Ok(Some(verdict)),
        };
        let n = ys.len();
        let stmt = ZkStatement { input: if xs.is_some() { InputVis::Public } else { InputVis::Private }, batch: n };
        Plan::for_statement(arch, stmt).map_err(|e| NativeError::bare(Code::IrInvalid, e))?;
        let proof = ZkNetworkProof::from_bytes_for(&self.proof, arch, stmt).map_err(|e| NativeError::bare(Code::ProofInvalid, e.to_string()))?;
        let model = model_commitment(&self.model)?;
        Ok(verify_network_zk_batch(arch, xs.as_deref(), &ys, &proof, model.as_ref(), self.context.as_ref()).err().map(|e| e.to_string()))
    }
}

/// Verifies a sumcheck proof of this architecture for this input and output (little-endian i64 words). A proof
/// that cannot be decoded is a PROOF_INVALID error (its byte offset named); one that decodes but fails a check is
/// `{ valid: false, reason }`. With `model` (a model commitment's bytes), the weights must be that commitment's. Without
/// `input` (null), the proof is of a private input (sumcheckProve with input_private). With `context` (32 bytes), the
/// proof must be bound to it (one without a context, or with another, fails). A KZG proof (format 4,
/// sumcheckProveKzg's) needs `kzg_vk`, the setup's [tau]_2 (kzgVerifierKey), and takes its model commitment's 64
/// bytes as `model`.
#[napi]
pub fn sumcheck_verify(arch: Buffer, input: Option<Buffer>, output: Buffer, proof: Buffer, model: Option<Buffer>, context: Option<Buffer>, kzg_vk: Option<Buffer>) -> napi::Result<AsyncTask<SumcheckVerifyTask>> {
    Ok(AsyncTask::new(SumcheckVerifyTask {
        arch: arch.to_vec(),
        input: input.map(|b| b.to_vec()),
        output: output.to_vec(),
        proof: proof.to_vec(),
        model: model.map(|m| m.to_vec()),
        context: context_word(context)?,
        kzg_vk: kzg_vk.map(|b| b.to_vec()),
    }))
}

pub struct SumcheckProveZkTask {
    arch: Vec<u8>,
    params: Vec<u8>,
    input: Vec<u8>,
    secret: Option<Vec<u8>>,
    context: Option<[u8; 32]>,
    input_private: bool,
}

impl Task for SumcheckProveZkTask {
    type Output = (Vec<u8>, Vec<i64>, sumcheck::network::Timings);
    type JsValue = SumcheckProof;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        use sumcheck::network_zk::{prove_network_zk_batch, ModelSecret};
        let (arch, net, xs, vis) = prover_statement(&self.arch, &self.params, &self.input, self.input_private)?;
        let secret = self.secret.as_ref().map(|b| ModelSecret::from_bytes(b, &arch).map_err(|e| NativeError::bare(Code::ProofInvalid, format!("model secret: {e}")))).transpose()?;
        // the masks and blinders come from the OS's CSPRNG: a repeated seed would repeat every mask
        // the phases only (their parts' laps are the measurement test's)
        let (proof, ys, t, _) = prove_network_zk_batch(&net, &xs, vis, secret.as_ref(), self.context.as_ref(), &mut ark_std::rand::rngs::OsRng).map_err(prover_error)?;
        Ok((proof.to_bytes(), ys.concat(), t))
    }

    fn resolve(&mut self, env: Env, out: Self::Output) -> napi::Result<SumcheckProof> {
        SumcheckProveTask::resolve_proof(env, out)
    }
}

/// Proves in zero knowledge (format 3: nothing of the weights, the activations or a private input revealed) that
/// the network maps the input to the output it returns: dense, conv, requant, sum pool, add and flatten ops (a max
/// pool is refused); one inference or a batch (a multiple of the input's length), the input public or private
/// (`input_private`: committed in the proof, in the declared range). Arrays as sumcheckProve's. With `secret`
/// (sumcheckCommitModelZk's), the weights are proved to be that hiding commitment's and it is not sent; without,
/// the proof carries one. `context` as sumcheckProve's.
#[napi]
pub fn sumcheck_prove_zk(arch: Buffer, params: Buffer, input: Buffer, secret: Option<Buffer>, context: Option<Buffer>, input_private: Option<bool>) -> napi::Result<AsyncTask<SumcheckProveZkTask>> {
    Ok(AsyncTask::new(SumcheckProveZkTask {
        arch: arch.to_vec(),
        params: params.to_vec(),
        input: input.to_vec(),
        secret: secret.map(|m| m.to_vec()),
        context: context_word(context)?,
        input_private: input_private.unwrap_or(false),
    }))
}

/// A committed model in zero knowledge: the hiding commitment to publish (sumcheckCommitModel's bytes format) and
/// the secret its owner keeps (the commitment and its rows' blinders), which sumcheckProveZk takes.
#[napi(object)]
pub struct SumcheckModelSecret {
    pub commitment: Buffer,
    pub secret: Buffer,
}

pub struct SumcheckCommitZkTask {
    arch: Vec<u8>,
    params: Vec<u8>,
}

impl Task for SumcheckCommitZkTask {
    type Output = (Vec<u8>, Vec<u8>);
    type JsValue = SumcheckModelSecret;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        use sumcheck::network::commitment_to_bytes;
        let (_, net) = sumcheck_network(&self.arch, &self.params)?;
        let s = sumcheck::network_zk::commit_model_zk(&net, &mut ark_std::rand::rngs::OsRng).map_err(|e| NativeError::bare(Code::IrInvalid, e))?;
        Ok((commitment_to_bytes(&s.commitment), s.to_bytes()))
    }

    fn resolve(&mut self, _env: Env, (commitment, secret): Self::Output) -> napi::Result<SumcheckModelSecret> {
        Ok(SumcheckModelSecret { commitment: commitment.into(), secret: secret.into() })
    }
}

/// Commits the model once with hiding rows, for zero-knowledge proofs of committed weights.
#[napi]
pub fn sumcheck_commit_model_zk(arch: Buffer, params: Buffer) -> AsyncTask<SumcheckCommitZkTask> {
    AsyncTask::new(SumcheckCommitZkTask { arch: arch.to_vec(), params: params.to_vec() })
}

/// What a KZG key read from a powers of tau holds (issue 28, docs/design/kzg-pcs.md K1).
#[napi(object)]
pub struct KzgKeyInfo {
    /// the file's power
    pub power: u32,
    /// G1 powers read (the `len` asked for)
    pub points: u32,
    /// [tau]_2 as decimal x.c0, x.c1, y.c0, y.c1
    pub tau_g2: Vec<String>,
    /// the first G1 power past the generator, tau G1, as decimal x, y
    pub tau_g1: Vec<String>,
}

/// Reads the KZG key for vectors of `len` entries from the ptau at `ptau`, with its checks (the generators, G2's
/// subgroup, one pairing); PTAU_INVALID naming the file and, for one too small, the power needed.
#[napi]
pub fn kzg_key_info(ptau: String, len: u32) -> napi::Result<KzgKeyInfo> {
    use ark_ff::PrimeField;
    let k = sumcheck::kzg::KzgKey::from_ptau(&ptau, (len as usize).max(2))?;
    let fq = |x: ark_bn254::Fq| x.into_bigint().to_string();
    Ok(KzgKeyInfo {
        power: k.power,
        points: len,
        tau_g2: vec![fq(k.tau_g2.x.c0), fq(k.tau_g2.x.c1), fq(k.tau_g2.y.c0), fq(k.tau_g2.y.c1)],
        tau_g1: vec![fq(k.powers[1].x), fq(k.powers[1].y)],
    })
}


pub struct SumcheckProveKzgTask {
    arch: Vec<u8>,
    params: Vec<u8>,
    input: Vec<u8>,
    ptau: String,
    model: Option<Vec<u8>>,
    input_private: bool,
    context: Option<[u8; 32]>,
}

impl Task for SumcheckProveKzgTask {
    type Output = (Vec<u8>, Vec<i64>, sumcheck::network::Timings);
    type JsValue = SumcheckProof;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        use sumcheck::network_kzg::{key_len, prove_timed, KzgModel};
        let (arch, net, xs, vis) = prover_statement(&self.arch, &self.params, &self.input, self.input_private)?;
        let mut timings = sumcheck::network::Timings::new();
        let mut lap = sumcheck::network::stopwatch();
        let key = sumcheck::kzg::KzgKey::from_ptau(&self.ptau, key_len(&arch.layouts_batch(vis, xs.len())))?;
        lap("key", &mut timings);
        let model = self.model.as_ref().map(|b| KzgModel::from_bytes(b).map_err(|e| NativeError::bare(Code::ProofInvalid, format!("KZG model (commitment and tables): {e}")))).transpose()?;
        let (proof, ys, t) = prove_timed(&net, &xs, &key, model.as_ref(), vis, self.context.as_ref()).map_err(prover_error)?;
        timings.extend(t);
        Ok((proof.to_bytes(), ys.concat(), timings))
    }

    fn resolve(&mut self, env: Env, out: Self::Output) -> napi::Result<SumcheckProof> {
        SumcheckProveTask::resolve_proof(env, out)
    }
}

/// Proves as sumcheckProve does with KZG commitments (format 4, docs/design/kzg-pcs.md: one joint merge, one
/// Gemini opening, one pairing check; the on-chain form), the key read from the ptau at `ptau` (PTAU_INVALID names
/// the power needed when it is too small). With `model` (sumcheckCommitModelKzg's `model` bytes, made under the same
/// ptau's tau), the weights are proved to be its commitment's, not sent, and its folds come from its tables; without,
/// the proof carries the commitment. `input_private` and `context` as sumcheckProve's.
#[napi]
pub fn sumcheck_prove_kzg(arch: Buffer, params: Buffer, input: Buffer, ptau: String, model: Option<Buffer>, input_private: Option<bool>, context: Option<Buffer>) -> napi::Result<AsyncTask<SumcheckProveKzgTask>> {
    Ok(AsyncTask::new(SumcheckProveKzgTask { arch: arch.to_vec(), params: params.to_vec(), input: input.to_vec(), ptau, model: model.map(|m| m.to_vec()), input_private: input_private.unwrap_or(false), context: context_word(context)? }))
}

/// The model's KZG commitment under the ptau's tau and its prover's fold tables: `commitment` (64 bytes, x then y
/// big-endian: what a verifier of committed weights holds, sumcheckVerify's `model` for a format-4 proof) and `model`
/// (the commitment then the tables: sumcheckProveKzg's `model`, kept by the prover so a proof skips remaking them).
#[napi(object)]
pub struct KzgModelCommitment {
    pub commitment: Buffer,
    pub model: Buffer,
}

#[napi]
pub fn sumcheck_commit_model_kzg(arch: Buffer, params: Buffer, ptau: String) -> napi::Result<KzgModelCommitment> {
    let (arch, net) = sumcheck_network(&arch, &params)?;
    let key = sumcheck::kzg::KzgKey::from_ptau(&ptau, 1usize << arch.layouts().model.num_vars)?;
    let m = sumcheck::network_kzg::commit_model(&net, &key).map_err(prover_error)?;
    Ok(KzgModelCommitment { commitment: sumcheck::transcript::g1_to_be64(&m.commitment).to_vec().into(), model: m.to_bytes().into() })
}

/// The ptau's [tau]_2 as four 32-byte words in EIP-197's order: a KZG verifier's key (sumcheckVerify's `kzg_vk`,
/// a contract's constant).
#[napi]
pub fn kzg_verifier_key(ptau: String) -> napi::Result<Buffer> {
    let k = sumcheck::kzg::KzgKey::from_ptau(&ptau, 2)?;
    Ok(sumcheck::kzg::g2_to_words(&k.tau_g2).to_vec().into())
}

/// keccak256 of the architecture words (what the transcript absorbs first), 32 bytes.
#[napi]
pub fn sumcheck_arch_hash(arch: Buffer) -> napi::Result<Buffer> {
    Ok(sumcheck_arch(&arch)?.hash().to_vec().into())
}

#[napi]
pub fn error_codes() -> Vec<&'static str> {
    Code::ALL.iter().map(|c| c.name()).collect()
}

fn call_err(message: impl Into<String>) -> napi::Error {
    NativeError::bare(Code::NativeCallInvalid, message).into()
}

fn fixed_base_args(scalars: &[u8], out: &[u8], size: usize, name: &str) -> napi::Result<()> {
    if !scalars.len().is_multiple_of(32) {
        return Err(call_err(format!("{name}: scalars hold {} bytes, not a multiple of 32", scalars.len())));
    }
    if out.len() != scalars.len() / 32 * size {
        return Err(call_err(format!("{name}: out holds {} bytes; {} scalars need {} ({size} a point)", out.len(), scalars.len() / 32, scalars.len() / 32 * size)));
    }
    Ok(())
}

/// `out` (64 bytes a point) = each 32-byte little-endian scalar times G1's generator, affine, LEM (fixed_base.rs),
/// on `threads` threads (default 2).
#[napi(js_name = "g1Mul")]
pub fn g1_mul(scalars: Uint8Array, mut out: Uint8Array, threads: Option<u32>) -> napi::Result<()> {
    fixed_base_args(&scalars, &out, encoding::G1_BYTES, "g1Mul")?;
    fixed_base::g1_mul(&scalars, &mut out, threads.unwrap_or(2).max(1) as usize);
    Ok(())
}

/// The same in G2 (128 bytes a point, Fq2 as c0 then c1).
#[napi(js_name = "g2Mul")]
pub fn g2_mul(scalars: Uint8Array, mut out: Uint8Array, threads: Option<u32>) -> napi::Result<()> {
    fixed_base_args(&scalars, &out, encoding::G2_BYTES, "g2Mul")?;
    fixed_base::g2_mul(&scalars, &mut out, threads.unwrap_or(2).max(1) as usize);
    Ok(())
}

/// Points stored LEM in ffjavascript's hash encodings, uncompressed or compressed (encoding.rs).
#[napi]
pub fn encode_points(points: Uint8Array, g2: bool, compressed: bool) -> napi::Result<Buffer> {
    let size = if g2 { encoding::G2_BYTES } else { encoding::G1_BYTES };
    encoding::encode_points(&points, g2, compressed).map(Buffer::from).ok_or_else(|| call_err(format!("encodePoints: {} bytes are not a whole number of {size}-byte points", points.len())))
}

fn blake2b_state(state: &[u8], name: &str) -> napi::Result<blake2b::State> {
    blake2b::State::load(state).ok_or_else(|| call_err(format!("{name}: state: expected the {}-byte state blake2bInit made, got {} bytes", blake2b::STATE_BYTES, state.len())))
}

/// A fresh BLAKE2b-512 state, in the 216-byte layout snarkjs reads as a partial hash (blake2b.rs).
#[napi(js_name = "blake2bInit")]
pub fn blake2b_init() -> Buffer {
    let mut b = vec![0u8; blake2b::STATE_BYTES];
    blake2b::State::new().save(&mut b);
    b.into()
}

/// Absorbs `data`, rewriting `state` in place.
#[napi(js_name = "blake2bUpdate")]
pub fn blake2b_update(mut state: Uint8Array, data: Uint8Array) -> napi::Result<()> {
    let mut s = blake2b_state(&state, "blake2bUpdate")?;
    s.update(&data);
    s.save(&mut state);
    Ok(())
}

/// The 64-byte digest of what `state` absorbed; the state is left as it was.
#[napi(js_name = "blake2bDigest")]
pub fn blake2b_digest(state: Uint8Array) -> napi::Result<Buffer> {
    Ok(blake2b_state(&state, "blake2bDigest")?.digest().to_vec().into())
}

//! One error type for the addon: a code from one list (`Code`, whose names are exactly codes of the TypeScript
//! side's ZkmlError, src/core/errors.ts ERROR_CODES; test/errors.test.ts checks that through `errorCodes()`), the
//! file it concerns (empty when none) and what went wrong. It crosses the N-API boundary as the JS Error's message,
//! a JSON object {"code","file","message"}, which src/core/native.ts (nativeError) turns back into a ZkmlError.

use std::fmt;

macro_rules! codes {
    ($($variant:ident = $name:literal: $doc:literal,)*) => {
        /// Every code the addon raises.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code's name, as ZkmlError spells it.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    ZkeyInvalid = "ZKEY_INVALID": "a proving key that cannot be read, or is damaged",
    WitnessInvalid = "WITNESS_INVALID": "a witness file that cannot be read, or is not the key's circuit's",
    WitnessUnsatisfied = "WITNESS_UNSATISFIED": "a witness that breaks a constraint of its circuit",
    R1csInvalid = "R1CS_INVALID": "a constraint system that cannot be read, or is not the key's circuit",
    PtauInvalid = "PTAU_INVALID": "a powers-of-tau file that cannot be read, or is damaged",
    SetupFailed = "SETUP_FAILED": "a setup that cannot be made (bad secrets, a key that cannot be written)",
    NativeCallInvalid = "NATIVE_CALL_INVALID": "a native function called with arguments it does not take (a caller's bug)",
    ProofInvalid = "PROOF_INVALID": "a proof file that cannot be read (truncated, damaged, not a proof of this system)",
    IrInvalid = "IR_INVALID": "a model the sumcheck system cannot take (its architecture or parameters)",
    InputOutOfRange = "INPUT_OUT_OF_RANGE": "an input outside the model's declared range, or one that overflows a requant's bits",
}

#[derive(Debug)]
pub struct NativeError {
    pub code: Code,
    pub file: String,
    pub message: String,
}

impl NativeError {
    pub fn new(code: Code, file: &str, message: impl Into<String>) -> Self {
        NativeError { code, file: file.to_string(), message: message.into() }
    }

    /// An error that concerns no file.
    pub fn bare(code: Code, message: impl Into<String>) -> Self {
        NativeError::new(code, "", message)
    }

    /// The same error, naming `file` when it named none (core functions work on bytes: the edge knows the path).
    pub fn in_file(mut self, file: &str) -> Self {
        if self.file.is_empty() {
            self.file = file.to_string();
        }
        self
    }

    /// The form it crosses N-API in: {"code":..,"file":..,"message":..}.
    pub fn to_json(&self) -> String {
        format!("{{\"code\":{},\"file\":{},\"message\":{}}}", json_string(self.code.name()), json_string(&self.file), json_string(&self.message))
    }
}

impl fmt::Display for NativeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

impl From<NativeError> for napi::Error {
    fn from(e: NativeError) -> Self {
        napi::Error::from_reason(e.to_json())
    }
}

fn json_string(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

pub type Result<T> = std::result::Result<T, NativeError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes() {
        let e = NativeError::new(Code::ZkeyInvalid, "a\\b\"c.zkey", "line\nnext\ttab");
        assert_eq!(e.to_json(), r#"{"code":"ZKEY_INVALID","file":"a\\b\"c.zkey","message":"line\nnext\ttab"}"#);
    }

    #[test]
    fn names_are_distinct() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }
}

//! iden3's binary container (r1cs, wtns, zkey, ptau): a 4-byte magic, u32 version, u32 section count, then
//! sections of (u32 type, u64 size, bytes). Sections are read one at a time so that only the parsed form of the
//! large ones stays in memory. Every size is checked against the file's length before anything is read.

use crate::error::{ProverError, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

pub struct Container {
    file: File,
    pub path: String,
    code: &'static str,
    sections: HashMap<u32, (u64, u64)>,
}

impl Container {
    /// Open `path` and index its sections; `magic` is the 4-byte file type, `code` the error code to raise.
    pub fn open(path: &str, magic: &[u8; 4], code: &'static str) -> Result<Self> {
        let mut file = File::open(path).map_err(|e| ProverError::new(code, path, format!("cannot open: {e}")))?;
        let len = file.metadata().map_err(|e| ProverError::new(code, path, e.to_string()))?.len();
        let mut head = [0u8; 12];
        if len < 12 || file.read_exact(&mut head).is_err() {
            return Err(ProverError::new(code, path, format!("{len} bytes: too short for a {} file", show(magic))));
        }
        if &head[0..4] != magic {
            return Err(ProverError::new(code, path, format!("not a {} file (magic {:?})", show(magic), String::from_utf8_lossy(&head[0..4]))));
        }
        let n = u32::from_le_bytes(head[8..12].try_into().unwrap());
        let mut sections = HashMap::new();
        let mut pos = 12u64;
        for i in 0..n {
            let mut sh = [0u8; 12];
            if pos + 12 > len {
                return Err(ProverError::new(code, path, format!("truncated: section {} of {n} starts past the end ({len} bytes)", i + 1)));
            }
            file.read_exact(&mut sh).map_err(|e| ProverError::new(code, path, e.to_string()))?;
            let t = u32::from_le_bytes(sh[0..4].try_into().unwrap());
            let size = u64::from_le_bytes(sh[4..12].try_into().unwrap());
            pos += 12;
            if pos + size > len {
                return Err(ProverError::new(code, path, format!("truncated: section {t} claims {size} bytes at offset {pos}, the file ends at {len}")));
            }
            sections.insert(t, (pos, size));
            pos += size;
            file.seek(SeekFrom::Start(pos)).map_err(|e| ProverError::new(code, path, e.to_string()))?;
        }
        Ok(Container { file, path: path.to_string(), code, sections })
    }

    pub fn size_of(&self, t: u32) -> Result<u64> {
        self.sections.get(&t).map(|s| s.1).ok_or_else(|| self.err(format!("section {t} is missing")))
    }

    /// `len` bytes of section `t` from `offset` within it.
    pub fn read_range(&mut self, t: u32, offset: u64, len: u64) -> Result<Vec<u8>> {
        let (off, size) = *self.sections.get(&t).ok_or_else(|| self.err(format!("section {t} is missing")))?;
        if offset + len > size {
            return Err(self.err(format!("section {t} holds {size} bytes, {} needed", offset + len)));
        }
        let mut buf = vec![0u8; len as usize];
        self.file.seek(SeekFrom::Start(off + offset)).map_err(|e| self.err(e.to_string()))?;
        self.file.read_exact(&mut buf).map_err(|e| self.err(e.to_string()))?;
        Ok(buf)
    }

    /// `count` points of `size` bytes each, from the `first`-th of section `t`, each parsed by `parse` (None: not a
    /// point of its curve, so the file is damaged); `name` says what they are in an error.
    pub fn points<P: Send>(&mut self, t: u32, first: usize, count: usize, size: usize, name: &str, parse: fn(&[u8]) -> Option<P>) -> Result<Vec<P>> {
        let raw = self.read_range(t, (first * size) as u64, (count * size) as u64)?;
        let pts: Vec<Option<P>> = raw.par_chunks(size).map(parse).collect();
        if let Some(i) = pts.iter().position(|p| p.is_none()) {
            return Err(self.err(format!("section {t} ({name}): point {} is not on the curve: the file is damaged", first + i)));
        }
        Ok(pts.into_iter().map(|p| p.unwrap()).collect())
    }

    /// A whole section's bytes, optionally required to be exactly `expect` long.
    pub fn read(&mut self, t: u32, expect: Option<u64>) -> Result<Vec<u8>> {
        let (off, size) = *self.sections.get(&t).ok_or_else(|| self.err(format!("section {t} is missing")))?;
        if let Some(e) = expect {
            if e != size {
                return Err(self.err(format!("section {t} holds {size} bytes, expected {e}")));
            }
        }
        let mut buf = vec![0u8; size as usize];
        self.file.seek(SeekFrom::Start(off)).map_err(|e| self.err(e.to_string()))?;
        self.file.read_exact(&mut buf).map_err(|e| self.err(e.to_string()))?;
        Ok(buf)
    }

    pub fn err(&self, message: impl Into<String>) -> ProverError {
        ProverError::new(self.code, &self.path, message)
    }
}

fn show(magic: &[u8; 4]) -> String {
    String::from_utf8_lossy(magic).trim().to_string()
}

pub fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// Four little-endian u64 limbs from 32 bytes.
pub fn limbs(b: &[u8]) -> [u64; 4] {
    let mut l = [0u64; 4];
    for (i, x) in l.iter_mut().enumerate() {
        *x = u64::from_le_bytes(b[8 * i..8 * i + 8].try_into().unwrap());
    }
    l
}

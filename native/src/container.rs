//! iden3's binary container (r1cs, wtns, zkey, ptau): a 4-byte magic, u32 version, u32 section count, then
//! sections of (u32 type, u64 size, bytes). Read from any seekable source (lib.rs hands in the files it opens,
//! tests hand in bytes), one section at a time so that only the parsed form of the large ones stays in memory.
//! Every size is checked against the source's length before anything is read. `write` is the other way.

use crate::error::{Code, NativeError, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom, Write};

pub struct Container<R> {
    src: R,
    /// what errors name: the file's path, as the edge knows it
    pub name: String,
    code: Code,
    sections: HashMap<u32, (u64, u64)>,
}

impl<R: Read + Seek> Container<R> {
    /// Index the sections of `src`; `magic` is the 4-byte file type, `code` the error code to raise, `name` what
    /// the errors name.
    pub fn new(mut src: R, name: &str, magic: &[u8; 4], code: Code) -> Result<Self> {
        let io = |e: std::io::Error| NativeError::new(code, name, e.to_string());
        let len = src.seek(SeekFrom::End(0)).map_err(io)?;
        src.seek(SeekFrom::Start(0)).map_err(io)?;
        let mut head = [0u8; 12];
        if len < 12 || src.read_exact(&mut head).is_err() {
            return Err(NativeError::new(code, name, format!("{len} bytes: too short for a {} file", show(magic))));
        }
        if &head[0..4] != magic {
            return Err(NativeError::new(code, name, format!("not a {} file (magic {:?})", show(magic), String::from_utf8_lossy(&head[0..4]))));
        }
        let n = u32::from_le_bytes(head[8..12].try_into().unwrap());
        let mut sections = HashMap::new();
        let mut pos = 12u64;
        for i in 0..n {
            let mut sh = [0u8; 12];
            if pos + 12 > len {
                return Err(NativeError::new(code, name, format!("truncated: section {} of {n} starts past the end ({len} bytes)", i + 1)));
            }
            src.read_exact(&mut sh).map_err(io)?;
            let t = u32::from_le_bytes(sh[0..4].try_into().unwrap());
            let size = u64::from_le_bytes(sh[4..12].try_into().unwrap());
            pos += 12;
            if pos + size > len {
                return Err(NativeError::new(code, name, format!("truncated: section {t} claims {size} bytes at offset {pos}, the file ends at {len}")));
            }
            sections.insert(t, (pos, size));
            pos += size;
            src.seek(SeekFrom::Start(pos)).map_err(io)?;
        }
        Ok(Container { src, name: name.to_string(), code, sections })
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
        self.src.seek(SeekFrom::Start(off + offset)).map_err(|e| self.err(e.to_string()))?;
        self.src.read_exact(&mut buf).map_err(|e| self.err(e.to_string()))?;
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
        let size = self.size_of(t)?;
        if let Some(e) = expect {
            if e != size {
                return Err(self.err(format!("section {t} holds {size} bytes, expected {e}")));
            }
        }
        self.read_range(t, 0, size)
    }
}

impl<R> Container<R> {
    pub fn err(&self, message: impl Into<String>) -> NativeError {
        NativeError::new(self.code, &self.name, message)
    }
}

fn show(magic: &[u8; 4]) -> String {
    String::from_utf8_lossy(magic).trim().to_string()
}

/// A container of `sections` (type, bytes) whose header counts `declared` sections (more than given when the
/// caller appends the rest).
pub fn write<W: Write>(mut out: W, magic: &[u8; 4], version: u32, sections: &[(u32, Vec<u8>)], declared: usize) -> std::io::Result<()> {
    out.write_all(magic)?;
    out.write_all(&version.to_le_bytes())?;
    out.write_all(&(declared as u32).to_le_bytes())?;
    for (t, b) in sections {
        out.write_all(&t.to_le_bytes())?;
        out.write_all(&(b.len() as u64).to_le_bytes())?;
        out.write_all(b)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn round_trip_and_truncation() {
        let mut b = Vec::new();
        write(&mut b, b"wtns", 2, &[(1, vec![1, 2, 3]), (2, vec![9; 10])], 2).unwrap();
        let mut c = Container::new(Cursor::new(b.clone()), "w", b"wtns", Code::WitnessInvalid).unwrap();
        assert_eq!(c.read(1, Some(3)).unwrap(), vec![1, 2, 3]);
        assert_eq!(c.read_range(2, 8, 2).unwrap(), vec![9, 9]);
        assert!(c.read(3, None).is_err());
        let e = Container::new(Cursor::new(b[..b.len() - 1].to_vec()), "w", b"wtns", Code::WitnessInvalid).err().unwrap();
        assert_eq!((e.code, e.file.as_str()), (Code::WitnessInvalid, "w"));
        assert!(e.message.contains("truncated"));
        assert!(Container::new(Cursor::new(b), "w", b"zkey", Code::ZkeyInvalid).is_err());
    }
}

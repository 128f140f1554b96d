//! Content hashes: BLAKE3 by default, SHA-256 and SHA-512 available.

use sha2::Digest;

use crate::FimError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum HashAlgo {
    Blake3 = 1,
    Sha256 = 2,
    Sha512 = 3,
}

impl HashAlgo {
    pub fn parse(name: &str) -> Result<HashAlgo, FimError> {
        match name {
            "blake3" => Ok(HashAlgo::Blake3),
            "sha256" => Ok(HashAlgo::Sha256),
            "sha512" => Ok(HashAlgo::Sha512),
            other => Err(FimError::Policy(format!(
                "unknown hash {other:?}: expected blake3, sha256 or sha512"
            ))),
        }
    }

    pub fn from_u8(value: u8) -> Option<HashAlgo> {
        match value {
            1 => Some(HashAlgo::Blake3),
            2 => Some(HashAlgo::Sha256),
            3 => Some(HashAlgo::Sha512),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            HashAlgo::Blake3 => "blake3",
            HashAlgo::Sha256 => "sha256",
            HashAlgo::Sha512 => "sha512",
        }
    }

    pub fn digest_len(self) -> usize {
        match self {
            HashAlgo::Blake3 | HashAlgo::Sha256 => 32,
            HashAlgo::Sha512 => 64,
        }
    }

    pub fn hasher(self) -> Hasher {
        match self {
            HashAlgo::Blake3 => Hasher::Blake3(Box::new(blake3::Hasher::new())),
            HashAlgo::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            HashAlgo::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }
}

/// A running hash of one of the supported algorithms.
pub enum Hasher {
    Blake3(Box<blake3::Hasher>),
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
}

impl Hasher {
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Blake3(h) => {
                h.update(data);
            }
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    pub fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Blake3(h) => h.finalize().as_bytes().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        let digest = |algo: HashAlgo| {
            let mut h = algo.hasher();
            h.update(b"abc");
            clawguard_sys::hex::encode(&h.finish())
        };
        assert_eq!(
            digest(HashAlgo::Sha256),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            digest(HashAlgo::Blake3),
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
        );
        assert_eq!(digest(HashAlgo::Sha512).len(), 128);
    }
}

//! The SRP group every Cognito exchange uses (RFC 3526's 3072-bit prime, g = 2) and the padding
//! Cognito applies before hashing. A module of its own so that [`crate::modexp`], which works
//! modulo N, and [`crate::srp`], which builds on it, do not import each other.

use std::sync::OnceLock;

use num_bigint::BigUint;
use sha2::{Digest, Sha256};

/// The 3072-bit MODP prime of RFC 3526, as Cognito uses it.
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The group constants: N, g and k = H(padHex(N) ‖ padHex(g)).
#[derive(Debug)]
pub struct Group {
    /// The safe prime modulus.
    pub n: BigUint,
    /// The generator (2).
    pub g: BigUint,
    /// The multiplier parameter.
    pub k: BigUint,
}

/// The group every Cognito SRP exchange uses.
///
/// ```
/// let group = cognito_protocol::srp::group();
/// assert_eq!(group.g, 2u32.into());
/// assert_eq!(group.n.bits(), 3072);
/// ```
pub fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap_or_default();
        let g = BigUint::from(2u32);
        let k = BigUint::from_bytes_be(
            &Sha256::new()
                .chain_update(pad_bytes(&n))
                .chain_update(pad_bytes(&g))
                .finalize(),
        );
        Group { n, g, k }
    })
}

/// The big-endian bytes of `n` padded the way Cognito pads before hashing: a leading zero
/// byte when the top bit is set, so the value always reads as positive.
pub fn pad_bytes(n: &BigUint) -> Vec<u8> {
    let bytes = n.to_bytes_be();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        let mut out = Vec::with_capacity(bytes.len() + 1);
        out.push(0);
        out.extend_from_slice(&bytes);
        out
    } else {
        bytes
    }
}

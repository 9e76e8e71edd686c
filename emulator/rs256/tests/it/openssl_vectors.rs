//! Known answers from another implementation: OpenSSL signed two messages with a four-prime key
//! this crate made (`tests/data/README.md` has the commands). RS256 is deterministic, so this
//! crate must produce the same bytes, on IFMA lanes or through its fallback.

use cognito_rs256::FourPrimeKey;

const KEY: &str = include_str!("../data/four-prime-key.pem");
const KEY_PKCS8: &str = include_str!("../data/four-prime-key.pk8.pem");
const MESSAGE: &[u8] = include_bytes!("../data/message.txt");
const SIGNATURE: &str = include_str!("../data/openssl-signature.hex");
const SIGNATURE_EMPTY: &str = include_str!("../data/openssl-signature-empty.hex");

#[test]
fn signatures_match_openssl() {
    let key = FourPrimeKey::from_pkcs1_pem(KEY).unwrap();
    let expected = [
        hex::decode(SIGNATURE.trim()).unwrap(),
        hex::decode(SIGNATURE_EMPTY.trim()).unwrap(),
    ];
    // Alone, together, and in the other order (each lane pair carries either message).
    assert_eq!(key.sign(&[MESSAGE]).unwrap(), [expected[0].clone()]);
    assert_eq!(key.sign(&[b""]).unwrap(), [expected[1].clone()]);
    assert_eq!(key.sign(&[MESSAGE, b""]).unwrap(), expected);
    assert_eq!(
        key.sign(&[b"", MESSAGE, b""]).unwrap(),
        [
            expected[1].clone(),
            expected[0].clone(),
            expected[1].clone()
        ]
    );
    // The PEM this crate writes is the one OpenSSL read, number for number.
    assert_eq!(key.to_pkcs1_pem().unwrap().trim(), KEY.trim());
    // OpenSSL's PKCS#8 wrapping of it is the same key.
    let wrapped = FourPrimeKey::from_pkcs1_pem(KEY_PKCS8).unwrap();
    assert_eq!(wrapped.sign(&[MESSAGE]).unwrap(), [expected[0].clone()]);
}

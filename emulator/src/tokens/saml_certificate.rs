//! A pool's SAML signing certificate (GetSigningCertificate): a self-signed X.509 certificate
//! for an RSA-2048 key of the pool's own (not the token signing key), SHA256withRSA, valid for
//! ten years from when it was made on the emulator clock, as Cognito issues them. Made on first
//! request, outside the state lock, and then kept with the pool. Built with RustCrypto's
//! `x509-cert` and `rsa`; the private key is dropped once the certificate is signed, since the
//! emulator signs no SAML requests.

use std::str::FromStr;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rsa::pkcs1v15::{Signature, SigningKey};
use sha2::Sha256;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::der::asn1::UtcTime;
use x509_cert::der::Encode;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};

use crate::error::{CognitoError, Result};

/// Ten years, in seconds.
const VALIDITY_SECONDS: u64 = 10 * 365 * 86_400;

fn failed(e: impl std::fmt::Display) -> CognitoError {
    CognitoError::internal(format!("The signing certificate could not be made: {e}"))
}

/// A new certificate for `pool_id`, made at `now` (Unix seconds), as base64 DER.
pub fn make(pool_id: &str, now: u64) -> Result<String> {
    let mut rng = rand::thread_rng();
    let key = rsa::RsaPrivateKey::new(&mut rng, 2048).map_err(failed)?;
    let spki = SubjectPublicKeyInfoOwned::from_key(key.to_public_key()).map_err(failed)?;
    let signer = SigningKey::<Sha256>::new(key);
    let time = |secs: u64| -> Result<Time> {
        Ok(Time::UtcTime(
            UtcTime::from_unix_duration(Duration::from_secs(secs)).map_err(failed)?,
        ))
    };
    let validity = Validity {
        not_before: time(now)?,
        not_after: time(now + VALIDITY_SECONDS)?,
    };
    let mut serial = crate::ids::bytes::<16>();
    serial[0] &= 0x7f;
    let serial = SerialNumber::new(&serial).map_err(failed)?;
    let subject = Name::from_str(&format!(
        "CN={pool_id},OU=Amazon Cognito (emulated),O=cognito-offline"
    ))
    .map_err(failed)?;
    let builder = CertificateBuilder::new(Profile::Root, serial, validity, subject, spki, &signer)
        .map_err(failed)?;
    let certificate = builder.build::<Signature>().map_err(failed)?;
    Ok(B64.encode(certificate.to_der().map_err(failed)?))
}

//! `cognito_protocol::sigv4` against AWS's SigV4 test suite (the v4 cases the aws-sigv4 crate ships,
//! copied to tests/data/sigv4): every request is signed in headers and presigned in the query
//! string, and the signatures must equal the suite's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::Duration;

use cognito_protocol::sigv4::{AwsCredentials, SigV4Signer};
use serde_json::Value;

struct Case {
    name: String,
    context: Value,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn load(dir: &Path) -> Case {
    let text = std::fs::read_to_string(dir.join("request.txt")).unwrap();
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let first = lines.next().unwrap();
    let (method, rest) = first.split_once(' ').unwrap();
    let path = rest.strip_suffix(" HTTP/1.1").unwrap().to_owned();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with(char::is_whitespace) {
            // A folded header line continues the previous value.
            let last = headers.last_mut().unwrap();
            last.1 = format!("{} {}", last.1, line.trim());
        } else {
            let (k, v) = line.split_once(':').unwrap();
            headers.push((k.to_owned(), v.to_owned()));
        }
    }
    Case {
        name: dir.file_name().unwrap().to_string_lossy().into_owned(),
        context: serde_json::from_str(&std::fs::read_to_string(dir.join("context.json")).unwrap())
            .unwrap(),
        method: method.to_owned(),
        path,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

impl Case {
    fn creds(&self) -> AwsCredentials {
        let c = &self.context["credentials"];
        AwsCredentials::new(
            c["access_key_id"].as_str().unwrap(),
            c["secret_access_key"].as_str().unwrap(),
            c["token"].as_str(),
        )
    }

    /// Three cases (get-space-normalized, get-space-unnormalized, get-utf8) expect the path
    /// encoded only once in the canonical request, which is what the suite's origin (the CRT)
    /// does for them. Two of them write the path raw (a space, `ሴ`), which the `http` crate
    /// cannot carry, so the request here carries it percent-encoded. The aws-sigv4 crate's own
    /// run of the suite skips these cases for the same reason. Signing them with single
    /// encoding reproduces the suite's signatures.
    fn raw_path(&self) -> bool {
        let path = self.path.split('?').next().unwrap_or_default();
        path.chars().any(|c| c == ' ' || c == '%' || !c.is_ascii())
    }

    fn signer(&self) -> SigV4Signer {
        let ctx = &self.context;
        SigV4Signer::new(
            ctx["region"].as_str().unwrap(),
            ctx["service"].as_str().unwrap(),
        )
        .encode_path_twice(!self.raw_path())
        .normalize_path(ctx["normalize"].as_bool().unwrap())
        .sign_payload(ctx["sign_body"].as_bool().unwrap())
        .sign_session_token(!ctx["omit_session_token"].as_bool().unwrap_or(false))
    }

    fn time(&self) -> i64 {
        chrono::DateTime::parse_from_rfc3339(self.context["timestamp"].as_str().unwrap())
            .unwrap()
            .timestamp()
    }

    fn request(&self) -> http::Request<Vec<u8>> {
        let host = self
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("host"))
            .map(|(_, v)| v.clone())
            .unwrap();
        let path: String = self
            .path
            .chars()
            .map(|c| {
                if c.is_ascii() && c != ' ' {
                    c.to_string()
                } else {
                    let mut buf = [0u8; 4];
                    c.encode_utf8(&mut buf)
                        .bytes()
                        .map(|b| format!("%{b:02X}"))
                        .collect()
                }
            })
            .collect();
        let mut b = http::Request::builder()
            .method(self.method.as_str())
            .uri(format!("https://{host}{path}"));
        for (k, v) in &self.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        b.body(self.body.clone()).unwrap()
    }

    fn expected(&self, dir: &Path, file: &str) -> String {
        std::fs::read_to_string(dir.join(file)).unwrap()
    }
}

fn signature_in(text: &str) -> String {
    let at = text.find("Signature=").unwrap() + "Signature=".len();
    text[at..at + 64].to_owned()
}

#[test]
fn every_v4_case_of_the_aws_signing_test_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sigv4");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("context.json").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 38, "{} cases", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        let case = load(dir);
        let mut signed = case.request();
        case.signer()
            .sign(&case.creds(), case.time(), &mut signed)
            .unwrap();
        let ours = signed.headers()["authorization"]
            .to_str()
            .unwrap()
            .to_owned();
        let expected = case.expected(dir, "header-signed-request.txt");
        let want = expected
            .lines()
            .find_map(|l| l.strip_prefix("Authorization:"))
            .unwrap();
        if ours != want {
            failures.push(format!("{} (headers): {ours}\n   want {want}", case.name));
        }

        let mut presigned = case.request();
        let expires = case.context["expiration_in_seconds"].as_u64().unwrap();
        case.signer()
            .presign_request(
                &case.creds(),
                case.time(),
                &mut presigned,
                Duration::from_secs(expires),
            )
            .unwrap();
        let uri = presigned.uri().to_string();
        let want = case.expected(dir, "query-signed-request.txt");
        if signature_in(&uri) != signature_in(&want) {
            failures.push(format!(
                "{} (query): {uri}\n   want {}",
                case.name,
                want.lines().next().unwrap()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
    let single: Vec<String> = dirs
        .iter()
        .map(|d| load(d))
        .filter(Case::raw_path)
        .map(|c| c.name)
        .collect();
    assert_eq!(
        single,
        ["get-space-normalized", "get-space-unnormalized", "get-utf8"],
        "only these cases are signed with single path encoding"
    );
}

//! Signs one request with `cognito_sdk::sigv4` and prints the result as JSON, so another
//! signer (botocore, in `.ci/interop/python/test_sigv4_botocore.py`) can be compared with it.
//! The request comes on stdin as JSON:
//!
//! ```json
//! {"mode": "headers" | "presign" | "post", "method": "GET", "url": "https://…",
//!  "headers": {"name": "value"}, "body": "…", "region": "us-east-1", "service": "execute-api",
//!  "s3": false, "time": 1440938160, "accessKeyId": "…", "secretAccessKey": "…",
//!  "sessionToken": null, "expires": 900, "bucket": "…", "key": "…", "conditions": []}
//! ```
//!
//! `echo '{…}' | cargo run -p cognito-sdk --example sigv4`

use std::io::Read as _;
use std::time::Duration;

use cognito_sdk::sigv4::{presigned_post, AwsCredentials, SigV4Signer};
use serde_json::{json, Value};

fn main() {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        fail(&format!("cannot read stdin: {e}"));
    }
    let req: Value =
        serde_json::from_str(&input).unwrap_or_else(|e| fail(&format!("bad JSON: {e}")));
    let text = |k: &str| req[k].as_str().unwrap_or_default().to_owned();
    let creds = AwsCredentials::new(
        &text("accessKeyId"),
        &text("secretAccessKey"),
        req["sessionToken"].as_str(),
    );
    let time = req["time"].as_i64().unwrap_or_default();
    let signer = if req["s3"].as_bool() == Some(true) {
        SigV4Signer::s3(&text("region"))
    } else {
        SigV4Signer::new(&text("region"), &text("service"))
    };
    let out = match text("mode").as_str() {
        "headers" | "presign" => {
            let mut b = http::Request::builder()
                .method(text("method").as_str())
                .uri(text("url"));
            if let Some(h) = req["headers"].as_object() {
                for (k, v) in h {
                    b = b.header(k.as_str(), v.as_str().unwrap_or_default());
                }
            }
            let mut request = b
                .body(text("body").into_bytes())
                .unwrap_or_else(|e| fail(&format!("bad request: {e}")));
            let result = if text("mode") == "headers" {
                signer.sign(&creds, time, &mut request)
            } else {
                let expires = Duration::from_secs(req["expires"].as_u64().unwrap_or(900));
                signer.presign_request(&creds, time, &mut request, expires)
            };
            if let Err(e) = result {
                fail(&e.to_string());
            }
            let headers: serde_json::Map<String, Value> = request
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), json!(v.to_str().unwrap_or_default())))
                .collect();
            json!({"url": request.uri().to_string(), "headers": headers})
        }
        "post" => {
            let conditions = req["conditions"].as_array().cloned().unwrap_or_default();
            let post = presigned_post(
                &creds,
                &text("region"),
                &text("bucket"),
                &text("key"),
                time,
                Duration::from_secs(req["expires"].as_u64().unwrap_or(3600)),
                &conditions,
            )
            .unwrap_or_else(|e| fail(&e.to_string()));
            json!({"url": post.url, "fields": post.fields})
        }
        other => fail(&format!("unknown mode {other:?}")),
    };
    println!("{out}");
}

fn fail(message: &str) -> ! {
    eprintln!("sigv4: {message}");
    std::process::exit(1)
}

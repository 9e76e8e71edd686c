//! The default transport and endpoint rules: plain http only to this machine unless allowed,
//! redirects not followed, oversized answers refused.

use std::time::Duration;

use cognito_sdk::transport::{HttpRequest, ReqwestTransport, Transport, TransportError};
use cognito_sdk::{CognitoUserPool, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A one-shot HTTP server on loopback that answers every connection with `answer`.
async fn serve(answer: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(&answer).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{address}/")
}

fn post(url: &str) -> HttpRequest {
    HttpRequest {
        method: "POST",
        url: url.to_owned(),
        headers: vec![("content-type".into(), "application/x-amz-json-1.1".into())],
        body: b"{}".to_vec(),
    }
}

#[test]
fn plain_http_only_to_this_machine_unless_allowed() {
    let build = |endpoint: &str, allow: bool| {
        CognitoUserPool::builder("us-east-1_Abc", "client")
            .endpoint(endpoint)
            .allow_insecure_http(allow)
            .build()
    };
    for local in [
        "http://127.0.0.1:9229",
        "http://localhost:9229/",
        "http://[::1]:9229",
        "http://127.2.0.1",
    ] {
        assert!(build(local, false).is_ok(), "{local}");
    }
    for remote in [
        "http://cognito.example.com",
        "http://10.0.0.5:9229",
        "http://localhost.example.com",
    ] {
        let e = build(remote, false).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidArgument(m) if m.contains("plain http")),
            "{remote}: {e}"
        );
        assert!(build(remote, true).is_ok(), "{remote} when allowed");
    }
    assert!(build("https://cognito-idp.us-east-1.amazonaws.com/", false).is_ok());
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere = serve(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".to_vec()).await;
    let redirect = format!(
        "HTTP/1.1 307 Temporary Redirect\r\nlocation: {elsewhere}\r\ncontent-length: 0\r\n\r\n"
    );
    let url = serve(redirect.into_bytes()).await;
    let transport = ReqwestTransport::new(Duration::from_secs(5)).unwrap();
    let response = transport.send(post(&url)).await.unwrap();
    assert_eq!(
        response.status, 307,
        "the redirect is answered, not followed"
    );
}

#[tokio::test]
async fn oversized_answers_are_refused() {
    let size = ReqwestTransport::MAX_RESPONSE_BYTES + 1;
    let mut answer = format!("HTTP/1.1 200 OK\r\ncontent-length: {size}\r\n\r\n").into_bytes();
    answer.extend(std::iter::repeat_n(b'a', size));
    let url = serve(answer).await;
    let transport = ReqwestTransport::new(Duration::from_secs(5)).unwrap();
    let e = transport.send(post(&url)).await.unwrap_err();
    assert!(
        matches!(&e, TransportError::Network(m) if m.to_string().contains("larger than")),
        "{e}"
    );
}

//! The server's bounds, each with a client that breaks it: a slow-header client is cut off, an
//! idle connection is closed, a connection flood is refused while served connections go on
//! being served, and an oversized body on every route is a 413 or Cognito's error.
//!
//! The timing tests run on tokio's paused clock: the runtime moves time forward whenever every
//! task waits, so "ten seconds later" takes no wall-clock time and no test sleeps.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cognito_emulator::{EmulatorBuilder, Limits};
use http_body_util::BodyExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tower::ServiceExt;

fn limits(header: u64, idle: u64, connections: usize) -> Limits {
    Limits {
        header_read_timeout: Duration::from_secs(header),
        idle_timeout: Duration::from_secs(idle),
        max_connections: connections,
        ..Limits::default()
    }
}

const HEALTH: &[u8] = b"GET /_emulator/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n";

/// Sends a health check on a kept-alive connection and reads its answer's status line.
async fn health(stream: &mut TcpStream) -> String {
    stream.write_all(HEALTH).await.unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    // The answer is small; read until its body (a JSON object) has ended.
    while !seen.ends_with(b"}") {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed before answering");
        seen.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&seen).into_owned();
    text.lines().next().unwrap_or_default().to_owned()
}

/// Reads until the server closes; what it sent.
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut all = Vec::new();
    let _ = stream.read_to_end(&mut all).await;
    String::from_utf8_lossy(&all).into_owned()
}

#[tokio::test(start_paused = true)]
async fn a_slow_header_client_is_cut_off() {
    let emu = EmulatorBuilder::default()
        .limits(limits(5, 60, 16))
        .start()
        .await;
    let mut slow = TcpStream::connect(emu.address()).await.unwrap();
    slow.write_all(b"GET /_emulator/health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-a: ")
        .await
        .unwrap();
    let started = Instant::now();
    let answer = until_closed(&mut slow).await;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(60),
        "cut off after {waited:?}"
    );
    assert!(!answer.contains("200 OK"), "{answer}");
    // Others are served meanwhile and after.
    let mut quick = TcpStream::connect(emu.address()).await.unwrap();
    assert!(health(&mut quick).await.contains("200"));
}

#[tokio::test(start_paused = true)]
async fn an_idle_connection_is_closed() {
    let emu = EmulatorBuilder::default()
        .limits(limits(300, 20, 16))
        .start()
        .await;
    let mut conn = TcpStream::connect(emu.address()).await.unwrap();
    assert!(health(&mut conn).await.contains("200"));
    let answered = Instant::now();
    let rest = until_closed(&mut conn).await;
    let waited = answered.elapsed();
    assert!(rest.is_empty());
    assert!(
        waited >= Duration::from_secs(20) && waited < Duration::from_secs(300),
        "closed after {waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_connection_flood_is_refused_without_starving_served_connections() {
    let emu = EmulatorBuilder::default()
        .limits(limits(300, 300, 3))
        .start()
        .await;
    let mut served = Vec::new();
    for _ in 0..3 {
        let mut c = TcpStream::connect(emu.address()).await.unwrap();
        assert!(health(&mut c).await.contains("200"));
        served.push(c);
    }
    for _ in 0..50 {
        let mut extra = TcpStream::connect(emu.address()).await.unwrap();
        let answer = until_closed(&mut extra).await;
        assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
        assert!(answer.contains("ServiceUnavailableException"));
    }
    for c in &mut served {
        assert!(health(c).await.contains("200"));
    }
    // A closed connection frees its place for the next client.
    drop(served.pop());
    let mut next = None;
    for _ in 0..1000 {
        let mut c = TcpStream::connect(emu.address()).await.unwrap();
        c.write_all(HEALTH).await.unwrap();
        let mut first = [0u8; 12];
        if c.read_exact(&mut first).await.is_ok() && first.starts_with(b"HTTP/1.1 200") {
            next = Some(c);
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(next.is_some(), "the freed place was never given out");
}

/// Every route, with a body one byte over the limit: a 413 (or, for the API, Cognito's error),
/// never a handler run on a body it should not have read.
#[tokio::test]
async fn an_oversized_body_on_every_route_is_refused() {
    let (router, _handle) = EmulatorBuilder::default()
        .max_body_bytes(1024)
        .limits(Limits {
            max_import_bytes: 4096,
            ..Limits::default()
        })
        .into_router();
    let routes: &[(&str, &str)] = &[
        ("GET", "/"),
        ("GET", "/us-east-1_x/.well-known/jwks.json"),
        ("GET", "/_emulator/health"),
        ("GET", "/_emulator/outbox"),
        ("POST", "/_emulator/clock"),
        ("DELETE", "/_emulator/journal"),
        ("POST", "/_emulator/faults"),
        ("DELETE", "/_emulator/faults/1"),
        ("POST", "/_emulator/quotas"),
        ("POST", "/_emulator/users/fill"),
        ("POST", "/_emulator/identity/tokens"),
        ("POST", "/_emulator/sigv4/anything"),
        ("GET", "/_emulator/console"),
        ("GET", "/_emulator/overview"),
        ("POST", "/domains/d/login"),
        ("POST", "/domains/d/mfa"),
        ("POST", "/domains/d/oauth2/token"),
        ("POST", "/domains/d/oauth2/revoke"),
        ("GET", "/domains/d/oauth2/userInfo"),
        ("POST", "/nowhere"),
    ];
    let send = |method: &str, path: &str, body: Vec<u8>, declared: bool| {
        let router = router.clone();
        let content_type = if path.starts_with("/domains/") {
            "application/x-www-form-urlencoded"
        } else {
            "application/json"
        };
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "127.0.0.1")
            .header("content-type", content_type)
            .header(
                "x-amz-target",
                "AWSCognitoIdentityProviderService.ListUserPools",
            );
        if declared {
            request = request.header("content-length", body.len());
        }
        // Without a declared length the body arrives as a stream, as a chunked upload does.
        let body = if declared {
            Body::from(body)
        } else {
            Body::from_stream(futures::stream::iter(
                body.chunks(100)
                    .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
                    .collect::<Vec<_>>(),
            ))
        };
        async move {
            let response = router.oneshot(request.body(body).unwrap()).await.unwrap();
            let status = response.status();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8_lossy(&bytes).into_owned())
        }
    };
    for (method, path) in routes {
        let (status, _) = send(method, path, vec![b' '; 1025], true).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{method} {path}");
    }
    // Routes that read their body stop reading at the bound whether or not it was declared.
    for (method, path) in routes.iter().filter(|(m, _)| *m == "POST") {
        let (status, _) = send(method, path, vec![b' '; 1025], false).await;
        // Only the route that does not exist answers 404 (nothing reads its body).
        let expected = if *path == "/nowhere" {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::PAYLOAD_TOO_LARGE
        };
        assert_eq!(status, expected, "{method} {path}");
    }
    // The API answers Cognito's error, declared or streamed.
    for declared in [true, false] {
        let (status, body) = send("POST", "/", vec![b' '; 1025], declared).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("larger than 1024 bytes"), "{body}");
    }
    // The state import has its own, larger bound.
    let (status, _) = send("PUT", "/_emulator/state", vec![b' '; 4097], true).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = send("PUT", "/_emulator/state", vec![b' '; 4097], false).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, body) = send("PUT", "/_emulator/state", vec![b' '; 2000], true).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "read, then refused as JSON: {body}"
    );
}

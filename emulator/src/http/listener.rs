//! The accept loop: HTTP/1.1 on each connection, with a way for a fault to reset the
//! connection instead of answering. A response marked [`ResetConnection`] makes the
//! connection's service fail, so hyper drops the connection; the socket was given
//! `SO_LINGER 0` first, so the peer sees a TCP reset, as after a real network fault.
//!
//! The bounds of [`Limits`] are kept here: a request's headers must arrive within the
//! header-read timeout (hyper's, on tokio's timer); a connection on which no byte moves for the
//! idle timeout is closed (a request in flight gets one more idle period to finish); past the
//! connection limit a new connection is answered `503` at once, without a task, and closed, so
//! a flood costs the connections being served nothing but the accepts.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tower::ServiceExt as _;

use crate::ctx::Limits;
use crate::pipeline::ResetConnection;

/// When a connection last moved a byte, in milliseconds after it was accepted.
#[derive(Debug)]
struct Activity {
    since: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Self {
            since: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.since.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// Resolves once nothing has moved for `idle`.
    async fn idle_for(&self, idle: Duration) {
        loop {
            let last = self.since + Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
            let deadline = last + idle;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// A TCP stream that records its activity and resets (rather than closes) when dropped after
/// a reset was requested.
struct Killable {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
    activity: Arc<Activity>,
}

impl Drop for Killable {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            let _ = socket2::SockRef::from(&self.stream).set_linger(Some(Duration::ZERO));
        }
    }
}

impl AsyncRead for Killable {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Killable {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[derive(Debug)]
struct Reset;

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by an injected fault")
    }
}

impl std::error::Error for Reset {}

async fn connection(
    stream: TcpStream,
    app: Router,
    limits: Limits,
    mut drain: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let reset = Arc::new(AtomicBool::new(false));
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Killable {
        stream,
        reset: reset.clone(),
        activity: activity.clone(),
    });
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let app = app.clone();
        let reset = reset.clone();
        async move {
            let response = match app.oneshot(req.map(Body::new)).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            if response.extensions().get::<ResetConnection>().is_some() {
                reset.store(true, Ordering::SeqCst);
                return Err(Reset);
            }
            Ok(response)
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let served = tokio::select! {
        served = conn.as_mut() => served,
        _ = async { let _ = drain.wait_for(|d| *d).await.map(|_| ()); } => {
            // Finish the request in flight (if any), then close instead of keeping alive.
            conn.as_mut().graceful_shutdown();
            conn.await
        }
        () = activity.idle_for(limits.idle_timeout) => {
            tracing::debug!("closing an idle connection");
            conn.as_mut().graceful_shutdown();
            match tokio::time::timeout(limits.idle_timeout, conn.as_mut()).await {
                Ok(served) => served,
                Err(_) => Ok(()),
            }
        }
    };
    if let Err(e) = served {
        tracing::debug!(error = %e, "connection ended with an error");
    }
}

/// The answer to a connection past the limit.
const TOO_MANY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
content-type: application/x-amz-json-1.1\r\n\
connection: close\r\n\
content-length: 98\r\n\r\n\
{\"__type\":\"ServiceUnavailableException\",\"message\":\"The emulator is serving too many connections.\"}";

/// Answers a connection past the limit without a task: one non-blocking write (a fresh
/// socket's buffer takes it whole), then close.
fn refuse(stream: &TcpStream) {
    let _ = stream.try_write(TOO_MANY);
}

/// How long requests in flight may take to finish after shutdown starts.
pub(crate) const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` fires; then stops accepting, lets requests in
/// flight finish (closing idle connections at once), and after [`DRAIN_TIMEOUT`] closes
/// whatever is left.
pub(crate) async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut shutdown: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    let (drain_tx, drain) = watch::channel(false);
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => match permits.clone().try_acquire_owned() {
                    Ok(permit) => {
                        connections.spawn(connection(stream, app.clone(), limits, drain.clone(), permit));
                    }
                    Err(_) => {
                        tracing::debug!("refusing a connection past the limit");
                        refuse(&stream);
                    }
                },
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    tracing::info!(
        in_flight = connections.len(),
        "no longer accepting connections; draining open ones"
    );
    let _ = drain_tx.send(true);
    let drained = tokio::time::timeout(DRAIN_TIMEOUT, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            left = connections.len(),
            "requests still running after the drain timeout; closing them"
        );
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_refusal_is_a_complete_response() {
        let text = std::str::from_utf8(super::TOO_MANY).unwrap_or_default();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or_default();
        assert!(head.starts_with("HTTP/1.1 503 "));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        assert!(serde_json::from_str::<serde_json::Value>(body).is_ok());
    }
}

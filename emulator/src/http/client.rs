//! The emulator's outgoing HTTP: trigger webhooks and the `health` command. It uses the
//! workspace's one HTTP client (reqwest, as the SDK does) from code that is synchronous: a
//! handler runs on the server's runtime, possibly a current-thread one inside a test, where
//! blocking on a future is not allowed, so each call runs on a thread of its own with a small
//! runtime of its own.

use std::future::Future;
use std::time::Duration;

/// A client with an overall timeout and no redirects (a webhook answers itself).
pub fn client(timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

/// Runs `future` to completion from synchronous code, whatever runtime (if any) the caller is
/// on. Fails only when no runtime can be made.
pub fn blocking<T: Send>(future: impl Future<Output = T> + Send) -> std::io::Result<T> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map(|runtime| runtime.block_on(future))
            })
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the HTTP call panicked")))
    })
}

//! The driver protocol: a client under test that is not the in-process Rust SDK is any
//! executable that reads one JSON command per line on stdin and answers each with one JSON line
//! on stdout (scenarios/README.md has the commands). One process per scenario device, so each
//! device has its own token storage; the runner keeps the emulator, the faults, the quotas and
//! the emulator clock, and tells the driver to move its own clock.
//!
//! An answer is `{"ok": true, "outcome": "signed_in"}` or `{"ok": false, "error": {"name",
//! "message", "kind", "causes", "retryable"?}}`; `kind` is `service` (a Cognito exception named
//! by `name`), `network`, `timeout`, `invalid_response`, `not_signed_in`, `storage`,
//! `unsupported` (the client cannot do that step) or `unknown`. A driver that does not answer
//! within [`ANSWER_LIMIT`] is stopped: the client hung.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use super::report::Observed;

/// How long a driver may take to answer one command (real time: a client with no timeout of its
/// own meets a hanging server here).
pub(super) const ANSWER_LIMIT: Duration = Duration::from_secs(12);

/// A running driver process.
pub(super) struct Driver {
    child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
    /// Set once the driver failed to answer: later steps are not sent.
    dead: Option<String>,
}

impl Driver {
    /// Starts `command` and sends it the configuration line.
    pub(super) async fn start(command: &[String], configure: Value) -> Result<Self, String> {
        let (program, args) = command
            .split_first()
            .ok_or_else(|| "an empty driver command".to_owned())?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start the driver {program}: {e}"))?;
        let stdin = child.stdin.take().ok_or("the driver has no stdin")?;
        let stdout = child.stdout.take().ok_or("the driver has no stdout")?;
        let mut driver = Self {
            child,
            stdin,
            lines: BufReader::new(stdout).lines(),
            dead: None,
        };
        match driver.send(&configure).await {
            Value::Object(a) if a.get("ok") == Some(&Value::Bool(true)) => Ok(driver),
            other => Err(format!("the driver refused its configuration: {other}")),
        }
    }

    /// Sends one command and returns the answer line (or an `ok: false` answer describing why
    /// there is none).
    pub(super) async fn send(&mut self, command: &Value) -> Value {
        if let Some(why) = &self.dead {
            return failure("driver", why);
        }
        let mut line = command.to_string();
        line.push('\n');
        if let Err(e) = self.stdin.write_all(line.as_bytes()).await {
            return self.die(format!("the driver's stdin is closed: {e}"));
        }
        let _ = self.stdin.flush().await;
        match tokio::time::timeout(ANSWER_LIMIT, self.lines.next_line()).await {
            Err(_) => self.die(format!(
                "hung: no answer within {} s",
                ANSWER_LIMIT.as_secs()
            )),
            Ok(Ok(Some(text))) => serde_json::from_str(&text)
                .unwrap_or_else(|e| failure("driver", &format!("not a JSON answer ({e}): {text}"))),
            Ok(Ok(None)) => self.die("the driver exited".into()),
            Ok(Err(e)) => self.die(format!("cannot read the driver: {e}")),
        }
    }

    fn die(&mut self, why: String) -> Value {
        let _ = self.child.start_kill();
        let label = if why.starts_with("hung") {
            "hung"
        } else {
            "driver"
        };
        self.dead = Some(why.clone());
        failure(label, why.trim_start_matches("hung: "))
    }
}

fn failure(kind: &str, message: &str) -> Value {
    json!({"ok": false, "error": {"name": kind, "kind": kind, "message": message}})
}

/// The outcomes a driver may name, as the runner spells them.
const OUTCOMES: [&str; 10] = [
    "ok",
    "signed_in",
    "new_password_required",
    "mfa_required",
    "select_mfa_type",
    "mfa_setup",
    "custom_challenge",
    "select_challenge",
    "passkey",
    "present",
];

/// A driver's answer as an observation: a service error is labelled by its exception name, any
/// other by its kind; the message carries the client's own name, message and causes.
pub(super) fn observed(answer: &Value) -> Observed {
    if answer["ok"] == true {
        let outcome = answer["outcome"].as_str().unwrap_or("ok");
        return match OUTCOMES.iter().find(|o| **o == outcome) {
            Some(o) => Observed::Ok(o),
            None => Observed::Err {
                label: "driver".into(),
                message: format!("an outcome the runner does not know: {outcome}"),
                retryable: None,
            },
        };
    }
    let e = &answer["error"];
    let name = e["name"].as_str().unwrap_or("Error");
    let kind = e["kind"].as_str().unwrap_or("unknown");
    let label = if kind == "service" { name } else { kind };
    let mut message = format!("{name}: {}", e["message"].as_str().unwrap_or_default());
    if let Some(causes) = e["causes"].as_array() {
        for c in causes.iter().filter_map(Value::as_str) {
            message.push_str(": ");
            message.push_str(c);
        }
    }
    Observed::Err {
        label: label.to_owned(),
        message,
        retryable: e["retryable"].as_bool(),
    }
}

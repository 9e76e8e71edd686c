//! The `cognito-emulator` binary as a service: crash safety under `kill -9`, SIGTERM draining
//! requests in flight, clear non-zero exits, export/import between data directories, the
//! health check and JSON logs. Every wait is for an event (a line of output, a reply, an
//! exit), bounded by a generous timeout; nothing sleeps.
//!
//! Longer than most modules on purpose: the process harness (`Server`, the blocking API
//! client) at the top is what every test here shares and nothing else uses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-emulator");
const LIMIT: Duration = Duration::from_secs(60);
const CLIENT: &str = "democlient0000000000000001";
const POOL: &str = "us-east-1_DemoPool1";

struct Server {
    child: Child,
    endpoint: String,
    stderr: Receiver<String>,
}

fn lines(stream: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn start(args: &[&str]) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--port", "0", "--issuer", "aws"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = lines(child.stdout.take().unwrap());
    let stderr = lines(child.stderr.take().unwrap());
    let endpoint = loop {
        match stdout.recv_timeout(LIMIT) {
            Ok(line) => {
                if let Some(rest) = line.split("listening on ").nth(1) {
                    break rest.trim().to_owned();
                }
            }
            Err(e) => {
                let _ = child.kill();
                let err: Vec<String> = stderr.try_iter().collect();
                panic!("the emulator did not start ({e:?}): {err:?}");
            }
        }
    };
    // Keep reading stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in stdout {});
    Server {
        child,
        endpoint,
        stderr,
    }
}

impl Server {
    fn wait_for_log(&self, needle: &str) -> String {
        loop {
            match self.stderr.recv_timeout(LIMIT) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(e) => panic!("no log line with {needle:?}: {e:?}"),
            }
        }
    }

    fn signal(&self, signal: &str) {
        let ok = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{signal} failed");
    }

    fn wait(mut self) -> std::process::ExitStatus {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(self.child.wait());
        });
        rx.recv_timeout(LIMIT).unwrap().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> reqwest::Client {
    cognito_emulator::http_client::client(Duration::from_secs(30)).unwrap()
}

/// An API call: (status, body). Synchronous: the callers are plain threads.
fn call(
    agent: &reqwest::Client,
    endpoint: &str,
    op: &str,
    body: &Value,
) -> Result<(u16, Value), String> {
    let sent = agent
        .post(endpoint)
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        )
        .body(body.to_string());
    cognito_emulator::http_client::blocking(async move {
        let response = sent.send().await.map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(|e| e.to_string())?;
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    })
    .map_err(|e| e.to_string())?
}

fn all_users(endpoint: &str) -> Vec<Value> {
    all_users_of(endpoint, POOL)
}

fn all_users_of(endpoint: &str, pool: &str) -> Vec<Value> {
    let agent = agent();
    let mut users = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"UserPoolId": pool, "Limit": 60});
        if let Some(t) = &token {
            body["PaginationToken"] = json!(t);
        }
        let (status, page) = call(&agent, endpoint, "ListUsers", &body).unwrap();
        assert_eq!(status, 200, "{page}");
        users.extend(page["Users"].as_array().unwrap().iter().cloned());
        match page["PaginationToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => return users,
        }
    }
}

/// Streams sign-ups from eight threads until `count` are acknowledged, then kills the server
/// with SIGKILL while the threads are mid-request; returns the acknowledged usernames.
fn sign_ups_until_killed(server: Server, round: usize, count: usize) -> Vec<String> {
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let (progress, acks) = mpsc::channel::<()>();
    let mut workers = Vec::new();
    for w in 0..8 {
        let endpoint = server.endpoint.clone();
        let acked = acked.clone();
        let progress = progress.clone();
        workers.push(std::thread::spawn(move || {
            let agent = agent();
            for i in 0.. {
                let username = format!("crash-{round}-{w}-{i}");
                let body = json!({"ClientId": CLIENT, "Username": username, "Password": "Passw0rd!",
                                  "UserAttributes": [{"Name": "email", "Value": format!("{username}@example.com")}]});
                match call(&agent, &endpoint, "SignUp", &body) {
                    Ok((200, _)) => {
                        acked.lock().unwrap().push(username);
                        if progress.send(()).is_err() {
                            return;
                        }
                    }
                    // The server was killed under this request: it may or may not be stored.
                    _ => return,
                }
            }
        }));
    }
    drop(progress);
    for _ in 0..count {
        acks.recv_timeout(LIMIT).unwrap();
    }
    let mut server = server;
    server.child.kill().unwrap();
    let _ = server.child.wait();
    drop(acks);
    for w in workers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= count);
    acked
}

#[test]
fn every_acknowledged_sign_up_survives_kill_9_and_none_is_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let mut acked = Vec::new();
    // Three crashes at different points of the stream, each restart on the same directory.
    for (round, count) in [(0, 150), (1, 301), (2, 77)] {
        acked.extend(sign_ups_until_killed(
            start(&["--data", data]),
            round,
            count,
        ));
    }

    let restarted = start(&["--data", data]);
    let users = all_users(&restarted.endpoint);
    let names: Vec<String> = users
        .iter()
        .map(|u| u["Username"].as_str().unwrap().to_owned())
        .collect();
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "a user is listed twice");
    let subs: BTreeSet<String> = users
        .iter()
        .map(|u| {
            u["Attributes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["Name"] == "sub")
                .unwrap()["Value"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(subs.len(), names.len(), "a sub is shared");
    let missing: Vec<&String> = acked.iter().filter(|a| !unique.contains(a)).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    // Signing up an acknowledged user again is refused as a duplicate, and the stored
    // verifier signs the user in once confirmed.
    let agent = agent();
    let (status, body) = call(
        &agent,
        &restarted.endpoint,
        "SignUp",
        &json!({"ClientId": CLIENT, "Username": acked[0], "Password": "Passw0rd!"}),
    )
    .unwrap();
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("UsernameExistsException"))
    );
    let (status, _) = call(
        &agent,
        &restarted.endpoint,
        "AdminConfirmSignUp",
        &json!({"UserPoolId": POOL, "Username": acked[0]}),
    )
    .unwrap();
    assert_eq!(status, 200);
    let (status, body) = call(
        &agent,
        &restarted.endpoint,
        "InitiateAuth",
        &json!({"ClientId": CLIENT, "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": acked[0], "PASSWORD": "Passw0rd!"}}),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
}

/// A one-shot HTTP server for a trigger webhook: reports when the request arrived and
/// answers only when told to.
fn held_webhook() -> (String, Receiver<()>, mpsc::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (arrived_tx, arrived) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        arrived_tx.send(()).unwrap();
        let _ = released.recv_timeout(LIMIT);
        let answer = r#"{"response": {"autoConfirmUser": true}}"#;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
            answer.len()
        )
        .unwrap();
    });
    (url, arrived, release)
}

#[test]
fn sigterm_finishes_the_request_in_flight_then_exits_cleanly() {
    let (hook, arrived, release) = held_webhook();
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    std::fs::write(
        &seed,
        json!({"Pools": [{
            "Id": POOL, "PoolName": "drain",
            "Clients": [{"ClientId": CLIENT, "ClientName": "c"}],
            "Triggers": {"PreSignUp": {"webhook": hook}},
        }]})
        .to_string(),
    )
    .unwrap();
    let server = start(&["--seed", seed.to_str().unwrap()]);
    let endpoint = server.endpoint.clone();
    let in_flight = std::thread::spawn(move || {
        call(
            &agent(),
            &endpoint,
            "SignUp",
            &json!({"ClientId": CLIENT, "Username": "late", "Password": "Passw0rd!"}),
        )
    });
    arrived.recv_timeout(LIMIT).unwrap();
    server.signal("TERM");
    server.wait_for_log("no longer accepting connections");
    // New connections are refused once draining starts.
    let refused = call(
        &agent(),
        &server.endpoint,
        "ListUserPools",
        &json!({"MaxResults": 1}),
    );
    assert!(
        refused.is_err(),
        "a new request was accepted while draining"
    );
    release.send(()).unwrap();
    let (status, body) = in_flight.join().unwrap().unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["UserConfirmed"], true);
    assert!(server.wait().success());
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bind_errors_and_bad_seed_files_exit_non_zero_with_a_clear_message() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = run(&["serve", "--port", &port]);
    assert!(!out.status.success());
    let err = stderr_of(&out);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("{\"Pools\": [", "line 1"),
        ("{\"Pools\": [], \"Typo\": 1}", "unknown field `Typo`"),
        (
            r#"{"Pools": [{"PoolName": "p", "Users": [{"Username": "u", "Password": "Passw0rd!", "Status": "HAPPY"}]}]}"#,
            "Unknown seed user status HAPPY",
        ),
        (r#"{"format_version": 7}"#, "version 7 is not supported"),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("seed{i}.json"));
        std::fs::write(&path, text).unwrap();
        let out = run(&["serve", "--port", "0", "--seed", path.to_str().unwrap()]);
        assert!(!out.status.success(), "{text}");
        let err = stderr_of(&out);
        assert!(err.contains(expected), "{text}: {err}");
        assert!(err.starts_with("cognito-emulator: "), "{err}");
    }
    let out = run(&["serve", "--seed", "/nonexistent/seed.json"]);
    assert!(stderr_of(&out).contains("cannot read /nonexistent/seed.json"));
    let out = run(&["serve", "--quota", "UserAuthentication=fast"]);
    assert!(!out.status.success());
    assert!(stderr_of(&out).contains("fast is not a number"));
    let out = run(&["serve", "--no-such-flag"]);
    assert!(!out.status.success());
}

#[test]
fn export_then_import_moves_a_data_directory_and_tokens_still_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let server = start(&["--data", a.to_str().unwrap()]);
    let agent = agent();
    let (status, signed_in) = call(
        &agent,
        &server.endpoint,
        "InitiateAuth",
        &json!({"ClientId": CLIENT, "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": "demo", "PASSWORD": "DemoPassw0rd!"}}),
    )
    .unwrap();
    assert_eq!(status, 200, "{signed_in}");
    let access = signed_in["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    // The directory is locked while the server runs.
    let out = run(&["export", "--data", a.to_str().unwrap()]);
    assert!(stderr_of(&out).contains("in use by another emulator"));
    server.signal("TERM");
    assert!(server.wait().success());

    let file = dir.path().join("state.json");
    let out = run(&[
        "export",
        "--data",
        a.to_str().unwrap(),
        "--output",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    // The export holds the signing key, and the data directory every verifier: owner-only.
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600, "the export");
        assert_eq!(mode(&a), 0o700, "the data directory");
        for entry in std::fs::read_dir(&a).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && !path.to_string_lossy().ends_with(".lock") {
                assert_eq!(mode(&path), 0o600, "{}", path.display());
            }
        }
    }
    let out = run(&[
        "import",
        "--data",
        b.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("imported 1 pools and 1 users"));

    let moved = start(&["--data", b.to_str().unwrap()]);
    let (status, me) = call(
        &agent,
        &moved.endpoint,
        "GetUser",
        &json!({"AccessToken": access}),
    )
    .unwrap();
    assert_eq!(
        (status, me["Username"].as_str()),
        (200, Some("demo")),
        "{me}"
    );

    // The export also works as a seed file for a server without a data directory.
    drop(moved);
    let seeded = start(&["--seed", file.to_str().unwrap()]);
    let (status, _) = call(
        &agent,
        &seeded.endpoint,
        "GetUser",
        &json!({"AccessToken": access}),
    )
    .unwrap();
    assert_eq!(status, 200);

    let out = run(&["import", "--data", b.to_str().unwrap(), "/nonexistent.json"]);
    assert!(!out.status.success());
    let out = run(&[
        "export",
        "--data",
        dir.path().join("empty").to_str().unwrap(),
    ]);
    assert!(stderr_of(&out).contains("holds no emulator data"));
}

#[test]
fn the_health_check_and_json_logs() {
    let server = start(&["--log-format", "json"]);
    let out = run(&["health", "--url", &server.endpoint]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    server.signal("TERM");
    let line = server.wait_for_log("shutting down");
    let parsed: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(parsed["level"], "INFO");
    assert_eq!(parsed["fields"]["signal"], "SIGTERM");
    let endpoint = server.endpoint.clone();
    assert!(server.wait().success());
    let out = run(&["health", "--url", &endpoint]);
    assert!(!out.status.success());
}

#[test]
fn help_documents_every_flag() {
    for sub in ["serve", "export", "import", "check", "health"] {
        let out = run(&[sub, "--help"]);
        assert!(out.status.success());
        let help = String::from_utf8_lossy(&out.stdout);
        // Every option has a description, on its line or the next.
        let lines: Vec<&str> = help.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let flag = line.trim_start();
            if !flag.starts_with('-') {
                continue;
            }
            let same_line = flag
                .split_once("  ")
                .is_some_and(|(_, d)| !d.trim().is_empty());
            let next_line = lines.get(i + 1).is_some_and(|n| {
                let n = n.trim_start();
                !n.is_empty() && !n.starts_with('-')
            });
            assert!(same_line || next_line, "{sub}: undocumented flag: {line}");
        }
    }
    let out = run(&["serve", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--data",
        "--seed",
        "--host",
        "--port",
        "--log-format",
        "--signing-key",
        "--quota",
        "--fault",
        "--throttle",
    ] {
        assert!(help.contains(flag), "{flag} missing from serve --help");
    }
}

#[test]
fn the_example_seed_checks_and_serves_and_check_refuses_bad_seeds() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/example.json");
    let out = run(&["check", example]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 pools and 3 users, OK"));

    let server = start(&["--seed", example]);
    let agent = agent();
    let (status, body) = call(
        &agent,
        &server.endpoint,
        "InitiateAuth",
        &json!({"ClientId": "exampleclient0000000000001", "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Alice-Passw0rd!"}}),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"Pools": [{"PoolName": "p", "Users": [{"Username": "u", "Password": "short"}]}]}"#,
    )
    .unwrap();
    let out = run(&["check", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("InvalidPasswordException"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_failed_write_is_never_acknowledged() {
    // A file-size limit stands in for a full disk: with SIGXFSZ ignored, writes past the limit
    // fail with EFBIG, as they would with ENOSPC.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut child = Command::new("sh")
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 256; exec \"$0\" serve --port 0 --issuer aws --data \"$1\"",
            BIN,
            data.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = lines(child.stdout.take().unwrap());
    let stderr = lines(child.stderr.take().unwrap());
    let endpoint = loop {
        let line = stdout.recv_timeout(LIMIT).unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in stdout {});
    let server = Server {
        child,
        endpoint,
        stderr,
    };
    let agent = agent();
    let mut acked = Vec::new();
    let mut refused = None;
    for i in 0..20_000 {
        let username = format!("full-{i}-{}", "x".repeat(100));
        let (status, body) = call(
            &agent,
            &server.endpoint,
            "SignUp",
            &json!({"ClientId": CLIENT, "Username": username, "Password": "Passw0rd!"}),
        )
        .unwrap();
        match status {
            200 => acked.push(username),
            _ => {
                refused = Some((status, body));
                break;
            }
        }
    }
    let (status, body) = refused.expect("the file-size limit was never reached");
    assert_eq!(
        (status, body["__type"].as_str()),
        (500, Some("InternalErrorException")),
        "{body}"
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("could not be stored"),
        "{body}"
    );
    server.wait_for_log("durable write failed");
    // Later writes are refused too, never acknowledged.
    let (status, _) = call(
        &agent,
        &server.endpoint,
        "SignUp",
        &json!({"ClientId": CLIENT, "Username": "after-the-failure", "Password": "Passw0rd!"}),
    )
    .unwrap();
    assert_eq!(status, 500);
    drop(server);

    // Without the limit, everything acknowledged is there.
    let restarted = start(&["--data", data.to_str().unwrap()]);
    let names: BTreeSet<String> = all_users(&restarted.endpoint)
        .iter()
        .map(|u| u["Username"].as_str().unwrap().to_owned())
        .collect();
    let missing: Vec<&String> = acked.iter().filter(|a| !names.contains(*a)).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    assert!(!acked.is_empty());
}

#[test]
fn a_seed_applied_at_every_start_keeps_what_changed_since() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/example.json");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let args = ["--data", data.to_str().unwrap(), "--seed", example];
    let pool = "us-east-1_Example01";
    let agent = agent();

    let first = start(&args);
    let (status, _) = call(
        &agent,
        &first.endpoint,
        "AdminSetUserPassword",
        &json!({"UserPoolId": pool, "Username": "alice", "Password": "Changed-Passw0rd!", "Permanent": true}),
    )
    .unwrap();
    assert_eq!(status, 200);
    let (status, _) = call(
        &agent,
        &first.endpoint,
        "AdminDeleteUser",
        &json!({"UserPoolId": pool, "Username": "carol"}),
    )
    .unwrap();
    assert_eq!(status, 200);
    first.signal("TERM");
    assert!(first.wait().success());

    let second = start(&args);
    let sign_in = |password: &str| {
        call(
            &agent,
            &second.endpoint,
            "InitiateAuth",
            &json!({"ClientId": "exampleclient0000000000001", "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": "alice", "PASSWORD": password}}),
        )
        .unwrap()
        .0
    };
    assert_eq!(
        sign_in("Changed-Passw0rd!"),
        200,
        "the change survives the seed"
    );
    assert_eq!(sign_in("Alice-Passw0rd!"), 400);
    let (status, pools) = call(
        &agent,
        &second.endpoint,
        "ListUserPools",
        &json!({"MaxResults": 60}),
    )
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        pools["UserPools"].as_array().unwrap().len(),
        1,
        "no second pool"
    );
    let (_, clients) = call(
        &agent,
        &second.endpoint,
        "ListUserPoolClients",
        &json!({"UserPoolId": pool, "MaxResults": 60}),
    )
    .unwrap();
    assert_eq!(
        clients["UserPoolClients"].as_array().unwrap().len(),
        2,
        "no client twice"
    );
    // The seed puts back what is missing: carol was deleted, so she is created again.
    let names: BTreeSet<String> = all_users_of(&second.endpoint, pool)
        .iter()
        .map(|u| u["Username"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["alice".into(), "bob".into(), "carol".into()])
    );
}

//! What an app just did against the emulator, written as a scenario file skeleton
//! (`GET /_emulator/journal?format=scenario`): the pool and app client it used (with the users it
//! signed in as but did not sign up), the fault rules in force, and one step per thing the app
//! did, in order: sign-ups and confirmations, sign-ins (an SRP exchange is one step; an MFA,
//! custom or new-password challenge that followed is the step after it), refreshes, attribute
//! reads, sign-outs, device confirmations, and the emulator clock moves made through
//! `POST /_emulator/clock`, each with what the app got (`expect`). Requests a client retried
//! after a network, server or throttling failure are one step with the last outcome. Passwords,
//! codes and answers are never recorded: they appear as `CHANGE-ME` to fill in. Requests that
//! no step stands for (admin calls, for instance) are listed as comments.
//!
//! The format is the one `scenarios/` replays; a test there records a session of the Rust SDK,
//! fills in the password and replays the file.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use super::journal::{ControlEvent, ControlNote, JournalEntry};
use crate::ctx::Ctx;

/// What stands in for a value the journal does not keep.
pub const PLACEHOLDER: &str = "CHANGE-ME";

/// A TOML string (TOML basic strings escape as JSON strings do).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// A JSON value as a TOML inline value (nulls dropped).
fn inline(v: &Value) -> String {
    match v {
        Value::Null => "\"\"".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quoted(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(inline).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| format!("{} = {}", bare_or_quoted(k), inline(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

fn bare_or_quoted(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        key.to_owned()
    } else {
        quoted(key)
    }
}

/// Whether a failed request is one a client retries (so the retry is the same step).
fn retried(e: &JournalEntry) -> bool {
    e.status == 0
        || e.status >= 500
        || e.error
            .as_deref()
            .is_some_and(|x| x.starts_with("TooManyRequests"))
}

/// The `expect` of a step from the request that ended it.
fn expect_of(e: &JournalEntry, outcome: Option<&str>) -> Option<String> {
    if e.status == 0 {
        return Some("{ error = \"network\" }".into());
    }
    if let Some(error) = &e.error {
        let name = error.rsplit('#').next().unwrap_or(error);
        return Some(format!("{{ error = {} }}", quoted(name)));
    }
    if e.status >= 300 {
        return Some("{ error = \"any\" }".into());
    }
    outcome.map(|o| format!("{{ outcome = {} }}", quoted(o)))
}

/// The sign-in outcome a challenge answered next stands for.
fn outcome_of_challenge(challenge: &str) -> Option<&'static str> {
    match challenge {
        "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP" => Some("mfa_required"),
        "SELECT_MFA_TYPE" => Some("select_mfa_type"),
        "MFA_SETUP" => Some("mfa_setup"),
        "NEW_PASSWORD_REQUIRED" => Some("new_password_required"),
        "CUSTOM_CHALLENGE" => Some("custom_challenge"),
        "SELECT_CHALLENGE" => Some("select_challenge"),
        _ => None,
    }
}

/// One step of the skeleton: its TOML lines (without `[[steps]]`) and where it came from.
struct Step {
    lines: Vec<String>,
    notes: Vec<String>,
}

impl Step {
    fn new(action: &str) -> Step {
        Step {
            lines: vec![format!("do = {}", quoted(action))],
            notes: Vec::new(),
        }
    }

    fn with(mut self, key: &str, value: &str) -> Step {
        self.lines.push(format!("{key} = {}", quoted(value)));
        self
    }

    fn raw(mut self, key: &str, value: String) -> Step {
        self.lines.push(format!("{key} = {value}"));
        self
    }

    fn expect(mut self, expect: Option<String>) -> Step {
        if let Some(e) = expect {
            self.lines.push(format!("expect = {e}"));
        }
        self
    }
}

fn describe(e: &JournalEntry) -> String {
    let mut s = format!("#{} {}", e.seq, e.operation());
    for part in [e.flow(), e.request.username.as_deref()]
        .into_iter()
        .flatten()
    {
        s.push(' ');
        s.push_str(part);
    }
    let _ = write!(s, " -> {}", e.status);
    if let Some(err) = &e.error {
        let _ = write!(s, " {err}");
    }
    if let Some(fault) = &e.fault {
        let _ = write!(s, " (fault: {fault})");
    }
    s
}

/// Turns the journal into steps.
/// The step a control-plane note stands for.
fn control_step(note: &ControlNote) -> Option<Step> {
    match &note.event {
        ControlEvent::Clock { seconds } if *seconds > 0 => {
            Some(Step::new("advance_clock").raw("seconds", seconds.to_string()))
        }
        ControlEvent::Clock { .. } => None,
        ControlEvent::FaultAdded { rule, .. } => Some(
            Step::new("add_fault")
                .raw("match", inline(&rule["match"]))
                .raw("fault", inline(&rule["fault"])),
        ),
        ControlEvent::FaultsCleared => Some(Step::new("clear_faults")),
        ControlEvent::FaultRemoved { id } => {
            let mut s = Step::new("");
            s.lines.clear();
            s.notes.push(format!(
                "fault rule {id} removed (replay: clear_faults and add the others again)"
            ));
            Some(s)
        }
    }
}

/// Attributes by username (what a sign-up step sends; the journal keeps no bodies, so they are
/// the user's attributes now).
type Attributes = BTreeMap<String, BTreeMap<String, String>>;

/// What the steps show about the client besides them.
#[derive(Default)]
struct Seen {
    /// Users signed up during the recording (not seeded).
    signed_up: BTreeSet<String>,
    /// The most attempts a client made at one step that failed every time: its retry budget.
    attempts: usize,
}

fn steps(
    entries: &[JournalEntry],
    notes: &[ControlNote],
    attributes: &Attributes,
    seen: &mut Seen,
) -> Vec<Step> {
    let mut out = Vec::new();
    let mut notes = notes.iter().peekable();
    let mut i = 0;
    while i < entries.len() {
        // What was done to the emulator before this request.
        while let Some(n) = notes.next_if(|n| n.after_seq < entries[i].seq) {
            out.extend(control_step(n));
        }
        // A run of retries of the same request is one step: the last one tells the outcome.
        let first = &entries[i];
        let same = |e: &JournalEntry| {
            e.operation() == first.operation()
                && e.flow() == first.flow()
                && e.request.username == first.request.username
        };
        // (Not across something done to the emulator in between: that is a new step.)
        let noted_between = |a: &JournalEntry, b: &JournalEntry| {
            notes
                .clone()
                .any(|n| n.after_seq >= a.seq && n.after_seq < b.seq)
        };
        let mut last = i;
        while last + 1 < entries.len()
            && retried(&entries[last])
            && same(&entries[last + 1])
            && !noted_between(&entries[last], &entries[last + 1])
        {
            last += 1;
        }
        let e = &entries[last];
        if retried(e) {
            seen.attempts = seen.attempts.max(last - i + 1);
        }
        let user = e.request.username.clone().unwrap_or_default();
        let next = entries.get(last + 1);
        let op = e.operation();
        let step = match (op, e.flow()) {
            ("SignUp", _) => {
                seen.signed_up.insert(user.clone());
                let mut s = Step::new("sign_up")
                    .with("user", &user)
                    .with("password", PLACEHOLDER);
                if let Some(attrs) = attributes.get(&user).filter(|a| !a.is_empty()) {
                    s = s.raw("attributes", inline(&serde_json::json!(attrs)));
                }
                Some(s.expect(expect_of(e, None)))
            }
            ("ConfirmSignUp", _) => {
                let mut s = Step::new("confirm_sign_up").with("user", &user);
                // A wrong code was sent (a right one comes from the outbox on replay).
                if matches!(e.error.as_deref(), Some(x) if x.contains("CodeMismatch") || x.contains("ExpiredCode"))
                {
                    s = s.with("code", PLACEHOLDER);
                }
                Some(s.expect(expect_of(e, None)))
            }
            ("ResendConfirmationCode", _) => Some(
                Step::new("resend_code")
                    .with("user", &user)
                    .expect(expect_of(e, None)),
            ),
            (
                "InitiateAuth",
                Some(flow @ ("USER_SRP_AUTH" | "USER_PASSWORD_AUTH" | "CUSTOM_AUTH")),
            ) => {
                // An SRP exchange's second half belongs to this step.
                let mut end = e;
                if let Some(n) = next.filter(|n| {
                    n.operation() == "RespondToAuthChallenge"
                        && n.flow() == Some("PASSWORD_VERIFIER")
                }) {
                    end = n;
                    last += 1;
                }
                let challenge_next = entries
                    .get(last + 1)
                    .filter(|n| n.operation() == "RespondToAuthChallenge")
                    .and_then(|n| n.flow())
                    .and_then(outcome_of_challenge);
                let outcome = if end.status == 200 && end.error.is_none() {
                    Some(challenge_next.unwrap_or("signed_in"))
                } else {
                    None
                };
                let mut s = Step::new("sign_in")
                    .with("user", &user)
                    .with("password", PLACEHOLDER);
                match flow {
                    "USER_PASSWORD_AUTH" => s = s.with("flow", "password"),
                    "CUSTOM_AUTH" => s = s.with("flow", "custom"),
                    _ => {}
                }
                Some(s.expect(expect_of(end, outcome)))
            }
            ("InitiateAuth", Some("REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN"))
            | ("GetTokensFromRefreshToken", _) => {
                Some(Step::new("refresh_session").expect(expect_of(e, None)))
            }
            ("RespondToAuthChallenge", Some("SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP")) => {
                Some(
                    Step::new("send_mfa_code")
                        .with("user", &user)
                        .expect(expect_of(e, (e.status == 200).then_some("signed_in"))),
                )
            }
            ("RespondToAuthChallenge", Some("CUSTOM_CHALLENGE")) => Some(
                Step::new("answer_custom_challenge")
                    .with("user", &user)
                    .with("answer", PLACEHOLDER)
                    .expect(expect_of(e, None)),
            ),
            ("RespondToAuthChallenge", Some("NEW_PASSWORD_REQUIRED")) => Some(
                Step::new("complete_new_password")
                    .with("user", &user)
                    .with("password", PLACEHOLDER)
                    .expect(expect_of(e, None)),
            ),
            ("GetUser", _) => Some(Step::new("get_user_attributes").expect(expect_of(e, None))),
            ("GlobalSignOut", _) => Some(Step::new("global_sign_out").expect(expect_of(e, None))),
            ("RevokeToken", _) => Some(
                Step::new("sign_out")
                    .raw("revoke", "true".into())
                    .expect(expect_of(e, None)),
            ),
            ("ConfirmDevice", _) => Some(
                Step::new("confirm_device")
                    .with("user", &user)
                    .with("name", "recorded device")
                    .expect(expect_of(e, None)),
            ),
            ("ForgetDevice", _) => Some(
                Step::new("forget_device")
                    .with("user", &user)
                    .expect(expect_of(e, None)),
            ),
            _ => None,
        };
        let notes: Vec<String> = entries[i..=last]
            .iter()
            .filter(|e| e.fault.is_some())
            .map(describe)
            .collect();
        match step {
            Some(mut s) => {
                s.notes = notes;
                out.push(s);
            }
            None => {
                // Not replayed: say what it was, where it happened.
                let mut s = Step::new("");
                s.lines.clear();
                s.notes = entries[i..=last].iter().map(describe).collect();
                out.push(s);
            }
        }
        i = last + 1;
    }
    out.extend(notes.filter_map(control_step));
    out
}

/// The scenario file skeleton of what the journal holds (see the module doc).
pub fn scenario(ctx: &Ctx) -> String {
    let entries = ctx.journal.entries();
    let notes = ctx.journal.notes();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# Recorded by the emulator (GET /_emulator/journal?format=scenario): {} requests, {} clock moves and fault changes.\n\
         # Passwords, codes and answers are not recorded: replace {} before replaying.",
        entries.len(),
        notes.len(),
        quoted(PLACEHOLDER)
    );
    let count = |f: &dyn Fn(&JournalEntry) -> Option<String>| {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for e in &entries {
            if let Some(k) = f(e) {
                *seen.entry(k).or_default() += 1;
            }
        }
        seen.into_iter().max_by_key(|(_, n)| *n).map(|(k, _)| k)
    };
    let client_id = count(&|e| e.request.client_id.clone());
    let pool_id = count(&|e| e.request.pool_id.clone());
    let _ = writeln!(text, "name = \"Recorded from the emulator's journal\"");
    let _ = writeln!(
        text,
        "description = \"What an app did, as the emulator saw it: edit the expectations into the behaviour you want.\""
    );
    let mut seen = Seen::default();
    let attributes: Attributes = pool_id
        .as_deref()
        .map(|pool_id| {
            ctx.store.with(|state| {
                let Ok(pool) = state.pool(pool_id) else {
                    return Attributes::new();
                };
                entries
                    .iter()
                    .filter(|e| e.operation() == "SignUp")
                    .filter_map(|e| e.request.username.clone())
                    .filter_map(|login| {
                        let user = pool.find_user(&login)?;
                        let attrs = user
                            .attributes
                            .iter()
                            .filter(|(k, _)| {
                                !matches!(
                                    k.as_str(),
                                    "sub" | "email_verified" | "phone_number_verified"
                                )
                            })
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect();
                        Some((login, attrs))
                    })
                    .collect()
            })
        })
        .unwrap_or_default();
    let steps = steps(&entries, &notes, &attributes, &mut seen);
    let signed_up = &seen.signed_up;
    if pool_id.is_some() || seen.attempts > 0 {
        text.push_str("\n[sdk]\n");
        if let Some(p) = &pool_id {
            let _ = writeln!(text, "pool = {}", quoted(p));
        }
        if let Some(c) = &client_id {
            let _ = writeln!(text, "client = {}", quoted(c));
        }
        if seen.attempts > 0 {
            let _ = writeln!(
                text,
                "# The client gave up after {} attempts at one step: its retry budget.\nretry = {{ max_attempts = {} }}",
                seen.attempts, seen.attempts
            );
        }
    }

    if let Some(pool_id) = &pool_id {
        ctx.store.with(|state| {
            let Ok(pool) = state.pool(pool_id) else {
                return;
            };
            let _ = writeln!(
                text,
                "\n[[pools]]\nId = {}\nPoolName = {}",
                quoted(&pool.id),
                quoted(&pool.name)
            );
            let s = &pool.settings;
            if let Some(a) = &s.auto_verified_attributes {
                let _ = writeln!(
                    text,
                    "AutoVerifiedAttributes = {}",
                    inline(&serde_json::json!(a))
                );
            }
            if let Some(m) = &s.mfa_configuration {
                let _ = writeln!(text, "MfaConfiguration = {}", quoted(m));
            }
            if !pool.username_attributes.is_empty() {
                let _ = writeln!(
                    text,
                    "UsernameAttributes = {}",
                    inline(&serde_json::json!(pool.username_attributes))
                );
            }
            if !pool.alias_attributes.is_empty() {
                let _ = writeln!(
                    text,
                    "AliasAttributes = {}",
                    inline(&serde_json::json!(pool.alias_attributes))
                );
            }
            if let Some(client) = client_id.as_deref().and_then(|c| pool.clients.get(c)) {
                let _ = writeln!(
                    text,
                    "\n[[pools.Clients]]\nClientId = {}\nClientName = {}",
                    quoted(&client.id),
                    quoted(&client.name)
                );
                if let Some(secret) = &client.secret {
                    let _ = writeln!(
                        text,
                        "ClientSecret = {}\nGenerateSecret = true",
                        quoted(secret)
                    );
                }
                if let Some(flows) = &client.settings.explicit_auth_flows {
                    let _ = writeln!(
                        text,
                        "ExplicitAuthFlows = {}",
                        inline(&serde_json::json!(flows))
                    );
                }
            }
            // Users the app used without signing them up here.
            let used: BTreeSet<String> = entries
                .iter()
                .filter(|e| e.request.pool_id.as_deref() == Some(pool.id.as_str()))
                .filter_map(|e| e.request.username.clone())
                .filter(|u| !signed_up.contains(u))
                .collect();
            for login in used {
                let Some(user) = pool.find_user(&login) else {
                    continue;
                };
                let _ = writeln!(
                    text,
                    "\n[[pools.Users]]\nUsername = {}\nPassword = {}",
                    quoted(&user.username),
                    quoted(PLACEHOLDER)
                );
                let attrs: BTreeMap<&str, &str> = user
                    .attributes
                    .iter()
                    .filter(|(k, _)| k != "sub")
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                if !attrs.is_empty() {
                    let _ = writeln!(text, "Attributes = {}", inline(&serde_json::json!(attrs)));
                }
            }
        });
    } else {
        let _ = writeln!(text, "\n# No request named a pool: add [[pools]] by hand.");
    }

    // Rules in force that no note accounts for (added in-process): as if there from the start.
    let noted: BTreeSet<u64> = notes
        .iter()
        .filter_map(|n| match n.event {
            ControlEvent::FaultAdded { id, .. } => Some(id),
            _ => None,
        })
        .collect();
    for rule in ctx
        .faults
        .list()
        .into_iter()
        .filter(|r| !noted.contains(&r.id))
    {
        let spec = serde_json::to_value(&rule.spec).unwrap_or(Value::Null);
        let _ = writeln!(
            text,
            "\n[[faults]]  # rule {}: seen {} matching requests, fired {} times\nmatch = {}\nfault = {}",
            rule.id,
            rule.seen,
            rule.fired,
            inline(&spec["match"]),
            inline(&spec["fault"])
        );
    }

    for step in steps {
        text.push('\n');
        for note in &step.notes {
            let _ = writeln!(text, "# {note}");
        }
        if step.lines.is_empty() {
            continue;
        }
        text.push_str("[[steps]]\n");
        for line in &step.lines {
            let _ = writeln!(text, "{line}");
        }
    }
    text
}

//! What a replay reports: what each step produced ([`Observed`]), how that is checked against
//! the scenario's expectation, and the report and failure shapes, with the journal lines they
//! quote.

use std::fmt::Write as _;

use cognito_emulator::JournalEntry;
use cognito_sdk::Error;

use crate::format::{Action, Expect};

/// What a step produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    /// Success: `ok`, `signed_in` or `new_password_required`.
    Ok(&'static str),
    /// Failure.
    Err {
        /// The exception, or the kind of failure (`network`, `timeout` …).
        label: String,
        /// The message with its causes.
        message: String,
        /// Whether it is retryable (unknown for clients that do not say).
        retryable: Option<bool>,
    },
}

impl std::fmt::Display for Observed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Ok(o) => f.write_str(o),
            Self::Err { label, message, .. } => write!(f, "error {label} ({message})"),
        }
    }
}

pub(super) fn observe(e: &Error) -> Observed {
    let label = match e {
        Error::Service { kind, .. } => kind.code().to_owned(),
        Error::Network { .. } => "network".into(),
        Error::Timeout { .. } => "timeout".into(),
        Error::InvalidResponse { .. } => "invalid_response".into(),
        Error::Srp(_) => "srp".into(),
        Error::Storage { .. } => "storage".into(),
        Error::NotSignedIn(_) => "not_signed_in".into(),
        Error::InvalidToken(_) => "invalid_token".into(),
        Error::UnexpectedChallenge(_) => "unexpected_challenge".into(),
        _ => "other".into(),
    };
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let _ = write!(message, ": {s}");
        source = s.source();
    }
    Observed::Err {
        label,
        message,
        retryable: Some(e.is_retryable()),
    }
}

pub(super) fn assertion(message: String) -> Observed {
    Observed::Err {
        label: "assertion".into(),
        message,
        retryable: None,
    }
}

/// Whether `observed` is what `expect` asks for; `Err` describes the expectation.
pub(super) fn check(expect: Option<&Expect>, observed: &Observed) -> Result<(), String> {
    let default = Expect::default();
    let e = expect.unwrap_or(&default);
    let wanted = match (&e.outcome, &e.error) {
        (_, Some(err)) => format!("error {err}"),
        (Some(o), None) => o.clone(),
        (None, None) => "ok".into(),
    };
    let matches = match (observed, &e.error) {
        (Observed::Ok(o), None) => e
            .outcome
            .as_deref()
            .is_none_or(|want| want == *o || (want == "ok" && *o != "new_password_required")),
        (
            Observed::Err {
                label,
                message,
                retryable,
            },
            Some(want),
        ) => {
            (want == label || want == "any")
                && e.message_contains
                    .as_ref()
                    .is_none_or(|m| message.contains(m.as_str()))
                && e.retryable
                    .is_none_or(|r| retryable.is_none_or(|got| got == r))
        }
        _ => false,
    };
    if matches {
        Ok(())
    } else {
        let mut w = wanted;
        if let Some(m) = &e.message_contains {
            let _ = write!(w, " containing {m:?}");
        }
        if let Some(r) = e.retryable {
            let _ = write!(w, " (retryable: {r})");
        }
        Err(w)
    }
}

/// A step that went as expected.
#[derive(Debug, Clone)]
pub struct StepReport {
    /// 1-based.
    pub index: usize,
    /// What the step did.
    pub summary: String,
    /// What came of it.
    pub observed: String,
    /// The requests that reached the emulator during the step (journal lines).
    pub requests: Vec<String>,
    /// Whether it was what the scenario expects.
    pub as_expected: bool,
}

/// One replay against one client, whether it went as expected or not.
#[derive(Debug, Clone)]
pub struct Replay {
    /// The client.
    pub client: String,
    /// The steps taken (up to the first one not as expected) and the whole journal.
    pub report: Report,
    /// The first step not as expected, if any.
    pub failure: Option<Failure>,
}

/// A replayed scenario.
#[derive(Debug, Clone)]
pub struct Report {
    /// The file.
    pub file: String,
    /// The scenario's title.
    pub name: String,
    /// The behaviour promised.
    pub description: String,
    /// Every step.
    pub steps: Vec<StepReport>,
    /// The request journal, one line a request.
    pub journal: Vec<String>,
    /// What the emulator's journal makes of the run as a scenario file skeleton
    /// (`GET /_emulator/journal?format=scenario`).
    pub recorded: String,
}

/// A scenario that did not go as expected.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: step {step} ({summary}): expected {expected}, got {actual}")]
pub struct Failure {
    /// The file.
    pub file: String,
    /// The step (1-based; 0 for set-up).
    pub step: usize,
    /// What the step did.
    pub summary: String,
    /// What was expected.
    pub expected: String,
    /// What happened.
    pub actual: String,
}

/// One line of journal: `InitiateAuth REFRESH_TOKEN_AUTH -> 200`, with the error and fault.
pub fn journal_line(e: &JournalEntry) -> String {
    let mut line = e.request.operation.clone();
    if let Some(f) = &e.request.flow {
        let _ = write!(line, " {f}");
    }
    if let Some(u) = &e.request.username {
        let _ = write!(line, " {u}");
    }
    let _ = write!(
        line,
        " -> {}",
        if e.status == 0 {
            "reset".to_owned()
        } else {
            e.status.to_string()
        }
    );
    if let Some(err) = &e.error {
        let _ = write!(line, " {err}");
    }
    if let Some(f) = &e.fault {
        let _ = write!(line, " [{f}]");
    }
    line
}

pub(super) fn summary(action: &Action) -> String {
    let who = |u: &Option<String>| u.clone().unwrap_or_else(|| "current user".into());
    match action {
        Action::SignUp { user, .. } => format!("sign_up {user}"),
        Action::ConfirmSignUp { user, .. } => format!("confirm_sign_up {user}"),
        Action::ResendCode { user } => format!("resend_code {user}"),
        Action::SignIn {
            user, flow, factor, ..
        } => format!(
            "sign_in {user} ({}{})",
            flow.as_deref().unwrap_or("srp"),
            factor
                .as_ref()
                .map(|f| format!(", {f}"))
                .unwrap_or_default()
        ),
        Action::RegisterPasskey { user } => format!("register_passkey {user}"),
        Action::AnswerPasskey { user } => format!("answer_passkey {user}"),
        Action::LosePasskey => "lose_passkey".into(),
        Action::DeletePasskeys { user } => format!("delete_passkeys {user}"),
        Action::CompleteNewPassword { user, .. } => format!("complete_new_password {user}"),
        Action::SendMfaCode { user, .. } => format!("send_mfa_code {user}"),
        Action::AnswerCustomChallenge { user, answer } => {
            format!("answer_custom_challenge {user} ({answer})")
        }
        Action::GetSession { user } => format!("get_session {}", who(user)),
        Action::RefreshSession { user } => format!("refresh_session {}", who(user)),
        Action::GetUserAttributes { user } => format!("get_user_attributes {}", who(user)),
        Action::CopySession { from } => format!("copy_session from {from}"),
        Action::GlobalSignOut { user } => format!("global_sign_out {}", who(user)),
        Action::SignOut { user, revoke } => format!(
            "sign_out {}{}",
            who(user),
            if *revoke { " (revoke)" } else { "" }
        ),
        Action::ConfirmDevice { user, name, .. } => format!("confirm_device {user} ({name})"),
        Action::ForgetDevice { user } => format!("forget_device {user}"),
        Action::AdvanceClock { seconds } => format!("advance_clock {seconds}s"),
        Action::AddFault { fault, .. } => format!("add_fault {}", fault.name()),
        Action::ClearFaults => "clear_faults".into(),
        Action::Throttling { enabled } => {
            format!("throttling {}", if *enabled { "on" } else { "off" })
        }
        Action::SetQuota { category, rate, .. } => format!("set_quota {category}={rate}"),
        Action::Admin { operation, .. } => format!("admin {operation}"),
        Action::Concurrent { count, step } => format!("{count} × {}", summary(step)),
        Action::ExpectJournal {
            operation,
            flow,
            count,
            ..
        } => format!(
            "expect_journal {operation}{} = {count}",
            flow.as_ref().map(|f| format!(" {f}")).unwrap_or_default()
        ),
        Action::ExpectStorage { user, tokens } => format!("expect_storage {} {tokens}", who(user)),
    }
}

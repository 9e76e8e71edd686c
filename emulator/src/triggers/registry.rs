//! Which trigger handlers each pool has (closures, declarative rules or webhooks), the
//! invocations made so far, and declarative custom authentication. Invoking them is
//! `crate::triggers::invoke`; this module knows nothing of requests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The triggers the emulator invokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TriggerKind {
    /// Before a user is created by SignUp (autoConfirmUser, autoVerifyEmail/Phone, or reject).
    PreSignUp,
    /// After a sign-up or a forgotten password is confirmed.
    PostConfirmation,
    /// Before a sign-in is checked (reject to refuse it).
    PreAuthentication,
    /// After a successful sign-in.
    PostAuthentication,
    /// Before tokens are issued (add, override or suppress claims; override groups).
    PreTokenGeneration,
    /// Before a code or an invitation is sent (rewrite the email or SMS text).
    CustomMessage,
    /// When an unknown user signs in with USER_PASSWORD_AUTH (create them from a legacy store).
    UserMigration,
    /// CUSTOM_AUTH: decides the next challenge, or to issue tokens, or to fail.
    DefineAuthChallenge,
    /// CUSTOM_AUTH: creates a CUSTOM_CHALLENGE (public and private parameters).
    CreateAuthChallenge,
    /// CUSTOM_AUTH: checks the answer to a CUSTOM_CHALLENGE.
    VerifyAuthChallengeResponse,
}

/// A closure handler: gets the event, returns the event's `response` (or an error message).
pub type TriggerFn = Arc<dyn Fn(&Value) -> std::result::Result<Value, String> + Send + Sync>;

/// How a trigger is answered.
#[derive(Clone)]
pub enum TriggerHandler {
    /// A Rust closure.
    Closure(TriggerFn),
    /// Declarative rules.
    Rules(TriggerRules),
    /// An HTTP endpoint that receives the event and returns it with `response` filled.
    Webhook(String),
}

impl std::fmt::Debug for TriggerHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Closure(_) => f.write_str("Closure"),
            Self::Rules(r) => f.debug_tuple("Rules").field(r).finish(),
            Self::Webhook(u) => f.debug_tuple("Webhook").field(u).finish(),
        }
    }
}

/// Declarative rules, as written in seed and scenario files:
/// `{"response": {"autoConfirmUser": true}}`, `{"fail": "Invitations only"}`, or
/// `{"webhook": "http://127.0.0.1:8080/hook"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerRules {
    /// The response to give every event.
    #[serde(default)]
    pub response: Option<Value>,
    /// Fail every event with this message.
    #[serde(default)]
    pub fail: Option<String>,
    /// Forward every event to this URL instead.
    #[serde(default)]
    pub webhook: Option<String>,
}

impl TriggerRules {
    /// The handler these rules describe.
    pub fn handler(self) -> TriggerHandler {
        match self.webhook.clone() {
            Some(url) => TriggerHandler::Webhook(url),
            None => TriggerHandler::Rules(self),
        }
    }
}

/// One invocation, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invocation {
    /// Which trigger.
    pub kind: TriggerKind,
    /// The event sent.
    pub event: Value,
    /// The response received, or the failure.
    pub outcome: std::result::Result<Value, String>,
}

/// The handlers of one emulator, by pool and trigger.
#[derive(Debug, Default)]
pub struct Triggers {
    handlers: Mutex<HashMap<(String, TriggerKind), TriggerHandler>>,
    invocations: Mutex<std::collections::VecDeque<Invocation>>,
}

impl Triggers {
    /// Registers (or replaces) the handler of a pool's trigger.
    pub fn set(&self, pool_id: &str, kind: TriggerKind, handler: TriggerHandler) {
        self.handlers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((pool_id.to_owned(), kind), handler);
    }

    /// Registers a closure.
    ///
    /// ```
    /// use cognito_emulator::triggers::{TriggerKind, Triggers};
    /// let t = Triggers::default();
    /// t.set_fn("us-east-1_abc", TriggerKind::PreSignUp, |_event| Ok(serde_json::json!({"autoConfirmUser": true})));
    /// ```
    pub fn set_fn(
        &self,
        pool_id: &str,
        kind: TriggerKind,
        f: impl Fn(&Value) -> std::result::Result<Value, String> + Send + Sync + 'static,
    ) {
        self.set(pool_id, kind, TriggerHandler::Closure(Arc::new(f)));
    }

    /// Whether any pool has a handler (which may block: a webhook, a closure).
    pub fn any(&self) -> bool {
        !self
            .handlers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }

    /// Removes a pool's handler for a trigger.
    pub fn remove(&self, pool_id: &str, kind: TriggerKind) {
        self.handlers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&(pool_id.to_owned(), kind));
    }

    /// How many invocations are remembered; older ones are forgotten first, so a long run
    /// with triggers does not grow without end.
    pub const REMEMBERED: usize = 1_000;

    /// The latest invocations (at most [`Self::REMEMBERED`]), oldest first.
    pub fn invocations(&self) -> Vec<Invocation> {
        self.invocations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    pub(crate) fn record(&self, invocation: Invocation) {
        let mut all = self.invocations.lock().unwrap_or_else(|e| e.into_inner());
        if all.len() == Self::REMEMBERED {
            all.pop_front();
        }
        all.push_back(invocation);
    }

    pub(super) fn handler(&self, pool_id: &str, kind: TriggerKind) -> Option<TriggerHandler> {
        self.handlers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(pool_id.to_owned(), kind))
            .cloned()
    }

    /// Whether a pool has a handler for a trigger.
    pub fn has(&self, pool_id: &str, kind: TriggerKind) -> bool {
        self.handler(pool_id, kind).is_some()
    }
}

/// Declarative custom authentication for seed and scenario files: one CUSTOM_CHALLENGE whose
/// answer is `answer`, failing after `max_attempts` wrong answers (default 3). A client that
/// starts CUSTOM_AUTH with SRP_A proves its password (PASSWORD_VERIFIER) first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CustomAuthRules {
    /// The expected answer.
    pub answer: String,
    /// Wrong answers allowed before the sign-in fails.
    #[serde(default)]
    pub max_attempts: Option<usize>,
}

impl CustomAuthRules {
    /// Installs the three CUSTOM_AUTH triggers for a pool.
    pub fn install(&self, triggers: &Triggers, pool_id: &str) {
        let max = self.max_attempts.unwrap_or(3);
        triggers.set_fn(pool_id, TriggerKind::DefineAuthChallenge, move |event| {
            let session = event["request"]["session"].as_array().cloned().unwrap_or_default();
            if session.last().is_some_and(|s| s["challengeName"] == "SRP_A") {
                return Ok(json!({"challengeName": "PASSWORD_VERIFIER", "issueTokens": false, "failAuthentication": false}));
            }
            let answered: Vec<&Value> = session.iter().filter(|s| s["challengeName"] == "CUSTOM_CHALLENGE").collect();
            if answered.last().is_some_and(|s| s["challengeResult"] == true) {
                return Ok(json!({"issueTokens": true, "failAuthentication": false}));
            }
            if answered.len() >= max {
                return Ok(json!({"issueTokens": false, "failAuthentication": true}));
            }
            Ok(json!({"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false}))
        });
        let answer = self.answer.clone();
        triggers.set_fn(pool_id, TriggerKind::CreateAuthChallenge, move |_| {
            Ok(json!({"publicChallengeParameters": {"question": "What is the answer?"}, "privateChallengeParameters": {"answer": answer}, "challengeMetadata": "ANSWER"}))
        });
        triggers.set_fn(pool_id, TriggerKind::VerifyAuthChallengeResponse, |event| {
            let right = event["request"]["privateChallengeParameters"]["answer"]
                == event["request"]["challengeAnswer"];
            Ok(json!({"answerCorrect": right}))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_latest_invocations_are_remembered() {
        let triggers = Triggers::default();
        for i in 0..Triggers::REMEMBERED + 5 {
            triggers.record(Invocation {
                kind: TriggerKind::PreSignUp,
                event: serde_json::json!(i),
                outcome: Ok(Value::Null),
            });
        }
        let kept = triggers.invocations();
        assert_eq!(kept.len(), Triggers::REMEMBERED);
        assert_eq!(kept[0].event, serde_json::json!(5));
        assert_eq!(
            kept.last().map(|i| i.event.clone()),
            Some(serde_json::json!(Triggers::REMEMBERED + 4))
        );
    }
}

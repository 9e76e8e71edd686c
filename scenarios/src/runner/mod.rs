//! Replays a scenario: seeds an in-process emulator, points an SDK pool at it (with a manual
//! clock moved together with the emulator's), runs each step, compares what happened with what
//! was expected, and keeps the request journal for the report and snapshots.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cognito_emulator::faults::FaultSpec;
use cognito_emulator::quota::Quota;
use cognito_emulator::{seed, ControlEvent, Emulator, JournalEntry};
use cognito_sdk::clock::ManualClock;
use cognito_sdk::retry::RetryPolicy;
use cognito_sdk::storage::{Keys, MemoryStorage, Storage};
use cognito_sdk::{
    AuthFlow, AuthOutcome, AuthenticationDetails, CognitoUser, CognitoUserPool, Error, FirstFactor,
    SignUp,
};

mod driver;
mod passkey;
mod report;

use serde_json::{json, Value};

use crate::format::{Action, Scenario};

use report::{assertion, check, observe, summary};
pub use report::{journal_line, Failure, Observed, Replay, Report, StepReport};

/// One device: its own session storage and SDK pool (sharing the clock and app client).
struct Device {
    pool: CognitoUserPool,
    storage: Arc<MemoryStorage>,
    users: Mutex<HashMap<String, CognitoUser>>,
    /// Each user's pending challenge (the last sign-in step that was not a session).
    challenges: Mutex<HashMap<String, AuthOutcome>>,
    /// The device's passkey authenticator.
    authenticator: tokio::sync::Mutex<passkey::SoftAuthenticator>,
    /// The client under test when it is not the in-process SDK: the device's driver process.
    driver: Option<tokio::sync::Mutex<driver::Driver>>,
}

/// The client a scenario replays against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Client {
    /// The Rust SDK, in process.
    Rust,
    /// A driver process speaking the driver protocol (scenarios/README.md).
    Driver {
        /// Its name in reports.
        name: String,
        /// The program and its arguments.
        command: Vec<String>,
    },
}

impl Client {
    /// Its name in reports.
    pub fn name(&self) -> &str {
        match self {
            Self::Rust => "rust",
            Self::Driver { name, .. } => name,
        }
    }
}

impl Device {
    fn pending(&self, user: &str) -> Option<AuthOutcome> {
        self.challenges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(user)
            .cloned()
    }

    fn set_pending(&self, user: &str, outcome: Option<AuthOutcome>) {
        let mut map = self.challenges.lock().unwrap_or_else(|e| e.into_inner());
        match outcome {
            Some(o) => map.insert(user.to_owned(), o),
            None => map.remove(user),
        };
    }

    fn user(&self, name: &str) -> CognitoUser {
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        users
            .entry(name.to_owned())
            .or_insert_with(|| self.pool.user(name))
            .clone()
    }

    async fn named_or_current(&self, name: &Option<String>) -> Result<CognitoUser, Error> {
        match name {
            Some(n) => Ok(self.user(n)),
            None => self
                .pool
                .current_user()
                .await?
                .ok_or_else(|| Error::NotSignedIn("storage has no LastAuthUser".into())),
        }
    }
}

struct Run {
    emu: Emulator,
    pool_id: String,
    client_id: String,
    secret: Option<String>,
    clock: Arc<ManualClock>,
    timeout: Duration,
    retry: RetryPolicy,
    devices: Mutex<HashMap<String, Arc<Device>>>,
    client: Client,
}

impl Run {
    async fn device(&self, name: Option<&str>) -> Result<Arc<Device>, Error> {
        let name = name.unwrap_or("main");
        if let Some(d) = self
            .devices
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
        {
            return Ok(d.clone());
        }
        let storage = Arc::new(MemoryStorage::default());
        let mut builder = CognitoUserPool::builder(&self.pool_id, &self.client_id)
            .endpoint(&self.emu.endpoint())
            .storage(storage.clone())
            .clock(self.clock.clone())
            .timeout(self.timeout)
            .retry(self.retry);
        if let Some(s) = &self.secret {
            builder = builder.client_secret(s);
        }
        let driver = match &self.client {
            Client::Rust => None,
            Client::Driver { command, .. } => {
                let configure = json!({
                    "cmd": "configure",
                    "device": name,
                    "endpoint": self.emu.endpoint(),
                    "region": self.pool_id.split('_').next().unwrap_or("us-east-1"),
                    "poolId": self.pool_id,
                    "clientId": self.client_id,
                    "clientSecret": self.secret,
                    "timeoutMs": u64::try_from(self.timeout.as_millis()).unwrap_or(u64::MAX),
                    "nowMs": self.emu.clock().now_secs() * 1000,
                });
                let d = driver::Driver::start(command, configure)
                    .await
                    .map_err(|e| Error::NotSignedIn(format!("driver: {e}")))?;
                Some(tokio::sync::Mutex::new(d))
            }
        };
        let device = Arc::new(Device {
            pool: builder.build()?,
            storage,
            users: Mutex::new(HashMap::new()),
            challenges: Mutex::new(HashMap::new()),
            authenticator: tokio::sync::Mutex::new(passkey::SoftAuthenticator::new()),
            driver,
        });
        let mut devices = self.devices.lock().unwrap_or_else(|e| e.into_inner());
        Ok(devices.entry(name.to_owned()).or_insert(device).clone())
    }

    /// The code a step names, else the user's last one in the outbox.
    fn code_for(&self, user: &str, code: &Option<String>) -> Result<String, Observed> {
        match code {
            Some(c) => Ok(c.clone()),
            None => self
                .emu
                .outbox()
                .last_code(&self.pool_id, user)
                .ok_or_else(|| assertion(format!("no code for {user} in the outbox"))),
        }
    }

    /// The driver command for a client step, `None` for the steps the runner takes itself.
    fn driver_command(&self, action: &Action) -> Option<Result<Value, Observed>> {
        let cmd = match action {
            Action::SignUp {
                user,
                password,
                attributes,
            } => {
                json!({"cmd": "sign_up", "user": user, "password": password, "attributes": attributes})
            }
            Action::ConfirmSignUp { user, code } => match self.code_for(user, code) {
                Ok(code) => json!({"cmd": "confirm_sign_up", "user": user, "code": code}),
                Err(e) => return Some(Err(e)),
            },
            Action::ResendCode { user } => json!({"cmd": "resend_code", "user": user}),
            Action::SignIn {
                user,
                password,
                flow,
                factor,
            } => json!({"cmd": "sign_in", "user": user, "password": password,
                "flow": flow.as_deref().unwrap_or("srp"), "factor": factor}),
            Action::SendMfaCode { user, code } => match self.code_for(user, code) {
                Ok(code) => json!({"cmd": "send_mfa_code", "user": user, "code": code}),
                Err(e) => return Some(Err(e)),
            },
            Action::AnswerCustomChallenge { user, answer } => {
                json!({"cmd": "answer_custom_challenge", "user": user, "answer": answer})
            }
            Action::CompleteNewPassword {
                user,
                password,
                attributes,
            } => json!({"cmd": "complete_new_password", "user": user, "password": password,
                "attributes": attributes}),
            Action::GetSession { user } => json!({"cmd": "get_session", "user": user}),
            Action::RefreshSession { user } => json!({"cmd": "refresh_session", "user": user}),
            Action::GlobalSignOut { user } => json!({"cmd": "global_sign_out", "user": user}),
            Action::GetUserAttributes { user } => {
                json!({"cmd": "get_user_attributes", "user": user})
            }
            Action::SignOut { user, revoke } => {
                json!({"cmd": "sign_out", "user": user, "revoke": revoke})
            }
            Action::ConfirmDevice {
                user,
                name,
                remember,
            } => json!({"cmd": "confirm_device", "user": user, "name": name, "remember": remember}),
            Action::ForgetDevice { user } => json!({"cmd": "forget_device", "user": user}),
            Action::RegisterPasskey { user } => json!({"cmd": "register_passkey", "user": user}),
            Action::AnswerPasskey { user } => json!({"cmd": "answer_passkey", "user": user}),
            Action::LosePasskey => json!({"cmd": "lose_passkey"}),
            Action::DeletePasskeys { user } => json!({"cmd": "delete_passkeys", "user": user}),
            _ => return None,
        };
        Some(Ok(cmd))
    }

    /// A step for a driver: the runner's own steps are taken here, client steps are sent.
    async fn execute_driver(
        &self,
        driver: &tokio::sync::Mutex<driver::Driver>,
        action: &Action,
    ) -> Option<Observed> {
        match action {
            Action::ExpectStorage { user, tokens } => {
                let answer = driver
                    .lock()
                    .await
                    .send(&json!({"cmd": "storage", "user": user}))
                    .await;
                if answer["ok"] != true {
                    return Some(driver::observed(&answer));
                }
                let held = answer["tokens"].as_str().unwrap_or("absent");
                return Some(if held == tokens {
                    Observed::Ok("ok")
                } else {
                    assertion(format!("the client's tokens are {held}, expected {tokens}"))
                });
            }
            Action::CopySession { from } => {
                let source = match self.device(Some(from)).await {
                    Ok(s) => s,
                    Err(e) => return Some(observe(&e)),
                };
                let Some(source_driver) = &source.driver else {
                    return Some(assertion("the source device has no driver".into()));
                };
                let dump = source_driver
                    .lock()
                    .await
                    .send(&json!({"cmd": "dump_storage"}))
                    .await;
                if dump["ok"] != true {
                    return Some(driver::observed(&dump));
                }
                let answer = driver
                    .lock()
                    .await
                    .send(&json!({"cmd": "load_storage", "items": dump["items"]}))
                    .await;
                return Some(driver::observed(&answer));
            }
            _ => {}
        }
        match self.driver_command(action)? {
            Ok(cmd) => Some(driver::observed(&driver.lock().await.send(&cmd).await)),
            Err(observed) => Some(observed),
        }
    }

    fn execute<'a>(
        &'a self,
        device: &'a Device,
        action: &'a Action,
    ) -> futures::future::BoxFuture<'a, Observed> {
        Box::pin(async move {
            if let Some(driver) = &device.driver {
                if let Some(observed) = self.execute_driver(driver, action).await {
                    return observed;
                }
            }
            let done =
                |r: Result<(), Error>| r.map_or_else(|e| observe(&e), |()| Observed::Ok("ok"));
            match action {
                Action::SignUp {
                    user,
                    password,
                    attributes,
                } => {
                    let mut req = SignUp::new(user, password);
                    for (k, v) in attributes {
                        req = req.attribute(k, v);
                    }
                    done(device.pool.sign_up(req).await.map(|_| ()))
                }
                Action::ConfirmSignUp { user, code } => {
                    let code = match code {
                        Some(c) => c.clone(),
                        None => match self.emu.outbox().last_code(&self.pool_id, user) {
                            Some(c) => c,
                            None => return assertion(format!("no code for {user} in the outbox")),
                        },
                    };
                    done(device.user(user).confirm_registration(&code, false).await)
                }
                Action::ResendCode { user } => done(
                    device
                        .user(user)
                        .resend_confirmation_code()
                        .await
                        .map(|_| ()),
                ),
                Action::SignIn {
                    user,
                    password,
                    flow,
                    factor,
                } => {
                    let details = AuthenticationDetails::new(user, password);
                    let details = match flow.as_deref() {
                        None | Some("srp") => details,
                        Some("password") => details.flow(AuthFlow::UserPassword),
                        Some("custom") => details.flow(AuthFlow::Custom),
                        Some("custom_srp") => details.flow(AuthFlow::CustomWithSrp),
                        Some("user_auth") => details.flow(AuthFlow::UserAuth),
                        Some(other) => return assertion(format!("unknown sign-in flow {other:?}")),
                    };
                    let details = match factor.as_deref() {
                        None => details,
                        Some(f) => match first_factor(f) {
                            Some(f) if flow.as_deref() == Some("user_auth") => {
                                details.preferred_challenge(f)
                            }
                            _ => {
                                return assertion(format!(
                                    "factor {f:?} needs flow = \"user_auth\" and one of password, password_srp, email_otp, sms_otp, web_authn"
                                ))
                            }
                        },
                    };
                    Self::outcome(device, user, device.user(user).authenticate(details).await)
                }
                Action::RegisterPasskey { user } => {
                    let u = device.user(user);
                    let options = match u.start_webauthn_registration().await {
                        Ok(o) => o,
                        Err(e) => return observe(&e),
                    };
                    let created = device.authenticator.lock().await.create(options).await;
                    match created {
                        Ok(credential) => done(u.complete_webauthn_registration(&credential).await),
                        Err(why) => authenticator_error(why),
                    }
                }
                Action::AnswerPasskey { user } => {
                    let Some(AuthOutcome::WebAuthn(challenge)) = device.pending(user) else {
                        return assertion(format!("{user} has no pending passkey challenge"));
                    };
                    let asserted = device
                        .authenticator
                        .lock()
                        .await
                        .get(challenge.request_options.clone())
                        .await;
                    match asserted {
                        Ok(assertion) => Self::outcome(
                            device,
                            user,
                            device
                                .user(user)
                                .send_webauthn_assertion(&challenge, &assertion)
                                .await,
                        ),
                        Err(why) => authenticator_error(why),
                    }
                }
                Action::LosePasskey => {
                    *device.authenticator.lock().await = passkey::SoftAuthenticator::new();
                    Observed::Ok("ok")
                }
                Action::DeletePasskeys { user } => {
                    let u = device.user(user);
                    match u.list_webauthn_credentials().await {
                        Ok(passkeys) => {
                            for p in passkeys {
                                if let Err(e) = u.delete_webauthn_credential(&p.credential_id).await
                                {
                                    return observe(&e);
                                }
                            }
                            Observed::Ok("ok")
                        }
                        Err(e) => observe(&e),
                    }
                }
                Action::CompleteNewPassword {
                    user,
                    password,
                    attributes,
                } => {
                    let Some(AuthOutcome::NewPasswordRequired(challenge)) = device.pending(user)
                    else {
                        return assertion(format!("{user} has no pending new-password challenge"));
                    };
                    Self::outcome(
                        device,
                        user,
                        device
                            .user(user)
                            .complete_new_password(&challenge, password, attributes)
                            .await,
                    )
                }
                Action::SendMfaCode { user, code } => {
                    let Some(AuthOutcome::MfaRequired(challenge)) = device.pending(user) else {
                        return assertion(format!("{user} has no pending code challenge"));
                    };
                    let code = match code {
                        Some(c) => c.clone(),
                        None => match self.emu.outbox().last_code(&self.pool_id, user) {
                            Some(c) => c,
                            None => return assertion(format!("no code for {user} in the outbox")),
                        },
                    };
                    Self::outcome(
                        device,
                        user,
                        device.user(user).send_mfa_code(&challenge, &code).await,
                    )
                }
                Action::AnswerCustomChallenge { user, answer } => {
                    let Some(AuthOutcome::CustomChallenge(challenge)) = device.pending(user) else {
                        return assertion(format!("{user} has no pending custom challenge"));
                    };
                    Self::outcome(
                        device,
                        user,
                        device
                            .user(user)
                            .send_custom_challenge_answer(&challenge, answer, &Default::default())
                            .await,
                    )
                }
                Action::GetSession { user } => match device.named_or_current(user).await {
                    Ok(u) => done(u.get_session().await.map(|_| ())),
                    Err(e) => observe(&e),
                },
                Action::RefreshSession { user } => match device.named_or_current(user).await {
                    Ok(u) => done(u.refresh_session().await.map(|_| ())),
                    Err(e) => observe(&e),
                },
                Action::CopySession { from } => {
                    match self.device(Some(from)).await {
                        Ok(source) => {
                            let entries: Vec<(String, String)> =
                                source.storage.snapshot().into_iter().collect();
                            done(device.storage.set_many(&entries).await.map_err(|e| {
                                Error::Storage {
                                    source: Arc::new(e),
                                }
                            }))
                        }
                        Err(e) => observe(&e),
                    }
                }
                Action::GlobalSignOut { user } => match device.named_or_current(user).await {
                    Ok(u) => done(u.global_sign_out().await),
                    Err(e) => observe(&e),
                },
                Action::GetUserAttributes { user } => match device.named_or_current(user).await {
                    Ok(u) => done(u.get_user_attributes().await.map(|_| ())),
                    Err(e) => observe(&e),
                },
                Action::SignOut { user, revoke } => match device.named_or_current(user).await {
                    Ok(u) => done(u.sign_out(*revoke).await),
                    Err(e) => observe(&e),
                },
                Action::ConfirmDevice {
                    user,
                    name,
                    remember,
                } => done(
                    device
                        .user(user)
                        .confirm_device(name, *remember)
                        .await
                        .map(|_| ()),
                ),
                Action::ForgetDevice { user } => done(device.user(user).forget_device(None).await),
                Action::AdvanceClock { seconds } => {
                    self.emu.clock().advance(Duration::from_secs(*seconds));
                    self.emu.journal().note(ControlEvent::Clock {
                        seconds: i64::try_from(*seconds).unwrap_or(i64::MAX),
                    });
                    self.clock.advance(Duration::from_secs(*seconds));
                    let drivers: Vec<Arc<Device>> = self
                        .devices
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .values()
                        .cloned()
                        .collect();
                    for d in drivers {
                        if let Some(driver) = &d.driver {
                            let answer = driver
                                .lock()
                                .await
                                .send(&json!({"cmd": "advance_clock", "seconds": seconds}))
                                .await;
                            if answer["ok"] != true {
                                return driver::observed(&answer);
                            }
                        }
                    }
                    Observed::Ok("ok")
                }
                Action::AddFault { when, fault } => {
                    let rule = FaultSpec {
                        when: when.clone(),
                        fault: fault.clone(),
                    };
                    match self.emu.faults().add(rule.clone()) {
                        Ok(id) => {
                            self.emu.journal().note(ControlEvent::FaultAdded {
                                id,
                                rule: serde_json::to_value(&rule).unwrap_or_default(),
                            });
                            Observed::Ok("ok")
                        }
                        Err(e) => assertion(e.to_string()),
                    }
                }
                Action::ClearFaults => {
                    self.emu.faults().clear();
                    self.emu.journal().note(ControlEvent::FaultsCleared);
                    Observed::Ok("ok")
                }
                Action::Throttling { enabled } => {
                    self.emu.throttle().set_enabled(*enabled);
                    Observed::Ok("ok")
                }
                Action::SetQuota {
                    category,
                    rate,
                    burst,
                } => match self.emu.throttle().set_quota(
                    category,
                    Quota {
                        rate: *rate,
                        burst: *burst,
                    },
                ) {
                    Ok(()) => Observed::Ok("ok"),
                    Err(e) => assertion(e.to_string()),
                },
                Action::Admin { operation, input } => match self
                    .emu
                    .call::<serde_json::Value, serde_json::Value>(operation, input)
                {
                    Ok(_) => Observed::Ok("ok"),
                    Err(e) => Observed::Err {
                        label: e.kind.code().to_owned(),
                        message: e.message,
                        retryable: None,
                    },
                },
                Action::Concurrent { .. } => {
                    assertion("concurrent steps are run by the runner, not nested".into())
                }
                Action::ExpectJournal {
                    operation,
                    flow,
                    error,
                    count,
                } => {
                    let entries = self.emu.journal().entries();
                    let matching: Vec<&JournalEntry> = entries
                        .iter()
                        .filter(|e| is_operation(e, operation))
                        .filter(|e| flow.is_none() || e.request.flow == *flow)
                        .filter(|e| match error.as_deref() {
                            None => true,
                            Some("none") => e.error.is_none() && e.status == 200,
                            Some(code) => e.error.as_deref() == Some(code),
                        })
                        .collect();
                    if matching.len() == *count {
                        Observed::Ok("ok")
                    } else {
                        let lines: Vec<String> = matching.iter().map(|e| journal_line(e)).collect();
                        assertion(format!(
                            "{} matching requests, not {count}: {lines:?}",
                            matching.len()
                        ))
                    }
                }
                Action::ExpectStorage { user, tokens } => {
                    let name = match user {
                        Some(u) => device.user(u).username(),
                        None => match device
                            .storage
                            .get(&Keys::new(device.pool.client_id()).last_auth_user())
                            .await
                        {
                            Ok(Some(u)) => u,
                            _ => device
                                .users
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .values()
                                .next()
                                .map(CognitoUser::username)
                                .unwrap_or_default(),
                        },
                    };
                    let keys = Keys::new(device.pool.client_id());
                    let stored = device.storage.snapshot();
                    let present = stored.contains_key(&keys.refresh_token(&name))
                        && stored.contains_key(&keys.access_token(&name));
                    match (tokens.as_str(), present) {
                        ("present", true) | ("absent", false) => Observed::Ok("ok"),
                        (want, _) => assertion(format!(
                            "tokens of {name} are {}, expected {want}",
                            if present { "present" } else { "absent" }
                        )),
                    }
                }
            }
        })
    }

    fn outcome(device: &Device, user: &str, r: Result<AuthOutcome, Error>) -> Observed {
        match r {
            Ok(AuthOutcome::SignedIn(_)) => {
                device.set_pending(user, None);
                Observed::Ok("signed_in")
            }
            Ok(other) => {
                let name = match &other {
                    AuthOutcome::NewPasswordRequired(_) => "new_password_required",
                    AuthOutcome::MfaRequired(_) => "mfa_required",
                    AuthOutcome::SelectMfaType(_) => "select_mfa_type",
                    AuthOutcome::MfaSetup(_) => "mfa_setup",
                    AuthOutcome::CustomChallenge(_) => "custom_challenge",
                    AuthOutcome::SelectChallenge(_) => "select_challenge",
                    AuthOutcome::WebAuthn(_) => "passkey",
                    _ => "ok",
                };
                device.set_pending(user, Some(other));
                Observed::Ok(name)
            }
            Err(e) => observe(&e),
        }
    }
}

/// Whether a journal entry is of `operation`; `refresh` stands for any refresh, whichever
/// operation the client uses (GetTokensFromRefreshToken, or (Admin)InitiateAuth's
/// REFRESH_TOKEN_AUTH).
fn is_operation(e: &JournalEntry, operation: &str) -> bool {
    if operation == "refresh" {
        return e.request.operation == "GetTokensFromRefreshToken"
            || (e.request.operation.ends_with("InitiateAuth")
                && matches!(
                    e.request.flow.as_deref(),
                    Some("REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN")
                ));
    }
    e.request.operation == operation
}

/// A `factor` of a `user_auth` sign-in.
fn first_factor(name: &str) -> Option<FirstFactor> {
    Some(match name {
        "password" => FirstFactor::Password,
        "password_srp" => FirstFactor::PasswordSrp,
        "email_otp" => FirstFactor::EmailOtp,
        "sms_otp" => FirstFactor::SmsOtp,
        "web_authn" => FirstFactor::WebAuthn,
        _ => return None,
    })
}

/// The device's authenticator could not answer (it holds no passkey for the request).
fn authenticator_error(why: String) -> Observed {
    Observed::Err {
        label: "authenticator".into(),
        message: why,
        retryable: None,
    }
}

/// Replays a scenario against the Rust SDK; `file` names it in reports and failures.
pub async fn run(scenario: &Scenario, file: &str) -> Result<Report, Failure> {
    run_with(scenario, file, &Client::Rust).await
}

/// Replays a scenario against `client`; `Err` at the first step not as expected.
pub async fn run_with(scenario: &Scenario, file: &str, client: &Client) -> Result<Report, Failure> {
    let replayed = replay(scenario, file, client).await;
    match replayed.failure {
        Some(f) => Err(f),
        None => Ok(replayed.report),
    }
}

/// Replays a scenario against `client` up to the first step not as expected, keeping what the
/// client did and the journal either way.
pub async fn replay(scenario: &Scenario, file: &str, client: &Client) -> Replay {
    let mut steps = Vec::new();
    let (failure, journal, recorded) = match replay_steps(scenario, file, client, &mut steps).await
    {
        Ok((journal, recorded)) => (None, journal, recorded),
        Err((f, journal)) => (Some(f), journal, String::new()),
    };
    Replay {
        client: client.name().to_owned(),
        report: Report {
            file: file.to_owned(),
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            steps,
            journal,
            recorded,
        },
        failure,
    }
}

type Journal = Vec<String>;

async fn replay_steps(
    scenario: &Scenario,
    file: &str,
    client: &Client,
    steps: &mut Vec<StepReport>,
) -> Result<(Journal, String), (Failure, Journal)> {
    let no_journal = |f: Failure| (f, Vec::new());
    let setup_failure = |expected: &str, actual: String| Failure {
        file: file.to_owned(),
        step: 0,
        summary: "set-up".into(),
        expected: expected.to_owned(),
        actual,
    };
    let emu = Emulator::start().await;
    emu.clock().freeze();
    let seeded = seed::apply(
        &emu,
        &seed::Seed {
            pools: scenario.pools.clone(),
            quotas: scenario.quotas.clone(),
        },
    )
    .map_err(|e| no_journal(setup_failure("the pools to seed", e.to_string())))?;
    let pool = match &scenario.sdk.pool {
        Some(id) => seeded.pools.iter().find(|p| p.pool_id == *id),
        None => seeded.pools.first(),
    }
    .ok_or_else(|| no_journal(setup_failure("a pool", "none seeded".into())))?;
    let (client_id, secret) = match &scenario.sdk.client {
        Some(id) => pool.clients.iter().find(|(c, _)| c == id),
        None => pool.clients.first(),
    }
    .cloned()
    .ok_or_else(|| no_journal(setup_failure("an app client", "none seeded".into())))?;
    for rule in &scenario.faults {
        let rule = FaultSpec {
            when: rule.when.clone(),
            fault: rule.fault.clone(),
        };
        let id = emu
            .faults()
            .add(rule.clone())
            .map_err(|e| no_journal(setup_failure("valid fault rules", e.to_string())))?;
        emu.journal().note(ControlEvent::FaultAdded {
            id,
            rule: serde_json::to_value(&rule).unwrap_or_default(),
        });
    }
    let clock = Arc::new(ManualClock::at(emu.clock().now_secs()));
    let retry = scenario.sdk.retry.map_or(
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        },
        |r| RetryPolicy {
            max_attempts: r.max_attempts.max(1),
            base_delay: Duration::from_millis(r.base_delay_ms),
            max_delay: Duration::from_millis(r.max_delay_ms),
        },
    );
    let run = Run {
        pool_id: pool.pool_id.clone(),
        client_id,
        secret,
        emu,
        clock,
        timeout: Duration::from_millis(scenario.sdk.timeout_ms.unwrap_or(2000)),
        retry,
        devices: Mutex::new(HashMap::new()),
        client: client.clone(),
    };
    run.device(None)
        .await
        .map_err(|e| no_journal(setup_failure("a client", e.to_string())))?;

    let lines = |run: &Run| -> Journal {
        run.emu
            .journal()
            .entries()
            .iter()
            .map(journal_line)
            .collect()
    };
    for (i, step) in scenario.steps.iter().enumerate() {
        let index = i + 1;
        let summary = match &step.device {
            Some(d) => format!("[{d}] {}", summary(&step.action)),
            None => summary(&step.action),
        };
        let fail = |expected: String, actual: String| Failure {
            file: file.to_owned(),
            step: index,
            summary: summary.clone(),
            expected,
            actual,
        };
        // The requests of this step are those journalled after the last one seen so far.
        let seen = run.emu.journal().entries().last().map_or(0, |e| e.seq);
        let device = match run.device(step.device.as_deref()).await {
            Ok(d) => d,
            Err(e) => return Err((fail("a device".into(), e.to_string()), lines(&run))),
        };
        let (observed, verdict) = match &step.action {
            Action::Concurrent { count, step: inner } => {
                let results: Vec<Observed> = match (&device.driver, run.driver_command(inner)) {
                    // A driver runs the copies itself, in one process sharing its storage.
                    (Some(driver), Some(Ok(command))) => {
                        let answer = driver
                            .lock()
                            .await
                            .send(&json!({"cmd": "concurrent", "count": count, "step": command}))
                            .await;
                        match answer["results"].as_array() {
                            Some(list) if answer["ok"] == true => {
                                list.iter().map(driver::observed).collect()
                            }
                            _ => vec![driver::observed(&answer)],
                        }
                    }
                    (Some(_), Some(Err(o))) => vec![o],
                    _ => {
                        futures::future::join_all((0..*count).map(|_| run.execute(&device, inner)))
                            .await
                    }
                };
                let verdict = results.iter().enumerate().try_for_each(|(k, r)| {
                    check(step.expect.as_ref(), r)
                        .map_err(|want| fail(want, format!("{r} (copy {} of {count})", k + 1)))
                });
                let shown = format!(
                    "{count} × {}",
                    results.first().map(ToString::to_string).unwrap_or_default()
                );
                (shown, verdict)
            }
            action => {
                let r = run.execute(&device, action).await;
                let verdict =
                    check(step.expect.as_ref(), &r).map_err(|want| fail(want, r.to_string()));
                (r.to_string(), verdict)
            }
        };
        let requests = run
            .emu
            .journal()
            .entries()
            .iter()
            .filter(|e| e.seq > seen)
            .map(journal_line)
            .collect();
        steps.push(StepReport {
            index,
            summary,
            observed,
            requests,
            as_expected: verdict.is_ok(),
        });
        if let Err(f) = verdict {
            return Err((f, lines(&run)));
        }
    }
    Ok((lines(&run), run.emu.recorded_scenario()))
}

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

mod passkey;
mod report;

use crate::format::{Action, Scenario};

use report::{assertion, check, observe, summary};
pub use report::{journal_line, Failure, Observed, Report, StepReport};

/// One device: its own session storage and SDK pool (sharing the clock and app client).
struct Device {
    pool: CognitoUserPool,
    storage: Arc<MemoryStorage>,
    users: Mutex<HashMap<String, CognitoUser>>,
    /// Each user's pending challenge (the last sign-in step that was not a session).
    challenges: Mutex<HashMap<String, AuthOutcome>>,
    /// The device's passkey authenticator.
    authenticator: tokio::sync::Mutex<passkey::SoftAuthenticator>,
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
}

impl Run {
    fn device(&self, name: Option<&str>) -> Result<Arc<Device>, Error> {
        let name = name.unwrap_or("main");
        let mut devices = self.devices.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = devices.get(name) {
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
        let device = Arc::new(Device {
            pool: builder.build()?,
            storage,
            users: Mutex::new(HashMap::new()),
            challenges: Mutex::new(HashMap::new()),
            authenticator: tokio::sync::Mutex::new(passkey::SoftAuthenticator::new()),
        });
        devices.insert(name.to_owned(), device.clone());
        Ok(device)
    }

    fn execute<'a>(
        &'a self,
        device: &'a Device,
        action: &'a Action,
    ) -> futures::future::BoxFuture<'a, Observed> {
        Box::pin(async move {
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
                    match self.device(Some(from)) {
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
                        retryable: false,
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
                        .filter(|e| e.request.operation == *operation)
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
        retryable: false,
    }
}

/// Replays a scenario; `file` names it in reports and failures.
pub async fn run(scenario: &Scenario, file: &str) -> Result<Report, Failure> {
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
    .map_err(|e| setup_failure("the pools to seed", e.to_string()))?;
    let pool = match &scenario.sdk.pool {
        Some(id) => seeded.pools.iter().find(|p| p.pool_id == *id),
        None => seeded.pools.first(),
    }
    .ok_or_else(|| setup_failure("a pool", "none seeded".into()))?;
    let (client_id, secret) = match &scenario.sdk.client {
        Some(id) => pool.clients.iter().find(|(c, _)| c == id),
        None => pool.clients.first(),
    }
    .cloned()
    .ok_or_else(|| setup_failure("an app client", "none seeded".into()))?;
    for rule in &scenario.faults {
        let rule = FaultSpec {
            when: rule.when.clone(),
            fault: rule.fault.clone(),
        };
        let id = emu
            .faults()
            .add(rule.clone())
            .map_err(|e| setup_failure("valid fault rules", e.to_string()))?;
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
    };
    run.device(None)
        .map_err(|e| setup_failure("an SDK pool", e.to_string()))?;

    let mut steps = Vec::new();
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
        let device = run
            .device(step.device.as_deref())
            .map_err(|e| fail("a device".into(), e.to_string()))?;
        let observed = match &step.action {
            Action::Concurrent { count, step: inner } => {
                let results =
                    futures::future::join_all((0..*count).map(|_| run.execute(&device, inner)))
                        .await;
                for (k, r) in results.iter().enumerate() {
                    check(step.expect.as_ref(), r)
                        .map_err(|want| fail(want, format!("{r} (copy {} of {count})", k + 1)))?;
                }
                format!(
                    "{count} × {}",
                    results.first().map(ToString::to_string).unwrap_or_default()
                )
            }
            action => {
                let r = run.execute(&device, action).await;
                check(step.expect.as_ref(), &r).map_err(|want| fail(want, r.to_string()))?;
                r.to_string()
            }
        };
        steps.push(StepReport {
            index,
            summary,
            observed,
        });
    }
    let journal = run
        .emu
        .journal()
        .entries()
        .iter()
        .map(journal_line)
        .collect();
    Ok(Report {
        file: file.to_owned(),
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        steps,
        journal,
        recorded: run.emu.recorded_scenario(),
    })
}

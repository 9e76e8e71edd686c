//! Signing in: the details a user gives, the outcomes Cognito can answer with, and the
//! USER_SRP_AUTH / USER_PASSWORD_AUTH exchanges that get there.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::srp::{self, ClaimInput, ClientEphemeral};
use crate::user::outcome::{
    AuthFlow, AuthOutcome, AuthenticationDetails, CustomChallenge, NewPasswordChallenge,
};
use crate::user::CognitoUser;
use crate::wire::{
    AuthResponse, InitiateAuthRequest, RespondToAuthChallengeRequest, Sensitive, StringMap,
};

impl CognitoUser {
    /// Signs in with the flow of the details (USER_SRP_AUTH by default).
    pub async fn authenticate(&self, details: AuthenticationDetails) -> Result<AuthOutcome> {
        match details.flow {
            AuthFlow::UserSrp => self.srp_sign_in(&details, false).await,
            AuthFlow::CustomWithSrp => self.srp_sign_in(&details, true).await,
            AuthFlow::UserAuth => self.choice_sign_in(&details).await,
            AuthFlow::UserPassword => self.password_sign_in(&details).await,
            AuthFlow::Custom => {
                let params = BTreeMap::from([("USERNAME".to_owned(), details.username.clone())]);
                let out = self
                    .initiate_auth(
                        "CUSTOM_AUTH",
                        params,
                        &details.username,
                        Some(details.client_metadata.clone()),
                    )
                    .await?;
                self.handle_auth_response(out).await
            }
        }
    }

    /// InitiateAuth with `SECRET_HASH` (computed over `hash_user`) added when the client has a
    /// secret.
    pub(crate) async fn initiate_auth(
        &self,
        flow: &str,
        mut params: StringMap,
        hash_user: &str,
        client_metadata: Option<StringMap>,
    ) -> Result<AuthResponse> {
        let inner = &self.pool.inner;
        if let Some(h) = inner.secret_hash(hash_user) {
            params.insert("SECRET_HASH".into(), h);
        }
        inner
            .client
            .call(
                "InitiateAuth",
                &InitiateAuthRequest {
                    auth_flow: flow.into(),
                    client_id: inner.client_id.clone(),
                    auth_parameters: Some(Sensitive(params)),
                    client_metadata,
                    ..Default::default()
                },
            )
            .await
    }

    async fn srp_sign_in(
        &self,
        details: &AuthenticationDetails,
        custom: bool,
    ) -> Result<AuthOutcome> {
        let ephemeral = self.new_ephemeral();
        let mut params = BTreeMap::from([
            ("USERNAME".to_owned(), details.username.clone()),
            ("SRP_A".to_owned(), ephemeral.public_hex()),
        ]);
        if custom {
            params.insert("CHALLENGE_NAME".into(), "SRP_A".into());
        }
        if let Some(device) = self.device_key_for(&details.username).await? {
            params.insert("DEVICE_KEY".into(), device);
        }
        let first = self
            .initiate_auth(
                if custom {
                    "CUSTOM_AUTH"
                } else {
                    "USER_SRP_AUTH"
                },
                params,
                &details.username,
                Some(details.client_metadata.clone()),
            )
            .await?;
        self.answer_password_verifier(
            Some(&ephemeral),
            first,
            details.password.expose(),
            &details.client_metadata,
        )
        .await
    }

    /// A fresh SRP client ephemeral from the pool's random source.
    pub(crate) fn new_ephemeral(&self) -> ClientEphemeral {
        let mut a = [0u8; 128];
        loop {
            (self.pool.inner.random)(&mut a);
            if let Ok(e) = ClientEphemeral::from_private_bytes(&a) {
                return e;
            }
        }
    }

    /// Answers PASSWORD_VERIFIER with the SRP password claim (any other response is handled as
    /// it is), carrying the `Session` forward. `ephemeral` is the one whose SRP_A was sent;
    /// without one, PASSWORD_VERIFIER is an invalid response.
    pub(crate) async fn answer_password_verifier(
        &self,
        ephemeral: Option<&ClientEphemeral>,
        first: AuthResponse,
        password: &str,
        client_metadata: &StringMap,
    ) -> Result<AuthOutcome> {
        let inner = &self.pool.inner;
        if first.challenge_name.as_deref() != Some("PASSWORD_VERIFIER") {
            return self.handle_auth_response(first).await;
        }
        let ephemeral = ephemeral.ok_or_else(|| Error::InvalidResponse {
            status: 200,
            reason: "PASSWORD_VERIFIER although no SRP_A was sent".into(),
            body: String::new(),
            source: None,
        })?;
        let challenge = first.challenge_parameters.clone().unwrap_or_default();
        let get = |k: &str| {
            challenge
                .get(k)
                .cloned()
                .ok_or_else(|| Error::InvalidResponse {
                    status: 200,
                    reason: format!("PASSWORD_VERIFIER without {k}"),
                    body: String::new(),
                    source: None,
                })
        };
        let user_id = get("USER_ID_FOR_SRP")?;
        let (salt, srp_b, block) = (get("SALT")?, get("SRP_B")?, get("SECRET_BLOCK")?);
        self.set_username(&user_id);
        let timestamp = srp::format_timestamp(inner.clock.now_secs());
        let signature = ephemeral.password_claim(&ClaimInput {
            realm: inner.pool_name(),
            user_id: &user_id,
            password,
            salt_hex: &salt,
            srp_b_hex: &srp_b,
            secret_block_b64: &block,
            timestamp: &timestamp,
        })?;
        let mut responses = BTreeMap::from([
            ("USERNAME".to_owned(), user_id.clone()),
            ("PASSWORD_CLAIM_SECRET_BLOCK".to_owned(), block),
            ("TIMESTAMP".to_owned(), timestamp),
            ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
        ]);
        let device = self.device_key_for(&user_id).await?;
        if let Some(d) = &device {
            responses.insert("DEVICE_KEY".into(), d.clone());
        }
        let answer = match self
            .respond_to_challenge(
                "PASSWORD_VERIFIER",
                first.session.clone(),
                responses.clone(),
                Some(client_metadata.clone()),
            )
            .await
        {
            Err(e) if device.is_some() && crate::user::devices::is_unknown_device(&e) => {
                // The pool forgot this device: forget it here too and send the same claim
                // without it.
                tracing::info!(user = %user_id, "stored device unknown to the pool; dropping it");
                self.drop_device(&user_id).await?;
                responses.remove("DEVICE_KEY");
                self.respond_to_challenge(
                    "PASSWORD_VERIFIER",
                    first.session,
                    responses,
                    Some(client_metadata.clone()),
                )
                .await?
            }
            other => other?,
        };
        self.handle_auth_response(answer).await
    }

    /// RespondToAuthChallenge for this user: `USERNAME` (unless the responses name it) and,
    /// when the client has a secret, `SECRET_HASH` are added.
    pub(crate) async fn respond_to_challenge(
        &self,
        challenge: &str,
        session: Option<Sensitive<String>>,
        mut responses: StringMap,
        client_metadata: Option<StringMap>,
    ) -> Result<AuthResponse> {
        let inner = &self.pool.inner;
        let username = responses
            .entry("USERNAME".into())
            .or_insert_with(|| self.username())
            .clone();
        if let Some(h) = inner.secret_hash(&username) {
            responses.insert("SECRET_HASH".into(), h);
        }
        inner
            .client
            .call(
                "RespondToAuthChallenge",
                &RespondToAuthChallengeRequest {
                    client_id: inner.client_id.clone(),
                    challenge_name: challenge.into(),
                    session,
                    challenge_responses: Some(Sensitive(responses)),
                    client_metadata,
                    ..Default::default()
                },
            )
            .await
    }

    async fn password_sign_in(&self, details: &AuthenticationDetails) -> Result<AuthOutcome> {
        let mut params = BTreeMap::from([
            ("USERNAME".to_owned(), details.username.clone()),
            ("PASSWORD".to_owned(), details.password.expose().clone()),
        ]);
        let device = self.device_key_for(&details.username).await?;
        if let Some(d) = &device {
            params.insert("DEVICE_KEY".into(), d.clone());
        }
        let metadata = Some(details.client_metadata.clone());
        let out = match self
            .initiate_auth(
                "USER_PASSWORD_AUTH",
                params.clone(),
                &details.username,
                metadata.clone(),
            )
            .await
        {
            Err(e) if device.is_some() && crate::user::devices::is_unknown_device(&e) => {
                self.drop_device(&details.username).await?;
                params.remove("DEVICE_KEY");
                self.initiate_auth("USER_PASSWORD_AUTH", params, &details.username, metadata)
                    .await?
            }
            other => other?,
        };
        self.handle_auth_response(out).await
    }

    /// Answers a CUSTOM_CHALLENGE; the outcome may be another challenge, a session, or an error.
    pub async fn send_custom_challenge_answer(
        &self,
        challenge: &CustomChallenge,
        answer: &str,
        client_metadata: &StringMap,
    ) -> Result<AuthOutcome> {
        let responses = BTreeMap::from([("ANSWER".to_owned(), answer.to_owned())]);
        let out = self
            .respond_to_challenge(
                "CUSTOM_CHALLENGE",
                Some(challenge.session.clone()),
                responses,
                (!client_metadata.is_empty()).then(|| client_metadata.clone()),
            )
            .await?;
        self.handle_auth_response(out).await
    }

    /// Answers NEW_PASSWORD_REQUIRED with a new password and the required attributes.
    pub async fn complete_new_password(
        &self,
        challenge: &NewPasswordChallenge,
        new_password: &str,
        attributes: &BTreeMap<String, String>,
    ) -> Result<AuthOutcome> {
        let mut responses = BTreeMap::from([("NEW_PASSWORD".to_owned(), new_password.to_owned())]);
        for (k, v) in attributes {
            responses.insert(format!("userAttributes.{k}"), v.clone());
        }
        let out = self
            .respond_to_challenge(
                "NEW_PASSWORD_REQUIRED",
                Some(challenge.session.clone()),
                responses,
                None,
            )
            .await?;
        self.handle_auth_response(out).await
    }

    pub(crate) async fn handle_auth_response(&self, out: AuthResponse) -> Result<AuthOutcome> {
        if let Some(result) = out.authentication_result {
            let session = self.store_tokens(result, None).await?;
            return Ok(AuthOutcome::SignedIn(session));
        }
        let params = out.challenge_parameters.unwrap_or_default();
        if let Some(id) = params.get("USER_ID_FOR_SRP") {
            self.set_username(id);
        }
        match out.challenge_name.as_deref() {
            Some("NEW_PASSWORD_REQUIRED") => {
                let mut user_attributes: BTreeMap<String, String> = params
                    .get("userAttributes")
                    .and_then(|s| serde_json::from_str(s).ok())
                    .unwrap_or_default();
                user_attributes.remove("email_verified");
                user_attributes.remove("phone_number_verified");
                let required_attributes = params
                    .get("requiredAttributes")
                    .and_then(|s| serde_json::from_str::<Vec<String>>(s).ok())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|a| {
                        a.strip_prefix("userAttributes.")
                            .map(str::to_owned)
                            .unwrap_or(a)
                    })
                    .collect();
                let session = out.session.ok_or_else(|| Error::InvalidResponse {
                    status: 200,
                    reason: "NEW_PASSWORD_REQUIRED without a Session".into(),
                    body: String::new(),
                    source: None,
                })?;
                Ok(AuthOutcome::NewPasswordRequired(NewPasswordChallenge {
                    required_attributes,
                    user_attributes,
                    session,
                }))
            }
            Some("DEVICE_SRP_AUTH") => self.answer_device_challenge(out.session).await,
            Some("WEB_AUTHN") => {
                let invalid = |reason: &str| Error::InvalidResponse {
                    status: 200,
                    reason: reason.into(),
                    body: String::new(),
                    source: None,
                };
                let session = out
                    .session
                    .ok_or_else(|| invalid("WEB_AUTHN without a Session"))?;
                let request_options = params
                    .get("CREDENTIAL_REQUEST_OPTIONS")
                    .and_then(|s| serde_json::from_str(s).ok())
                    .ok_or_else(|| invalid("WEB_AUTHN without CREDENTIAL_REQUEST_OPTIONS"))?;
                Ok(AuthOutcome::WebAuthn(
                    crate::user::outcome::WebAuthnChallenge {
                        request_options,
                        session,
                    },
                ))
            }
            Some("SELECT_CHALLENGE") => match out.session.clone() {
                Some(session) => Ok(crate::user::outcome::select_outcome(
                    out.available_challenges.as_deref().unwrap_or_default(),
                    session,
                )),
                None => Err(Error::InvalidResponse {
                    status: 200,
                    reason: "SELECT_CHALLENGE without a Session".into(),
                    body: String::new(),
                    source: None,
                }),
            },
            Some("CUSTOM_CHALLENGE") => {
                if let Some(name) = params.get("USERNAME") {
                    self.set_username(name);
                }
                let session = out.session.ok_or_else(|| Error::InvalidResponse {
                    status: 200,
                    reason: "CUSTOM_CHALLENGE without a Session".into(),
                    body: String::new(),
                    source: None,
                })?;
                Ok(AuthOutcome::CustomChallenge(CustomChallenge {
                    parameters: params,
                    session,
                }))
            }
            Some(name) => match out
                .session
                .and_then(|session| crate::user::outcome::mfa_outcome(name, &params, session))
            {
                Some(outcome) => Ok(outcome),
                None => Err(Error::UnexpectedChallenge(name.to_owned())),
            },
            None => Err(Error::InvalidResponse {
                status: 200,
                reason: "neither tokens nor a challenge".into(),
                body: String::new(),
                source: None,
            }),
        }
    }
}

//! CUSTOM_AUTH: the DefineAuthChallenge, CreateAuthChallenge and VerifyAuthChallengeResponse
//! triggers drive the challenges, optionally after an SRP password check.

use std::collections::BTreeMap;

use cognito_protocol::wire::{AuthResponse, Sensitive, StringMap};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::User;
use crate::triggers::{self, Call, TriggerKind};
use serde_json::json;

use super::client::{session_minutes, user_for_challenges};
use super::finish::finish_sign_in;
use super::param;
use super::session::{new_session, take_session};
use super::user_srp::begin_srp;

/// CUSTOM_AUTH, first step: the user must exist, be confirmed and enabled; then
/// DefineAuthChallenge decides.
pub(crate) fn start_custom(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    params: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let login = param(params, "USERNAME")?;
    let with_srp = params.contains_key("SRP_A");
    if with_srp && params.get("CHALLENGE_NAME").is_some_and(|c| c != "SRP_A") {
        return Err(CognitoError::invalid_parameter(
            "CHALLENGE_NAME must be SRP_A when CUSTOM_AUTH starts with SRP_A.",
        ));
    }
    let user = ctx
        .store
        .with(|state| user_for_challenges(state, pool_id, client_id, params, login))?;
    if with_srp {
        // DefineAuthChallenge sees the SRP_A step and usually asks for PASSWORD_VERIFIER.
        let history = vec![
            json!({"challengeName": "SRP_A", "challengeResult": true, "challengeMetadata": null}),
        ];
        return custom_next(
            ctx,
            pool_id,
            client_id,
            &user,
            history,
            metadata,
            Some(params),
        );
    }
    custom_next(ctx, pool_id, client_id, &user, Vec::new(), metadata, None)
}

/// Runs DefineAuthChallenge on the challenges so far: fail, issue tokens, or create the next
/// CUSTOM_CHALLENGE. Right after SRP_A (`srp` holds the client's SRP_A), it may also ask for
/// PASSWORD_VERIFIER.
pub(crate) fn custom_next(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    user: &User,
    history: Vec<serde_json::Value>,
    metadata: Option<&StringMap>,
    srp: Option<&StringMap>,
) -> Result<AuthResponse> {
    let call = |kind, source, request| {
        triggers::invoke(
            ctx,
            kind,
            Call {
                pool_id,
                client_id: Some(client_id),
                user_name: &user.username,
                source,
                request,
            },
        )
    };
    let attrs = triggers::attributes_map(&user.attributes);
    let define = call(TriggerKind::DefineAuthChallenge, "DefineAuthChallenge_Authentication", json!({"userAttributes": attrs, "session": history, "clientMetadata": metadata, "userNotFound": false}))?
        .ok_or_else(|| CognitoError::invalid_parameter("Custom auth lambda trigger is not configured for the user pool."))?;
    if define
        .get("failAuthentication")
        .and_then(serde_json::Value::as_bool)
        == Some(true)
    {
        return Err(CognitoError::wrong_credentials());
    }
    if define
        .get("issueTokens")
        .and_then(serde_json::Value::as_bool)
        == Some(true)
    {
        return finish_sign_in(
            ctx,
            pool_id,
            client_id,
            user,
            "TokenGeneration_Authentication",
            metadata,
            None,
        );
    }
    let name = define
        .get("challengeName")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if name == "PASSWORD_VERIFIER" {
        if let Some(params) = srp {
            return begin_srp(ctx, pool_id, client_id, params, metadata, Some(history));
        }
    }
    if name != "CUSTOM_CHALLENGE" {
        return Err(CognitoError {
            kind: cognito_protocol::wire::ErrorKind::InvalidLambdaResponse,
            message: format!("DefineAuthChallenge asked for {name:?}; this emulator supports CUSTOM_CHALLENGE, PASSWORD_VERIFIER right after SRP_A, issueTokens and failAuthentication."),
        });
    }
    let create = call(TriggerKind::CreateAuthChallenge, "CreateAuthChallenge_Authentication", json!({"userAttributes": attrs, "challengeName": name, "session": history, "clientMetadata": metadata}))?
        .unwrap_or_default();
    let mut parameters: BTreeMap<String, String> = create
        .get("publicChallengeParameters")
        .and_then(serde_json::Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    parameters.insert("USERNAME".into(), user.username.clone());
    let private = create
        .get("privateChallengeParameters")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let challenge_metadata = create
        .get("challengeMetadata")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    let now = ctx.now();
    let session = ctx.store.with(|state| -> Result<String> {
        let (_, client) = state.client_in(pool_id, client_id)?;
        let expires = now + session_minutes(client) * 60;
        let session = new_session(
            state,
            pool_id,
            client_id,
            &user.username,
            "CUSTOM_CHALLENGE",
            expires,
        );
        if let Some(s) = state.sessions.get_mut(&session) {
            s.custom_history = history;
            s.custom_private = Some((private, challenge_metadata));
        }
        Ok(session)
    })?;
    Ok(AuthResponse {
        challenge_name: Some("CUSTOM_CHALLENGE".into()),
        session: Some(Sensitive(session)),
        challenge_parameters: Some(parameters),
        ..Default::default()
    })
}

/// CUSTOM_CHALLENGE: VerifyAuthChallengeResponse judges the answer, which joins the history;
/// DefineAuthChallenge decides what follows.
pub(crate) fn answer_custom(
    ctx: &Ctx,
    pool_id: &str,
    client_id: &str,
    session: Option<&str>,
    responses: &StringMap,
    metadata: Option<&StringMap>,
) -> Result<AuthResponse> {
    let answer = param(responses, "ANSWER")?;
    let now = ctx.now();
    let (user, mut history, private, challenge_metadata) =
        ctx.store.with(|state| -> Result<_> {
            let sess = take_session(state, session, pool_id, client_id, "CUSTOM_CHALLENGE", now)?;
            if let Some(s) = session {
                state.sessions.remove(s);
            }
            let user = state.pool(pool_id)?.user(&sess.username)?.clone();
            let (private, meta) = sess.custom_private.clone().unwrap_or((json!({}), None));
            Ok((user, sess.custom_history, private, meta))
        })?;
    let verify = triggers::invoke(ctx, TriggerKind::VerifyAuthChallengeResponse, Call {
        pool_id,
        client_id: Some(client_id),
        user_name: &user.username,
        source: "VerifyAuthChallengeResponse_Authentication",
        request: json!({"userAttributes": triggers::attributes_map(&user.attributes), "privateChallengeParameters": private, "challengeAnswer": answer, "clientMetadata": metadata, "userNotFound": false}),
    })?
    .unwrap_or_default();
    let correct = verify
        .get("answerCorrect")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    history.push(json!({"challengeName": "CUSTOM_CHALLENGE", "challengeResult": correct, "challengeMetadata": challenge_metadata}));
    custom_next(ctx, pool_id, client_id, &user, history, metadata, None)
}

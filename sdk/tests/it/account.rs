//! The SDK against the in-process emulator, for a signed-in user's account (use cases 5–8 and
//! 11–13), token revocation, trigger inputs, MFA (software token, SMS, email, legacy options),
//! custom authentication and choice-based sign-in.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use cognito_sdk::wire::ErrorKind;
use cognito_sdk::{AuthFlow, AuthOutcome, AuthenticationDetails, SignUp};
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn account_lifecycle_use_cases_5_to_8_and_11_to_13() {
    let s = setup_with(
        false,
        json!({"Schema": [{"Name": "name", "Required": true}]}),
    )
    .await;
    s.admin("AdminCreateUser", json!({"Username": "olga", "MessageAction": "SUPPRESS", "UserAttributes": [{"Name": "name", "Value": "Olga"}, {"Name": "email", "Value": "olga@example.com"}, {"Name": "email_verified", "Value": "true"}]}));
    s.admin(
        "AdminSetUserPassword",
        json!({"Username": "olga", "Password": "Passw0rd!", "Permanent": true}),
    );
    let pool = s.pool();
    let user = pool.user("olga");
    signed_in(
        user.authenticate(AuthenticationDetails::new("olga", "Passw0rd!"))
            .await
            .unwrap(),
    );
    let meta = BTreeMap::from([("source".to_owned(), "test".to_owned())]);

    // 8: update; a new email is unverified and a code is sent.
    let sent = user
        .update_attributes(
            &BTreeMap::from([
                ("email".to_owned(), "o2@example.com".to_owned()),
                ("nickname".to_owned(), "o".to_owned()),
            ]),
            &meta,
        )
        .await
        .unwrap();
    assert_eq!(sent[0].attribute_name.as_deref(), Some("email"));
    // 6: verify it (a wrong code first).
    assert_eq!(
        service_kind(&user.verify_attribute("email", "000000").await.unwrap_err()),
        ErrorKind::CodeMismatch
    );
    user.get_attribute_verification_code("email", &meta)
        .await
        .unwrap()
        .unwrap();
    let code = s
        .emu
        .outbox()
        .last_code(&s.pool_id, "o2@example.com")
        .unwrap();
    user.verify_attribute("email", &code).await.unwrap();
    // 5: read them.
    let attrs = user.get_user_attributes().await.unwrap();
    let get = |n: &str| {
        attrs
            .iter()
            .find(|a| a.name == n)
            .and_then(|a| a.value.clone())
    };
    assert_eq!(get("email").as_deref(), Some("o2@example.com"));
    assert_eq!(get("email_verified").as_deref(), Some("true"));
    // 7: delete one; a required one cannot go.
    user.delete_attributes(&["nickname"]).await.unwrap();
    assert_eq!(
        service_kind(&user.delete_attributes(&["name"]).await.unwrap_err()),
        ErrorKind::InvalidParameter
    );

    // 11: change the password (after expiry: the call refreshes first).
    s.advance(3600);
    assert_eq!(
        service_kind(
            &user
                .change_password("wrong-Passw0rd!", "N3w-Passw0rd!")
                .await
                .unwrap_err()
        ),
        ErrorKind::NotAuthorized
    );
    user.change_password("Passw0rd!", "N3w-Passw0rd!")
        .await
        .unwrap();
    assert_eq!(s.refreshes(), 1);

    // 12: forgot password with the emailed code.
    let other = pool.user("olga");
    other.forgot_password(&meta).await.unwrap().unwrap();
    let code = s
        .emu
        .outbox()
        .last_code(&s.pool_id, "o2@example.com")
        .unwrap();
    assert_eq!(
        service_kind(
            &other
                .confirm_password(&code, "weak", &meta)
                .await
                .unwrap_err()
        ),
        ErrorKind::InvalidPassword
    );
    other
        .confirm_password(&code, "Th1rd-Passw0rd!", &meta)
        .await
        .unwrap();
    signed_in(
        other
            .authenticate(AuthenticationDetails::new("olga", "Th1rd-Passw0rd!"))
            .await
            .unwrap(),
    );

    // 13: delete the user; the local session goes too.
    pool.current_user()
        .await
        .unwrap()
        .unwrap()
        .delete_user()
        .await
        .unwrap();
    assert!(pool.current_user().await.unwrap().is_none());
    let e = s
        .emu
        .call::<Value, Value>(
            "AdminGetUser",
            &json!({"UserPoolId": s.pool_id, "Username": "olga"}),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::UserNotFound);
}

#[tokio::test]
async fn revoke_token_keeps_local_state_but_kills_the_refresh_token() {
    let s = setup().await;
    s.confirmed_user("pete", "Passw0rd!");
    let pool = s.pool();
    signed_in(
        pool.user("pete")
            .authenticate(AuthenticationDetails::new("pete", "Passw0rd!"))
            .await
            .unwrap(),
    );
    let user = pool.current_user().await.unwrap().unwrap();
    user.revoke_token().await.unwrap();
    assert!(pool.current_user().await.unwrap().is_some());
    s.advance(3600);
    assert!(user.get_session().await.unwrap_err().is_not_authorized());
}

#[tokio::test]
async fn validation_data_and_client_metadata_reach_the_triggers() {
    use cognito_emulator::triggers::TriggerKind;
    let s = setup().await;
    s.emu
        .triggers()
        .set_fn(&s.pool_id, TriggerKind::PreSignUp, |_| {
            Ok(json!({"autoConfirmUser": true}))
        });
    s.emu
        .triggers()
        .set_fn(&s.pool_id, TriggerKind::PreTokenGeneration, |_| {
            Ok(json!({}))
        });
    let pool = s.pool();
    pool.sign_up(
        SignUp::new("quin", "Passw0rd!")
            .validation_data("invite", "XYZ")
            .client_metadata("campaign", "spring"),
    )
    .await
    .unwrap();
    signed_in(
        pool.user("quin")
            .authenticate(
                AuthenticationDetails::new("quin", "Passw0rd!").client_metadata("device", "ios"),
            )
            .await
            .unwrap(),
    );
    let events = s.emu.triggers().invocations();
    let sign_up = &events
        .iter()
        .find(|i| i.kind == TriggerKind::PreSignUp)
        .unwrap()
        .event;
    assert_eq!(sign_up["request"]["validationData"]["invite"], "XYZ");
    assert_eq!(sign_up["request"]["clientMetadata"]["campaign"], "spring");
    let token = &events
        .iter()
        .find(|i| i.kind == TriggerKind::PreTokenGeneration)
        .unwrap()
        .event;
    assert_eq!(token["request"]["clientMetadata"]["device"], "ios");
    assert_eq!(token["callerContext"]["clientId"], s.client_id.as_str());
}

#[tokio::test]
async fn mfa_setup_software_token_sms_and_selection() {
    use cognito_emulator::totp;
    use cognito_sdk::{MfaKind, MfaSetting};
    let s = setup().await;
    s.emu.call::<Value, Value>("UpdateUserPool", &json!({"UserPoolId": s.pool_id, "MfaConfiguration": "ON", "AutoVerifiedAttributes": ["email"]})).unwrap();
    s.confirmed_user("ray", "Passw0rd!");
    let pool = s.pool();
    let user = pool.user("ray");
    let code_now = |secret: &str| {
        totp::code_at(
            &totp::decode_secret(secret).unwrap(),
            s.emu.clock().now_secs(),
            6,
        )
    };

    // MFA_SETUP: associate, verify, signed in.
    let mut setup = match user
        .authenticate(AuthenticationDetails::new("ray", "Passw0rd!"))
        .await
        .unwrap()
    {
        AuthOutcome::MfaSetup(c) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(setup.can_setup, vec![MfaKind::SoftwareToken]);
    let secret = user
        .associate_software_token_for_setup(&mut setup)
        .await
        .unwrap();
    signed_in(
        user.verify_software_token_for_setup(&mut setup, &code_now(&secret), Some("phone"))
            .await
            .unwrap(),
    );

    // Next sign-in: SOFTWARE_TOKEN_MFA, a wrong code, then the right one.
    let challenge = match user
        .authenticate(AuthenticationDetails::new("ray", "Passw0rd!"))
        .await
        .unwrap()
    {
        AuthOutcome::MfaRequired(c) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(challenge.kind, MfaKind::SoftwareToken);
    assert_eq!(
        service_kind(&user.send_mfa_code(&challenge, "000000").await.unwrap_err()),
        ErrorKind::CodeMismatch
    );
    signed_in(
        user.send_mfa_code(&challenge, &code_now(&secret))
            .await
            .unwrap(),
    );

    // Add SMS, clear the preference: SELECT_MFA_TYPE, then SMS_MFA with the outbox code.
    s.admin("AdminUpdateUserAttributes", json!({"Username": "ray", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550111"}]}));
    user.set_user_mfa_preference(
        Some(MfaSetting {
            enabled: true,
            preferred: false,
        }),
        Some(MfaSetting {
            enabled: true,
            preferred: false,
        }),
        None,
    )
    .await
    .unwrap();
    s.admin(
        "AdminSetUserMFAPreference",
        json!({"Username": "ray", "SoftwareTokenMfaSettings": {"Enabled": false}}),
    );
    s.admin(
        "AdminSetUserMFAPreference",
        json!({"Username": "ray", "SoftwareTokenMfaSettings": {"Enabled": true}}),
    );
    let select = match user
        .authenticate(AuthenticationDetails::new("ray", "Passw0rd!"))
        .await
        .unwrap()
    {
        AuthOutcome::SelectMfaType(c) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(select.options, vec![MfaKind::Sms, MfaKind::SoftwareToken]);
    let sms = match user.select_mfa_type(&select, MfaKind::Sms).await.unwrap() {
        AuthOutcome::MfaRequired(c) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(sms.destination.as_deref(), Some("+*******0111"));
    let code = s.emu.outbox().last_code(&s.pool_id, "ray").unwrap();
    signed_in(user.send_mfa_code(&sms, &code).await.unwrap());
}

#[tokio::test]
async fn custom_auth_challenges_until_the_triggers_issue_tokens() {
    use cognito_emulator::triggers::CustomAuthRules;
    let s = setup().await;
    s.emu.call::<Value, Value>("UpdateUserPoolClient", &json!({"UserPoolId": s.pool_id, "ClientId": s.client_id, "ExplicitAuthFlows": ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})).unwrap();
    CustomAuthRules {
        answer: "blue".into(),
        max_attempts: Some(2),
    }
    .install(s.emu.triggers(), &s.pool_id);
    s.confirmed_user("sid", "Passw0rd!");
    let user = s.pool().user("sid");
    let details = || AuthenticationDetails::new("sid", "unused").flow(AuthFlow::Custom);
    let custom = |o: AuthOutcome| match o {
        AuthOutcome::CustomChallenge(c) => c,
        other => panic!("{other:?}"),
    };
    let first = custom(user.authenticate(details()).await.unwrap());
    assert_eq!(first.parameters["question"], "What is the answer?");
    let meta = BTreeMap::from([("hint".to_owned(), "colour".to_owned())]);
    let second = custom(
        user.send_custom_challenge_answer(&first, "red", &meta)
            .await
            .unwrap(),
    );
    signed_in(
        user.send_custom_challenge_answer(&second, "blue", &meta)
            .await
            .unwrap(),
    );
    // Two wrong answers fail the sign-in.
    let first = custom(user.authenticate(details()).await.unwrap());
    let second = custom(
        user.send_custom_challenge_answer(&first, "red", &meta)
            .await
            .unwrap(),
    );
    assert!(user
        .send_custom_challenge_answer(&second, "green", &meta)
        .await
        .unwrap_err()
        .is_not_authorized());

    // Started with SRP_A: a wrong password is refused before any challenge, the right one
    // leads to the custom challenge.
    let with_srp =
        |password: &str| AuthenticationDetails::new("sid", password).flow(AuthFlow::CustomWithSrp);
    assert!(user
        .authenticate(with_srp("Wr0ng-pass!"))
        .await
        .unwrap_err()
        .is_not_authorized());
    let challenge = custom(user.authenticate(with_srp("Passw0rd!")).await.unwrap());
    signed_in(
        user.send_custom_challenge_answer(&challenge, "blue", &meta)
            .await
            .unwrap(),
    );
    let define = s
        .emu
        .triggers()
        .invocations()
        .into_iter()
        .rev()
        .find(|i| i.kind == cognito_emulator::triggers::TriggerKind::DefineAuthChallenge)
        .unwrap();
    assert_eq!(
        define.event["request"]["session"][1]["challengeName"],
        "PASSWORD_VERIFIER"
    );
}

#[tokio::test]
async fn legacy_enable_and_disable_sms_mfa() {
    use cognito_sdk::MfaKind;
    let s = setup().await;
    s.emu.call::<Value, Value>("UpdateUserPool", &json!({"UserPoolId": s.pool_id, "MfaConfiguration": "OPTIONAL", "AutoVerifiedAttributes": ["email"]})).unwrap();
    s.confirmed_user("liv", "Passw0rd!");
    let user = s.pool().user("liv");
    signed_in(
        user.authenticate(AuthenticationDetails::new("liv", "Passw0rd!"))
            .await
            .unwrap(),
    );
    assert!(user.get_mfa_options().await.unwrap().is_empty());
    // Without a phone number the pool refuses, and the error says why.
    let refused = user.enable_mfa().await.unwrap_err();
    assert_eq!(service_kind(&refused), ErrorKind::InvalidParameter);
    assert!(refused.to_string().contains("phone number"), "{refused}");

    s.admin("AdminUpdateUserAttributes", json!({"Username": "liv", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550166"}, {"Name": "phone_number_verified", "Value": "true"}]}));
    user.enable_mfa().await.unwrap();
    let options = user.get_mfa_options().await.unwrap();
    assert_eq!(options.len(), 1);
    assert_eq!(
        (
            options[0].delivery_medium.as_deref(),
            options[0].attribute_name.as_deref()
        ),
        (Some("SMS"), Some("phone_number"))
    );
    let sms = match user
        .authenticate(AuthenticationDetails::new("liv", "Passw0rd!"))
        .await
        .unwrap()
    {
        AuthOutcome::MfaRequired(c) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(sms.kind, MfaKind::Sms);
    let code = s.emu.outbox().last_code(&s.pool_id, "liv").unwrap();
    signed_in(user.send_mfa_code(&sms, &code).await.unwrap());

    user.disable_mfa().await.unwrap();
    assert!(user.get_mfa_options().await.unwrap().is_empty());
    signed_in(
        user.authenticate(AuthenticationDetails::new("liv", "Passw0rd!"))
            .await
            .unwrap(),
    );
}

#[tokio::test]
async fn email_otp_mfa_with_the_code_from_the_outbox() {
    use cognito_sdk::{MfaKind, MfaSetting};
    let s = setup().await;
    s.emu.call::<Value, Value>("UpdateUserPool", &json!({"UserPoolId": s.pool_id, "MfaConfiguration": "OPTIONAL", "AutoVerifiedAttributes": ["email"]})).unwrap();
    s.confirmed_user("eve", "Passw0rd!");
    let user = s.pool().user("eve");
    let details = || AuthenticationDetails::new("eve", "Passw0rd!");
    signed_in(user.authenticate(details()).await.unwrap());
    let on = MfaSetting {
        enabled: true,
        preferred: true,
    };
    user.set_user_mfa_preference(None, None, Some(on))
        .await
        .unwrap();
    let challenge = match user.authenticate(details()).await.unwrap() {
        AuthOutcome::MfaRequired(c) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(challenge.kind, MfaKind::Email);
    assert_eq!(challenge.destination.as_deref(), Some("e***@e***"));
    let code = s.emu.outbox().last_code(&s.pool_id, "eve").unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(
        service_kind(&user.send_mfa_code(&challenge, wrong).await.unwrap_err()),
        ErrorKind::CodeMismatch
    );
    signed_in(user.send_mfa_code(&challenge, &code).await.unwrap());
}

#[tokio::test]
async fn choice_based_sign_in_with_every_first_factor() {
    use cognito_sdk::{FirstFactor, MfaKind};
    let s = setup().await;
    s.emu.call::<Value, Value>("UpdateUserPool", &json!({"UserPoolId": s.pool_id, "AutoVerifiedAttributes": ["email"],
        "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]}}})).unwrap();
    s.emu.call::<Value, Value>("UpdateUserPoolClient", &json!({"UserPoolId": s.pool_id, "ClientId": s.client_id, "ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})).unwrap();
    s.confirmed_user("zoe", "Passw0rd!");
    s.admin("AdminUpdateUserAttributes", json!({"Username": "zoe", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550122"}]}));
    let user = s.pool().user("zoe");
    let details =
        |password: &str| AuthenticationDetails::new("zoe", password).flow(AuthFlow::UserAuth);
    let select = || async {
        match user.authenticate(details("")).await.unwrap() {
            AuthOutcome::SelectChallenge(c) => c,
            other => panic!("{other:?}"),
        }
    };

    // No preference: SELECT_CHALLENGE lists all four; each choice works.
    let choice = select().await;
    assert_eq!(
        choice.available,
        [
            FirstFactor::Password,
            FirstFactor::PasswordSrp,
            FirstFactor::EmailOtp,
            FirstFactor::SmsOtp
        ]
    );
    signed_in(
        user.select_challenge(&choice, FirstFactor::PasswordSrp, Some("Passw0rd!"))
            .await
            .unwrap(),
    );
    let choice = select().await;
    assert!(user
        .select_challenge(&choice, FirstFactor::Password, Some("wrong"))
        .await
        .unwrap_err()
        .is_not_authorized());
    for (factor, kind) in [
        (FirstFactor::EmailOtp, MfaKind::Email),
        (FirstFactor::SmsOtp, MfaKind::SmsOtp),
    ] {
        let choice = select().await;
        let code = match user.select_challenge(&choice, factor, None).await.unwrap() {
            AuthOutcome::MfaRequired(c) => c,
            other => panic!("{other:?}"),
        };
        assert_eq!(code.kind, kind);
        let sent = s.emu.outbox().last_code(&s.pool_id, "zoe").unwrap();
        signed_in(user.send_mfa_code(&code, &sent).await.unwrap());
    }

    // Preferred factors skip the selection.
    signed_in(
        user.authenticate(details("Passw0rd!").preferred_challenge(FirstFactor::Password))
            .await
            .unwrap(),
    );
    signed_in(
        user.authenticate(details("Passw0rd!").preferred_challenge(FirstFactor::PasswordSrp))
            .await
            .unwrap(),
    );
    match user
        .authenticate(details("").preferred_challenge(FirstFactor::EmailOtp))
        .await
        .unwrap()
    {
        AuthOutcome::MfaRequired(c) => assert_eq!(c.kind, MfaKind::Email),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn totp_codes_are_checked_against_the_emulator_clock_and_sessions_expire() {
    use cognito_emulator::totp;
    use cognito_sdk::MfaSetting;
    let s = setup().await;
    s.emu.clock().freeze();
    s.emu.call::<Value, Value>("UpdateUserPool", &json!({"UserPoolId": s.pool_id, "MfaConfiguration": "OPTIONAL", "AutoVerifiedAttributes": ["email"]})).unwrap();
    s.confirmed_user("tom", "Passw0rd!");
    let user = s.pool().user("tom");
    let details = || AuthenticationDetails::new("tom", "Passw0rd!");
    signed_in(user.authenticate(details()).await.unwrap());
    let secret = user.associate_software_token().await.unwrap();
    let code_at = |secs: i64| totp::code_at(&totp::decode_secret(&secret).unwrap(), secs, 6);
    user.verify_software_token(&code_at(s.emu.clock().now_secs()), Some("phone"))
        .await
        .unwrap();
    let on = MfaSetting {
        enabled: true,
        preferred: true,
    };
    user.set_user_mfa_preference(None, Some(on), None)
        .await
        .unwrap();
    let challenge = || async {
        match user.authenticate(details()).await.unwrap() {
            AuthOutcome::MfaRequired(c) => c,
            other => panic!("{other:?}"),
        }
    };

    // A code from one step ago is still accepted; one from three steps ago is not.
    let first = challenge().await;
    let then = s.emu.clock().now_secs();
    s.advance(30);
    signed_in(user.send_mfa_code(&first, &code_at(then)).await.unwrap());
    let second = challenge().await;
    s.advance(60);
    assert_eq!(
        service_kind(
            &user
                .send_mfa_code(&second, &code_at(then))
                .await
                .unwrap_err()
        ),
        ErrorKind::CodeMismatch
    );
    // The challenge session expires (three minutes by default): even the right code fails.
    s.advance(3 * 60 + 1);
    let late = user
        .send_mfa_code(&second, &code_at(s.emu.clock().now_secs()))
        .await
        .unwrap_err();
    assert!(late.is_not_authorized(), "{late}");
}

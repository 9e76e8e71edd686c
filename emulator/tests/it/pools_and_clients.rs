//! Pool and app-client administration: defaults, validation, updates that reset what they
//! leave out, deletion, pagination.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use cognito_protocol::wire::ErrorKind;
use serde_json::json;

#[test]
fn create_user_pool_fills_cognitos_defaults() {
    let app = app();
    let p = ok(
        &app.handle,
        "CreateUserPool",
        json!({"PoolName": "defaults"}),
    )["UserPool"]
        .clone();
    let id = p["Id"].as_str().unwrap();
    assert!(id.starts_with("us-east-1_"));
    assert_eq!(
        p["Arn"],
        format!("arn:aws:cognito-idp:us-east-1:000000000000:userpool/{id}")
    );
    assert_eq!(p["MfaConfiguration"], "OFF");
    assert_eq!(p["DeletionProtection"], "INACTIVE");
    assert_eq!(
        p["Policies"]["PasswordPolicy"],
        json!({"MinimumLength": 8, "RequireUppercase": true, "RequireLowercase": true, "RequireNumbers": true, "RequireSymbols": true, "TemporaryPasswordValidityDays": 7})
    );
    assert_eq!(
        p["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"],
        false
    );
    assert_eq!(p["UsernameConfiguration"]["CaseSensitive"], true);
    assert_eq!(p["EstimatedNumberOfUsers"], 0);
    let schema = p["SchemaAttributes"].as_array().unwrap();
    assert_eq!(schema.len(), 20);
    assert!(schema
        .iter()
        .any(|a| a["Name"] == "email" && a["AttributeDataType"] == "String"));
    assert!(schema
        .iter()
        .any(|a| a["Name"] == "email_verified" && a["AttributeDataType"] == "Boolean"));
    assert!(p["CreationDate"].as_f64().unwrap() > 1.7e9);
}

#[test]
fn create_user_pool_validation() {
    let app = app();
    let cases = [
        json!({"PoolName": ""}),
        json!({"PoolName": "bad/name"}),
        json!({"PoolName": "p", "AliasAttributes": ["email"], "UsernameAttributes": ["email"]}),
        json!({"PoolName": "p", "AliasAttributes": ["nickname"]}),
        json!({"PoolName": "p", "UsernameAttributes": ["preferred_username"]}),
        json!({"PoolName": "p", "Policies": {"PasswordPolicy": {"MinimumLength": 5}}}),
        json!({"PoolName": "p", "MfaConfiguration": "SOMETIMES"}),
        json!({"PoolName": "p", "AutoVerifiedAttributes": ["name"]}),
        json!({"PoolName": "p", "Schema": [{"Name": "team", "Required": true}]}),
        json!({"PoolName": "p", "Schema": [{"Name": "team", "AttributeDataType": "Blob"}]}),
    ];
    for case in cases {
        let (kind, msg) = err(&app.handle, "CreateUserPool", case.clone());
        assert_eq!(kind, ErrorKind::InvalidParameter, "{case}: {msg}");
    }
}

#[test]
fn update_user_pool_resets_what_it_leaves_out() {
    let app = app();
    let id = ok(&app.handle, "CreateUserPool", json!({"PoolName": "u", "MfaConfiguration": "OPTIONAL", "AutoVerifiedAttributes": ["email"], "Policies": {"PasswordPolicy": {"MinimumLength": 12}}}))["UserPool"]["Id"].clone();
    ok(
        &app.handle,
        "UpdateUserPool",
        json!({"UserPoolId": id, "AutoVerifiedAttributes": ["email"]}),
    );
    let p = ok(&app.handle, "DescribeUserPool", json!({"UserPoolId": id}))["UserPool"].clone();
    assert_eq!(p["MfaConfiguration"], "OFF");
    assert_eq!(p["Policies"]["PasswordPolicy"]["MinimumLength"], 8);
    assert_eq!(p["AutoVerifiedAttributes"], json!(["email"]));
    assert_eq!(p["Name"], "u");
    assert!(p["LastModifiedDate"].as_f64().unwrap() >= p["CreationDate"].as_f64().unwrap());
    assert_eq!(
        err(
            &app.handle,
            "UpdateUserPool",
            json!({"UserPoolId": "us-east-1_nope00000"})
        )
        .0,
        ErrorKind::ResourceNotFound
    );
}

#[test]
fn delete_user_pool_honours_deletion_protection_and_invalidates_tokens() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({"DeletionProtection": "ACTIVE"}),
        json!({}),
    );
    user(&app.handle, &ids.pool_id, "al", "Passw0rd!");
    let t = password_auth(&app.handle, &ids, "al", "Passw0rd!")
        .unwrap()
        .authentication_result
        .unwrap();
    assert_eq!(
        err(
            &app.handle,
            "DeleteUserPool",
            json!({"UserPoolId": ids.pool_id})
        )
        .0,
        ErrorKind::InvalidParameter
    );
    ok(
        &app.handle,
        "UpdateUserPool",
        json!({"UserPoolId": ids.pool_id, "DeletionProtection": "INACTIVE"}),
    );
    ok(
        &app.handle,
        "DeleteUserPool",
        json!({"UserPoolId": ids.pool_id}),
    );
    assert_eq!(
        err(
            &app.handle,
            "DescribeUserPool",
            json!({"UserPoolId": ids.pool_id})
        )
        .0,
        ErrorKind::ResourceNotFound
    );
    assert_eq!(
        err(
            &app.handle,
            "GetUser",
            json!({"AccessToken": t.access_token})
        )
        .0,
        ErrorKind::NotAuthorized
    );
    let (kind, _) = err(
        &app.handle,
        "InitiateAuth",
        json!({"ClientId": ids.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": t.refresh_token}}),
    );
    assert_eq!(kind, ErrorKind::ResourceNotFound);
}

#[test]
fn list_user_pools_pages_without_gaps() {
    let app = app();
    let mut made: Vec<String> = (0..7)
        .map(|i| {
            ok(
                &app.handle,
                "CreateUserPool",
                json!({"PoolName": format!("p{i}")}),
            )["UserPool"]["Id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    made.sort();
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut req = json!({"MaxResults": 3});
        if let Some(t) = &token {
            req["NextToken"] = json!(t);
        }
        let page = ok(&app.handle, "ListUserPools", req);
        let pools = page["UserPools"].as_array().unwrap();
        assert!(pools.len() <= 3);
        seen.extend(pools.iter().map(|p| p["Id"].as_str().unwrap().to_owned()));
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, made);
    assert_eq!(
        err(&app.handle, "ListUserPools", json!({"MaxResults": 0})).0,
        ErrorKind::InvalidParameter
    );
    assert_eq!(
        err(
            &app.handle,
            "ListUserPools",
            json!({"MaxResults": 3, "NextToken": "!!"})
        )
        .0,
        ErrorKind::InvalidParameter
    );
}

#[test]
fn app_client_defaults_validities_and_secret() {
    let app = app();
    let pool_id =
        ok(&app.handle, "CreateUserPool", json!({"PoolName": "c"}))["UserPool"]["Id"].clone();
    let c = ok(
        &app.handle,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "web"}),
    )["UserPoolClient"]
        .clone();
    assert_eq!(
        c["ExplicitAuthFlows"],
        json!([
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_CUSTOM_AUTH"
        ])
    );
    assert_eq!(c["AccessTokenValidity"], 60);
    assert_eq!(c["RefreshTokenValidity"], 30);
    assert_eq!(
        c["TokenValidityUnits"],
        json!({"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"})
    );
    assert_eq!(c["PreventUserExistenceErrors"], "LEGACY");
    assert_eq!(c["EnableTokenRevocation"], true);
    assert_eq!(c["AuthSessionValidity"], 3);
    assert!(c.get("ClientSecret").is_none());
    let id = c["ClientId"].as_str().unwrap();
    assert_eq!(id.len(), 26);
    assert!(id
        .chars()
        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit()));

    let s = ok(&app.handle, "CreateUserPoolClient", json!({"UserPoolId": pool_id, "ClientName": "srv", "GenerateSecret": true, "AccessTokenValidity": 2}))["UserPoolClient"].clone();
    assert_eq!(s["ClientSecret"].as_str().unwrap().len(), 51);
    assert_eq!(s["TokenValidityUnits"]["AccessToken"], "hours");

    for bad in [
        json!({"ClientName": "x", "AccessTokenValidity": 4, "TokenValidityUnits": {"AccessToken": "minutes"}}),
        json!({"ClientName": "x", "IdTokenValidity": 2, "TokenValidityUnits": {"IdToken": "days"}}),
        json!({"ClientName": "x", "RefreshTokenValidity": 11, "TokenValidityUnits": {"RefreshToken": "minutes"}}),
        json!({"ClientName": "x", "AccessTokenValidity": 1, "TokenValidityUnits": {"AccessToken": "weeks"}}),
        json!({"ClientName": "x", "PreventUserExistenceErrors": "SOMETIMES"}),
        json!({"ClientName": "x", "AuthSessionValidity": 20}),
        json!({"ClientName": "x", "ExplicitAuthFlows": ["ALLOW_MAGIC"]}),
        json!({"ClientName": ""}),
    ] {
        let mut req = bad.clone();
        req["UserPoolId"] = pool_id.clone();
        assert_eq!(
            err(&app.handle, "CreateUserPoolClient", req).0,
            ErrorKind::InvalidParameter,
            "{bad}"
        );
    }
    assert_eq!(
        err(
            &app.handle,
            "CreateUserPoolClient",
            json!({"UserPoolId": "us-east-1_nope00000", "ClientName": "x"})
        )
        .0,
        ErrorKind::ResourceNotFound
    );
}

#[test]
fn update_list_and_delete_app_clients() {
    let app = app();
    let ids = pool(
        &app.handle,
        json!({}),
        json!({"GenerateSecret": true, "AccessTokenValidity": 5}),
    );
    let before = ok(
        &app.handle,
        "DescribeUserPoolClient",
        json!({"UserPoolId": ids.pool_id, "ClientId": ids.client_id}),
    )["UserPoolClient"]
        .clone();
    let after = ok(&app.handle, "UpdateUserPoolClient", json!({"UserPoolId": ids.pool_id, "ClientId": ids.client_id, "ClientName": "renamed", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}))["UserPoolClient"].clone();
    assert_eq!(after["ClientName"], "renamed");
    assert_eq!(after["ClientSecret"], before["ClientSecret"]);
    assert_eq!(after["AccessTokenValidity"], 60);
    assert_eq!(
        after["ExplicitAuthFlows"],
        json!(["ALLOW_USER_PASSWORD_AUTH"])
    );

    for i in 0..4 {
        ok(
            &app.handle,
            "CreateUserPoolClient",
            json!({"UserPoolId": ids.pool_id, "ClientName": format!("c{i}")}),
        );
    }
    let first = ok(
        &app.handle,
        "ListUserPoolClients",
        json!({"UserPoolId": ids.pool_id, "MaxResults": 3}),
    );
    assert_eq!(first["UserPoolClients"].as_array().unwrap().len(), 3);
    let rest = ok(
        &app.handle,
        "ListUserPoolClients",
        json!({"UserPoolId": ids.pool_id, "MaxResults": 3, "NextToken": first["NextToken"]}),
    );
    assert_eq!(rest["UserPoolClients"].as_array().unwrap().len(), 2);
    assert!(rest.get("NextToken").is_none());
    assert_eq!(
        rest["UserPoolClients"][0]["UserPoolId"],
        ids.pool_id.as_str()
    );

    user(&app.handle, &ids.pool_id, "bo", "Passw0rd!");
    ok(
        &app.handle,
        "DeleteUserPoolClient",
        json!({"UserPoolId": ids.pool_id, "ClientId": ids.client_id}),
    );
    assert_eq!(
        err(
            &app.handle,
            "DescribeUserPoolClient",
            json!({"UserPoolId": ids.pool_id, "ClientId": ids.client_id})
        )
        .0,
        ErrorKind::ResourceNotFound
    );
    assert_eq!(
        password_auth(&app.handle, &ids, "bo", "Passw0rd!")
            .unwrap_err()
            .0,
        ErrorKind::ResourceNotFound
    );
}

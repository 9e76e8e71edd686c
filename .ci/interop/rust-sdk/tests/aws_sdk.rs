//! The official AWS SDK for Rust (`aws-sdk-cognitoidentityprovider`, endpoint override) drives
//! the emulator binary through a representative admin set-up: a pool with tags and a policy, an
//! app client, the MFA configuration, groups and users, tags, a user import job whose CSV goes
//! to the pre-signed URL over plain HTTP, a sign-in, and Cognito's typed errors.

use std::process::Stdio;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_sdk_cognitoidentityprovider::config::Credentials;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, AuthFlowType, ExplicitAuthFlowsType, SoftwareTokenMfaConfigType,
    UserPoolMfaType,
};
use aws_sdk_cognitoidentityprovider::Client;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

struct Server {
    child: Child,
    endpoint: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

async fn start() -> Server {
    let bin = std::env::var("COGNITO_EMULATOR_BIN")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../target/debug/cognito-emulator").to_owned());
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the emulator binary (COGNITO_EMULATOR_BIN, or target/debug/cognito-emulator)");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let endpoint = loop {
        let line = lines.next_line().await.unwrap().expect("the emulator exited before listening");
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Server { child, endpoint }
}

/// One plain HTTP/1.1 request; the status and body.
async fn http(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host).await.unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let status = answer.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

async fn client(endpoint: &str) -> Client {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region("us-east-1")
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .endpoint_url(endpoint)
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(30))
                .build(),
        )
        .load()
        .await;
    Client::new(&config)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_aws_sdk_sets_up_a_pool_end_to_end() {
    let server = start().await;
    let idp = client(&server.endpoint).await;

    let pool = idp
        .create_user_pool()
        .pool_name("from-the-aws-sdk")
        .user_pool_tags("team", "auth")
        .auto_verified_attributes(aws_sdk_cognitoidentityprovider::types::VerifiedAttributeType::Email)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let pool_id = pool.id.clone().unwrap();
    assert!(pool_id.starts_with("us-east-1_"));
    let arn = pool.arn.clone().unwrap();

    let app = idp
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("app")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    let client_id = app.client_id.unwrap();

    idp.set_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .mfa_configuration(UserPoolMfaType::Optional)
        .software_token_mfa_configuration(SoftwareTokenMfaConfigType::builder().enabled(true).build())
        .send()
        .await
        .unwrap();
    let mfa = idp.get_user_pool_mfa_config().user_pool_id(&pool_id).send().await.unwrap();
    assert_eq!(mfa.mfa_configuration, Some(UserPoolMfaType::Optional));
    assert_eq!(mfa.software_token_mfa_configuration.unwrap().enabled, true);

    idp.create_group().user_pool_id(&pool_id).group_name("admins").precedence(1).send().await.unwrap();
    idp.admin_create_user()
        .user_pool_id(&pool_id)
        .username("ada")
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .user_attributes(AttributeType::builder().name("email").value("ada@example.com").build().unwrap())
        .send()
        .await
        .unwrap();
    idp.admin_set_user_password()
        .user_pool_id(&pool_id)
        .username("ada")
        .password("Sup3r-Secret!")
        .permanent(true)
        .send()
        .await
        .unwrap();
    idp.admin_add_user_to_group().user_pool_id(&pool_id).username("ada").group_name("admins").send().await.unwrap();
    let groups = idp.admin_list_groups_for_user().user_pool_id(&pool_id).username("ada").send().await.unwrap();
    assert_eq!(groups.groups().len(), 1);
    assert_eq!(groups.groups()[0].group_name(), Some("admins"));

    idp.tag_resource().resource_arn(&arn).tags("stage", "test").send().await.unwrap();
    let tags = idp.list_tags_for_resource().resource_arn(&arn).send().await.unwrap().tags.unwrap();
    assert_eq!(tags.get("team").map(String::as_str), Some("auth"));
    assert_eq!(tags.get("stage").map(String::as_str), Some("test"));
    idp.untag_resource().resource_arn(&arn).tag_keys("stage").send().await.unwrap();
    let tags = idp.list_tags_for_resource().resource_arn(&arn).send().await.unwrap().tags.unwrap();
    assert!(!tags.contains_key("stage"));

    // A user import job, the CSV uploaded to its pre-signed URL as a script does.
    let header = idp.get_csv_header().user_pool_id(&pool_id).send().await.unwrap().csv_header.unwrap();
    let row: Vec<&str> = header
        .iter()
        .map(|c| match c.as_str() {
            "cognito:username" => "grace",
            "cognito:mfa_enabled" => "false",
            "email" => "grace@example.com",
            "email_verified" => "true",
            _ => "",
        })
        .collect();
    let csv = format!("{}\n{}\n", header.join(","), row.join(","));
    let job = idp
        .create_user_import_job()
        .user_pool_id(&pool_id)
        .job_name("from-rust")
        .cloud_watch_logs_role_arn("arn:aws:iam::123456789012:role/CognitoImport")
        .send()
        .await
        .unwrap()
        .user_import_job
        .unwrap();
    let url = job.pre_signed_url.unwrap();
    let (status, _) = http("PUT", &url, &[("Content-Type", "text/csv"), ("x-amz-server-side-encryption", "aws:kms")], csv.as_bytes()).await;
    assert_eq!(status, 200);
    let job_id = job.job_id.unwrap();
    idp.start_user_import_job().user_pool_id(&pool_id).job_id(&job_id).send().await.unwrap();
    let clock = format!("{}/_emulator/clock", server.endpoint);
    let (status, _) = http("POST", &clock, &[("Content-Type", "application/json")], br#"{"advanceSeconds": 2}"#).await;
    assert_eq!(status, 200);
    let done = idp
        .describe_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(&job_id)
        .send()
        .await
        .unwrap()
        .user_import_job
        .unwrap();
    assert_eq!(done.status.unwrap().as_str(), "Succeeded");
    assert_eq!((done.imported_users, done.failed_users), (1, 0));
    let grace = idp.admin_get_user().user_pool_id(&pool_id).username("grace").send().await.unwrap();
    assert_eq!(grace.user_status.unwrap().as_str(), "RESET_REQUIRED");

    let signed_in = idp
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "ada")
        .auth_parameters("PASSWORD", "Sup3r-Secret!")
        .send()
        .await
        .unwrap();
    let access = signed_in.authentication_result.unwrap().access_token.unwrap();
    let me = idp.get_user().access_token(access).send().await.unwrap();
    assert_eq!(me.username(), "ada");

    // Cognito's errors arrive as the SDK's typed errors.
    let missing = idp.describe_user_pool().user_pool_id("us-east-1_nosuchpool").send().await.unwrap_err();
    assert!(missing.as_service_error().unwrap().is_resource_not_found_exception(), "{missing:?}");
    let wrong = idp
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "ada")
        .auth_parameters("PASSWORD", "wrong")
        .send()
        .await
        .unwrap_err();
    assert!(wrong.as_service_error().unwrap().is_not_authorized_exception(), "{wrong:?}");
    let invalid = idp.list_users().user_pool_id(&pool_id).limit(61).send().await.unwrap_err();
    assert!(invalid.as_service_error().unwrap().is_invalid_parameter_exception(), "{invalid:?}");
}

//! How records are shown on the wire: pools, app clients and users as the API's `*Type`
//! shapes.

use cognito_protocol::wire::{
    AttributeType, UserPoolClientType, UserPoolDescriptionType, UserPoolType, UserType,
    UsernameConfigurationType,
};

use crate::state::records::{AppClient, Pool, User};

/// A pool as DescribeUserPool shows it.
pub fn pool(pool: &Pool) -> UserPoolType {
    UserPoolType {
        id: Some(pool.id.clone()),
        name: Some(pool.name.clone()),
        arn: Some(pool.arn.clone()),
        status: Some("Enabled".into()),
        last_modified_date: Some(pool.modified),
        creation_date: Some(pool.created),
        schema_attributes: Some(pool.schema.clone()),
        alias_attributes: (!pool.alias_attributes.is_empty())
            .then(|| pool.alias_attributes.clone()),
        username_attributes: (!pool.username_attributes.is_empty())
            .then(|| pool.username_attributes.clone()),
        estimated_number_of_users: Some(i64::try_from(pool.users.len()).unwrap_or(i64::MAX)),
        username_configuration: Some(UsernameConfigurationType {
            case_sensitive: Some(pool.case_sensitive),
        }),
        domain: None,
        settings: pool.settings.clone(),
    }
}

/// A pool as ListUserPools shows it.
pub fn pool_description(pool: &Pool) -> UserPoolDescriptionType {
    UserPoolDescriptionType {
        id: Some(pool.id.clone()),
        name: Some(pool.name.clone()),
        lambda_config: pool.settings.lambda_config.clone(),
        status: Some("Enabled".into()),
        last_modified_date: Some(pool.modified),
        creation_date: Some(pool.created),
    }
}

/// An app client as DescribeUserPoolClient shows it.
pub fn client(pool_id: &str, client: &AppClient) -> UserPoolClientType {
    UserPoolClientType {
        user_pool_id: Some(pool_id.to_owned()),
        client_name: Some(client.name.clone()),
        client_id: Some(client.id.clone()),
        client_secret: client.secret.clone().map(Into::into),
        last_modified_date: Some(client.modified),
        creation_date: Some(client.created),
        settings: client.settings.clone(),
    }
}

/// A user's attributes as `AttributeType`s, optionally only the named ones.
pub fn attributes(user: &User, only: Option<&[String]>) -> Vec<AttributeType> {
    user.attributes
        .iter()
        .filter(|(n, _)| only.is_none_or(|names| names.iter().any(|x| x == n)))
        .map(|(n, v)| AttributeType::new(n.clone(), v.clone()))
        .collect()
}

/// A user as ListUsers and AdminCreateUser show it.
pub fn user(user: &User, only: Option<&[String]>) -> UserType {
    UserType {
        username: Some(user.username.clone()),
        attributes: Some(attributes(user, only)),
        user_create_date: Some(user.created),
        user_last_modified_date: Some(user.modified),
        enabled: Some(user.enabled),
        user_status: Some(user.status.as_str().to_owned()),
        mfa_options: crate::accounts::lifecycle::mfa_options(user),
    }
}

/// A group as the group operations show it.
pub fn group(
    pool_id: &str,
    group: &crate::state::records::Group,
) -> cognito_protocol::wire::GroupType {
    cognito_protocol::wire::GroupType {
        group_name: Some(group.name.clone()),
        user_pool_id: Some(pool_id.to_owned()),
        description: group.description.clone(),
        role_arn: group.role_arn.clone(),
        precedence: group.precedence,
        last_modified_date: Some(group.modified),
        creation_date: Some(group.created),
    }
}

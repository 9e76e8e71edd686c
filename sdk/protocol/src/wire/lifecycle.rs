//! Account lifecycle: attributes and their verification, passwords, deletion, groups.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::{AttributeType, CodeDeliveryDetailsType, Sensitive, StringMap, UserType};

/// UpdateUserAttributes input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesRequest {
    /// The new values.
    pub user_attributes: Vec<AttributeType>,
    /// The user's access token.
    pub access_token: Sensitive<String>,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
}

/// UpdateUserAttributes / AdminUpdateUserAttributes output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesResponse {
    /// Where verification codes went.
    pub code_delivery_details_list: Option<Vec<CodeDeliveryDetailsType>>,
}

/// AdminUpdateUserAttributes input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUpdateUserAttributesRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The username.
    pub username: String,
    /// The new values.
    pub user_attributes: Vec<AttributeType>,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
}

/// DeleteUserAttributes input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserAttributesRequest {
    /// The attributes to delete.
    pub user_attribute_names: Vec<String>,
    /// The user's access token.
    pub access_token: Sensitive<String>,
}

/// AdminDeleteUserAttributes input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDeleteUserAttributesRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The username.
    pub username: String,
    /// The attributes to delete.
    pub user_attribute_names: Vec<String>,
}

/// GetUserAttributeVerificationCode input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAttributeVerificationCodeRequest {
    /// The user's access token.
    pub access_token: Sensitive<String>,
    /// `email` or `phone_number`.
    pub attribute_name: String,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
}

/// VerifyUserAttribute input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifyUserAttributeRequest {
    /// The user's access token.
    pub access_token: Sensitive<String>,
    /// `email` or `phone_number`.
    pub attribute_name: String,
    /// The code that was sent.
    pub code: String,
}

/// ChangePassword input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangePasswordRequest {
    /// The current password (absent only for a user who has none: a passwordless user setting
    /// a first password).
    pub previous_password: Option<Sensitive<String>>,
    /// The new password.
    pub proposed_password: Sensitive<String>,
    /// The user's access token.
    pub access_token: Sensitive<String>,
}

/// ForgotPassword input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgotPasswordRequest {
    /// The app client id.
    pub client_id: String,
    /// `SECRET_HASH` when the client has a secret.
    pub secret_hash: Option<Sensitive<String>>,
    /// The username.
    pub username: String,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
}

/// ConfirmForgotPassword input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmForgotPasswordRequest {
    /// The app client id.
    pub client_id: String,
    /// `SECRET_HASH` when the client has a secret.
    pub secret_hash: Option<Sensitive<String>>,
    /// The username.
    pub username: String,
    /// The code that was sent.
    pub confirmation_code: String,
    /// The new password.
    pub password: Sensitive<String>,
    /// Data for triggers.
    #[serde(default, deserialize_with = "super::types::lenient::map")]
    pub client_metadata: Option<StringMap>,
}

/// A group.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupType {
    /// The name.
    pub group_name: Option<String>,
    /// The pool id.
    pub user_pool_id: Option<String>,
    /// A description.
    pub description: Option<String>,
    /// An IAM role for identity pools.
    pub role_arn: Option<String>,
    /// Lower wins for `cognito:preferred_role`.
    pub precedence: Option<i64>,
    /// Last change (epoch seconds).
    pub last_modified_date: Option<f64>,
    /// Creation (epoch seconds).
    pub creation_date: Option<f64>,
}

/// CreateGroup and UpdateGroup input (for UpdateGroup, the members given replace the group's).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateGroupRequest {
    /// The name.
    pub group_name: String,
    /// The pool id.
    pub user_pool_id: String,
    /// A description.
    pub description: Option<String>,
    /// An IAM role.
    pub role_arn: Option<String>,
    /// Precedence.
    pub precedence: Option<i64>,
}

/// Output carrying one group.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupResponse {
    /// The group.
    pub group: Option<GroupType>,
}

/// Input naming a group (GetGroup, DeleteGroup).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupNameRequest {
    /// The name.
    pub group_name: String,
    /// The pool id.
    pub user_pool_id: String,
}

/// ListGroups input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListGroupsRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// Page size.
    pub limit: Option<i64>,
    /// The previous page's token.
    pub next_token: Option<String>,
}

/// ListGroups / AdminListGroupsForUser output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListGroupsResponse {
    /// This page.
    pub groups: Vec<GroupType>,
    /// The next page's token.
    pub next_token: Option<String>,
}

/// AdminAddUserToGroup / AdminRemoveUserFromGroup input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserGroupRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The username.
    pub username: String,
    /// The group.
    pub group_name: String,
}

/// AdminListGroupsForUser input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListGroupsForUserRequest {
    /// The username.
    pub username: String,
    /// The pool id.
    pub user_pool_id: String,
    /// Page size.
    pub limit: Option<i64>,
    /// The previous page's token.
    pub next_token: Option<String>,
}

/// ListUsersInGroup input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersInGroupRequest {
    /// The pool id.
    pub user_pool_id: String,
    /// The group.
    pub group_name: String,
    /// Page size.
    pub limit: Option<i64>,
    /// The previous page's token.
    pub next_token: Option<String>,
}

/// ListUsersInGroup output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersInGroupResponse {
    /// This page.
    pub users: Vec<UserType>,
    /// The next page's token.
    pub next_token: Option<String>,
}

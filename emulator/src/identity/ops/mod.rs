//! One identity pools operation, one handler, as for user pools (`crate::ops`): [`TABLE`] is
//! the operation table of the `AWSCognitoIdentityService` target.

crate::ops::operations! {
    unauthenticated: [
        "GetCredentialsForIdentity", "GetId", "GetOpenIdToken", "UnlinkIdentity",
    ];
    "CreateIdentityPool" => create_identity_pool: IdentityPoolManagement,
    "DescribeIdentityPool" => describe_identity_pool: IdentityPoolManagement,
    "ListIdentityPools" => list_identity_pools: IdentityPoolManagement,
    "DeleteIdentityPool" => delete_identity_pool: IdentityPoolManagement,
    "SetIdentityPoolRoles" => set_identity_pool_roles: IdentityPoolManagement,
    "GetIdentityPoolRoles" => get_identity_pool_roles: IdentityPoolManagement,
    "GetId" => get_id: IdentityGetId,
    "GetCredentialsForIdentity" => get_credentials_for_identity: IdentityGetCredentialsForIdentity,
    "GetOpenIdToken" => get_open_id_token: IdentityGetOpenIdToken,
    "UpdateIdentityPool" => update_identity_pool: IdentityPoolManagement,
    "DescribeIdentity" => describe_identity: IdentityPoolManagement,
    "ListIdentities" => list_identities: IdentityPoolManagement,
    "DeleteIdentities" => delete_identities: IdentityPoolManagement,
    "UnlinkIdentity" => unlink_identity: IdentityPoolManagement,
    "TagResource" => tag_resource: IdentityPoolManagement,
    "UntagResource" => untag_resource: IdentityPoolManagement,
    "ListTagsForResource" => list_tags_for_resource: IdentityPoolManagement,
    "GetOpenIdTokenForDeveloperIdentity" => get_open_id_token_for_developer_identity: IdentityGetOpenIdToken,
    "LookupDeveloperIdentity" => lookup_developer_identity: IdentityPoolManagement,
    "MergeDeveloperIdentities" => merge_developer_identities: IdentityPoolManagement,
    "UnlinkDeveloperIdentity" => unlink_developer_identity: IdentityPoolManagement,
    "SetPrincipalTagAttributeMap" => set_principal_tag_attribute_map: IdentityPoolManagement,
    "GetPrincipalTagAttributeMap" => get_principal_tag_attribute_map: IdentityPoolManagement,
}

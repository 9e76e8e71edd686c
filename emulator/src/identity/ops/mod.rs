//! One identity pools operation, one handler, as for user pools (`crate::ops`): [`handler`] is
//! the dispatch table of the `AWSCognitoIdentityService` target.

use crate::ops::Handler;

macro_rules! operations {
    ($($name:literal => $module:ident,)*) => {
        $(pub(crate) mod $module;)*

        /// The handler of an identity pools operation, if the emulator implements it.
        pub fn handler(operation: &str) -> Option<Handler> {
            Some(match operation {
                $($name => |ctx, body| crate::ops::run(ctx, body, $module::handle),)*
                _ => return None,
            })
        }

        /// Every implemented identity pools operation's name.
        pub const NAMES: &[&str] = &[$($name,)*];
    };
}

operations! {
    "CreateIdentityPool" => create_identity_pool,
    "DescribeIdentityPool" => describe_identity_pool,
    "ListIdentityPools" => list_identity_pools,
    "DeleteIdentityPool" => delete_identity_pool,
    "SetIdentityPoolRoles" => set_identity_pool_roles,
    "GetIdentityPoolRoles" => get_identity_pool_roles,
    "GetId" => get_id,
    "GetCredentialsForIdentity" => get_credentials_for_identity,
    "GetOpenIdToken" => get_open_id_token,
}

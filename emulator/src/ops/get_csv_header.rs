//! GetCSVHeader: the columns a user-import CSV for this pool has: every schema attribute but
//! `sub` (custom ones included, in schema order), then `cognito:mfa_enabled` and
//! `cognito:username`.

use cognito_protocol::wire::UserPoolIdRequest;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: UserPoolIdRequest) -> Result<Value> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let mut header: Vec<String> = pool
            .schema
            .iter()
            .filter_map(|a| a.name.clone())
            .filter(|n| n != "sub")
            .collect();
        header.extend(["cognito:mfa_enabled".to_owned(), "cognito:username".to_owned()]);
        Ok(json!({"UserPoolId": pool.id, "CSVHeader": header}))
    })
}

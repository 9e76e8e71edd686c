//! AdminListUserSessions: a user's active token sessions (see `tokens::sessions`), one page of
//! up to 125; none while the pool does not track sessions.

use cognito_protocol::wire::AdminUserRequest;
use serde_json::{json, Value};

use crate::ctx::Ctx;
use crate::error::Result;
use crate::tokens::sessions::{self, Session};

/// The `Sessions` answer; `current` is the calling access token's origin.
pub(crate) fn render(list: &[Session], current: Option<&str>) -> Value {
    let sessions: Vec<Value> = list
        .iter()
        .take(125)
        .map(|s| {
            let mut v = json!({
                "SessionId": s.id,
                "SessionType": "TOKEN",
                "ClientId": s.client_id,
                "CreateDate": s.created,
                "LastActiveDate": s.last_active,
            });
            if let Some(current) = current {
                v["IsCurrentSession"] = json!(current == s.origin_jti);
            }
            v
        })
        .collect();
    json!({ "Sessions": sessions })
}

pub fn handle(ctx: &Ctx, req: AdminUserRequest) -> Result<Value> {
    let now = ctx.now();
    ctx.store.with(|state| {
        let sub = state.pool(&req.user_pool_id)?.user(&req.username)?.sub.clone();
        let list = sessions::of_user(state, &req.user_pool_id, &sub, now);
        Ok(render(&list, None))
    })
}

//! ResendConfirmationCode: a new code for an unconfirmed user (the old one stops working).

use cognito_protocol::wire::{CodeDeliveryDetailsType, CodeDeliveryResponse, ResendConfirmationCodeRequest};

use crate::signin::client::{app_request, prevents_existence_errors};
use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::state::records::UserStatus;
use crate::{accounts::attributes, accounts::users};

pub fn handle(ctx: &Ctx, req: ResendConfirmationCodeRequest) -> Result<CodeDeliveryResponse> {
    super::non_empty(&req.client_id, "clientId")?;
    ctx.store.with(|state| {
        let (pool, client) = app_request(state, &req.client_id, req.secret_hash.as_ref(), &req.username)?;
        let pool_id = pool.id.clone();
        let Some(mut user) = pool.find_user(&req.username).cloned() else {
            if prevents_existence_errors(client) {
                // As Cognito: a plausible answer, so the caller learns nothing.
                return Ok(Err(CodeDeliveryResponse {
                    code_delivery_details: Some(CodeDeliveryDetailsType {
                        destination: Some(attributes::mask("EMAIL", &req.username)),
                        delivery_medium: Some("EMAIL".into()),
                        attribute_name: Some("email".into()),
                    }),
                }));
            }
            return Err(CognitoError::user_not_found("Username/client id combination not found."));
        };
        if user.status != UserStatus::Unconfirmed {
            return Err(CognitoError::invalid_parameter("User is already confirmed."));
        }
        let (details, mut outgoing) = users::send_signup_code(ctx, pool, &mut user)
            .ok_or_else(|| CognitoError::invalid_parameter("Cannot resend codes. Auto verification not turned on."))?;
        outgoing.source = "CustomMessage_ResendCode";
        let pool = state.pool_mut(&pool_id)?;
        pool.insert_user(user);
        Ok(Ok((details, outgoing)))
    })
    .and_then(|answer| match answer {
        Err(fake) => Ok(fake),
        Ok((details, outgoing)) => {
            users::deliver(ctx, Some(&req.client_id), vec![outgoing], req.client_metadata.as_ref())?;
            Ok(CodeDeliveryResponse { code_delivery_details: Some(details) })
        }
    })
}

//! GetUserAttributeVerificationCode: a code for the user's email or phone number (the pending
//! new value when there is one) goes to the outbox.

use cognito_protocol::wire::{CodeDeliveryResponse, GetUserAttributeVerificationCodeRequest};

use crate::ctx::Ctx;
use crate::error::{CognitoError, Result};
use crate::outbox::MessageKind;
use crate::{tokens, accounts::users};

pub fn handle(ctx: &Ctx, req: GetUserAttributeVerificationCodeRequest) -> Result<CodeDeliveryResponse> {
    let attr = req.attribute_name.as_str();
    let medium = users::medium_of(attr).ok_or_else(|| CognitoError::invalid_parameter(format!("Invalid attribute name {attr}: only email and phone_number can be verified.")))?;
    let access = tokens::verify_access_token(ctx, req.access_token.expose())?;
    ctx.store.with(|state| {
        let (pool_id, username) = access.authorize(state)?;
        let pool = state.pool(&pool_id)?;
        let mut user = pool.user(&username)?.clone();
        let destination = user
            .pending_attributes
            .get(attr)
            .cloned()
            .or_else(|| user.attr(attr).map(str::to_owned))
            .ok_or_else(|| CognitoError::invalid_parameter(format!("The user has no {attr} to verify.")))?;
        let (issued, details, mut outgoing) = users::send_code(ctx, pool, &user, medium, attr, &destination, MessageKind::AttributeVerification);
        outgoing.source = "CustomMessage_VerifyUserAttribute";
        user.attribute_codes.insert(attr.to_owned(), issued);
        state.pool_mut(&pool_id)?.insert_user(user);
        Ok((details, outgoing))
    })
    .and_then(|(details, outgoing)| {
        users::deliver(ctx, None, vec![outgoing], req.client_metadata.as_ref())?;
        Ok(CodeDeliveryResponse { code_delivery_details: Some(details) })
    })
}

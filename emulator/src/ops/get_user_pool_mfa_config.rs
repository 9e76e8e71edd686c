//! GetUserPoolMfaConfig: what SetUserPoolMfaConfig set. Before it is first called the emulator
//! lets users use every factor (more lenient than Cognito, where the software token needs
//! SetUserPoolMfaConfig), and this reports exactly that: SMS with the pool's message, the
//! software token enabled and email.

use cognito_protocol::wire::{EmailMfaConfigType, SmsMfaConfigType, SoftwareTokenMfaConfigType, UserPoolIdRequest, UserPoolMfaConfig};

use crate::ctx::Ctx;
use crate::error::Result;

pub fn handle(ctx: &Ctx, req: UserPoolIdRequest) -> Result<UserPoolMfaConfig> {
    ctx.store.with(|state| {
        let pool = state.pool(&req.user_pool_id)?;
        let mode = pool.settings.mfa_configuration.clone().unwrap_or_else(|| "OFF".into());
        let mut config = pool.mfa_factors.clone().unwrap_or_else(|| UserPoolMfaConfig {
            sms_mfa_configuration: Some(SmsMfaConfigType {
                sms_authentication_message: pool.settings.sms_authentication_message.clone(),
                sms_configuration: pool.settings.sms_configuration.clone(),
            }),
            software_token_mfa_configuration: Some(SoftwareTokenMfaConfigType { enabled: Some(true) }),
            email_mfa_configuration: Some(EmailMfaConfigType::default()),
            ..Default::default()
        });
        config.mfa_configuration = Some(mode);
        Ok(config)
    })
}

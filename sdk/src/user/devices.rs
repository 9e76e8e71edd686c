//! Remembered devices: keeping the device a pool issued (`NewDeviceMetadata`), confirming it
//! with its own SRP verifier, answering DEVICE_SRP_AUTH on later sign-ins, and listing,
//! describing, remembering and forgetting devices.
//!
//! Storage uses amazon-cognito-identity-js's keys (`deviceKey`, `deviceGroupKey`,
//! `randomPasswordKey` under the user's prefix). The device key and group key are kept as soon
//! as Cognito issues them, because the refresh token of that sign-in is bound to the device;
//! the random password (the device's secret, never sent) is kept once the device is confirmed.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::srp::{self, ClaimInput};
use crate::user::outcome::AuthOutcome;
use crate::user::CognitoUser;
use crate::wire::{
    AuthResponse, ConfirmDeviceRequest, ConfirmDeviceResponse, DeviceSecretVerifierConfigType,
    DeviceType, Empty, ErrorKind, ForgetDeviceRequest, GetDeviceRequest, GetDeviceResponse,
    ListDevicesRequest, ListDevicesResponse, NewDeviceMetadataType, Sensitive,
    UpdateDeviceStatusRequest,
};

/// A device Cognito tracks for the user.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Device {
    /// The device key (`{region}_{uuid}`).
    pub key: String,
    /// The name given when it was confirmed.
    pub name: Option<String>,
    /// Remembered (`Some(true)`), not remembered (`Some(false)`), or not decided yet.
    pub remembered: Option<bool>,
    /// Every device attribute Cognito returned (`device_status`, `last_ip_used` …).
    pub attributes: BTreeMap<String, String>,
    /// When it was first seen (epoch seconds).
    pub created: Option<f64>,
    /// When it last signed in (epoch seconds).
    pub last_authenticated: Option<f64>,
}

impl Device {
    fn from_wire(d: DeviceType) -> Self {
        let attributes: BTreeMap<String, String> = d
            .device_attributes
            .unwrap_or_default()
            .into_iter()
            .map(|a| (a.name, a.value.unwrap_or_default()))
            .collect();
        Self {
            key: d.device_key.unwrap_or_default(),
            name: attributes.get("device_name").cloned(),
            remembered: match attributes
                .get("dev:device_remembered_status")
                .map(String::as_str)
            {
                Some("remembered") => Some(true),
                Some("not_remembered") => Some(false),
                _ => None,
            },
            created: d.device_create_date,
            last_authenticated: d.device_last_authenticated_date,
            attributes,
        }
    }
}

/// One page of [`CognitoUser::list_devices`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DevicePage {
    /// The devices on this page.
    pub devices: Vec<Device>,
    /// Pass to the next call for the next page; `None` on the last.
    pub pagination_token: Option<String>,
}

/// What [`CognitoUser::confirm_device`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfirmedDevice {
    /// The device key.
    pub key: String,
    /// Whether the device is now remembered.
    pub remembered: bool,
}

/// The device keys kept in storage for a user.
struct Stored {
    key: Option<String>,
    group: Option<String>,
    password: Option<Sensitive<String>>,
}

impl CognitoUser {
    async fn stored_device(&self, username: &str) -> Result<Stored> {
        let inner = &self.pool.inner;
        let get = |k: String| async move { inner.storage.get(&k).await.map_err(Error::storage) };
        Ok(Stored {
            key: get(inner.keys.device_key(username)).await?,
            group: get(inner.keys.device_group_key(username)).await?,
            password: get(inner.keys.random_password_key(username))
                .await?
                .map(Sensitive),
        })
    }

    /// The key of this device as kept in storage (confirmed or not), if the pool tracks
    /// devices and one was issued.
    ///
    /// ```no_run
    /// # async fn run(user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
    /// if let Some(key) = user.device_key().await? {
    ///     println!("this device is {key}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn device_key(&self) -> Result<Option<String>> {
        Ok(self.stored_device(&self.username()).await?.key)
    }

    /// Keeps the device a sign-in was issued; a new device replaces the old one's secrets.
    pub(crate) async fn keep_new_device(
        &self,
        username: &str,
        meta: &NewDeviceMetadataType,
    ) -> Result<()> {
        let (Some(key), Some(group)) = (&meta.device_key, &meta.device_group_key) else {
            return Ok(());
        };
        let inner = &self.pool.inner;
        let store = &inner.storage;
        store
            .set(&inner.keys.device_key(username), key)
            .await
            .map_err(Error::storage)?;
        store
            .set(&inner.keys.device_group_key(username), group)
            .await
            .map_err(Error::storage)?;
        store
            .remove(&inner.keys.random_password_key(username))
            .await
            .map_err(Error::storage)
    }

    /// Drops this device's keys and password from storage (the pool no longer knows it).
    pub(crate) async fn drop_device(&self, username: &str) -> Result<()> {
        let inner = &self.pool.inner;
        for k in [
            inner.keys.device_key(username),
            inner.keys.device_group_key(username),
            inner.keys.random_password_key(username),
        ] {
            inner.storage.remove(&k).await.map_err(Error::storage)?;
        }
        Ok(())
    }

    /// The stored device key to send as `DEVICE_KEY` when signing in as `username`.
    pub(crate) async fn device_key_for(&self, username: &str) -> Result<Option<String>> {
        Ok(self.stored_device(username).await?.key)
    }

    /// Confirms the device the last sign-in was issued (ConfirmDevice): makes a random device
    /// password, sends only its salt and verifier, and keeps the password in storage so later
    /// sign-ins answer DEVICE_SRP_AUTH by themselves. With `remember`, the device is also
    /// remembered when the pool leaves that to the user; without it, a device the pool
    /// remembers by itself is set to not remembered.
    ///
    /// ```no_run
    /// # async fn run(user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
    /// let device = user.confirm_device("Alice's laptop", true).await?;
    /// assert!(device.remembered);
    /// # Ok(()) }
    /// ```
    pub async fn confirm_device(&self, name: &str, remember: bool) -> Result<ConfirmedDevice> {
        let username = self.username();
        let stored = self.stored_device(&username).await?;
        let (Some(key), Some(group)) = (stored.key, stored.group) else {
            return Err(Error::InvalidArgument(format!(
                "no device was issued to {username}: the pool does not track devices, or nobody signed in here"
            )));
        };
        let inner = &self.pool.inner;
        let mut password = zeroize::Zeroizing::new([0u8; 40]);
        let mut salt = [0u8; 16];
        (inner.random)(password.as_mut());
        (inner.random)(&mut salt);
        let verifier = srp::device_verifier(&group, &key, password.as_slice(), &salt);
        let out: ConfirmDeviceResponse = self
            .authorized("ConfirmDevice", |access_token| ConfirmDeviceRequest {
                access_token,
                device_key: key.clone(),
                device_secret_verifier_config: Some(DeviceSecretVerifierConfigType {
                    password_verifier: Some(verifier.verifier_b64.clone()),
                    salt: Some(verifier.salt_b64.clone()),
                }),
                device_name: Some(name.to_owned()),
            })
            .await?;
        inner
            .storage
            .set(
                &inner.keys.random_password_key(&username),
                &verifier.random_password,
            )
            .await
            .map_err(Error::storage)?;
        let asks_user = out.user_confirmation_necessary == Some(true);
        if asks_user || !remember {
            self.update_device_status(&key, remember).await?;
        }
        Ok(ConfirmedDevice {
            key,
            remembered: remember,
        })
    }

    /// Remembers this device, or stops remembering it (UpdateDeviceStatus).
    ///
    /// ```no_run
    /// # async fn run(user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
    /// user.set_device_remembered(false).await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_device_remembered(&self, remembered: bool) -> Result<()> {
        let key = self.this_device().await?;
        self.update_device_status(&key, remembered).await
    }

    async fn update_device_status(&self, key: &str, remembered: bool) -> Result<()> {
        let _: Empty = self
            .authorized("UpdateDeviceStatus", |access_token| {
                UpdateDeviceStatusRequest {
                    access_token,
                    device_key: key.to_owned(),
                    device_remembered_status: Some(
                        if remembered {
                            "remembered"
                        } else {
                            "not_remembered"
                        }
                        .into(),
                    ),
                }
            })
            .await?;
        Ok(())
    }

    async fn this_device(&self) -> Result<String> {
        self.device_key().await?.ok_or_else(|| {
            Error::InvalidArgument(format!("no device is stored for {}", self.username()))
        })
    }

    /// The user's devices, a page at a time (ListDevices; `limit` up to 60).
    ///
    /// ```no_run
    /// # async fn run(user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
    /// let mut token = None;
    /// loop {
    ///     let page = user.list_devices(Some(20), token.as_deref()).await?;
    ///     for d in &page.devices {
    ///         println!("{} {:?}", d.key, d.name);
    ///     }
    ///     match page.pagination_token {
    ///         Some(t) => token = Some(t),
    ///         None => break,
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_devices(
        &self,
        limit: Option<u32>,
        pagination_token: Option<&str>,
    ) -> Result<DevicePage> {
        let out: ListDevicesResponse = self
            .authorized("ListDevices", |access_token| ListDevicesRequest {
                access_token,
                limit: limit.map(i64::from),
                pagination_token: pagination_token.map(str::to_owned),
            })
            .await?;
        Ok(DevicePage {
            devices: out
                .devices
                .unwrap_or_default()
                .into_iter()
                .map(Device::from_wire)
                .collect(),
            pagination_token: out.pagination_token,
        })
    }

    /// One device (GetDevice); `None` means this device.
    ///
    /// ```no_run
    /// # async fn run(user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
    /// let here = user.get_device(None).await?;
    /// println!("remembered: {:?}", here.remembered);
    /// # Ok(()) }
    /// ```
    pub async fn get_device(&self, device_key: Option<&str>) -> Result<Device> {
        let key = match device_key {
            Some(k) => k.to_owned(),
            None => self.this_device().await?,
        };
        let out: GetDeviceResponse = self
            .authorized("GetDevice", |access_token| GetDeviceRequest {
                device_key: key.clone(),
                access_token: Some(access_token),
            })
            .await?;
        out.device
            .map(Device::from_wire)
            .ok_or_else(|| Error::InvalidResponse {
                status: 200,
                reason: "GetDevice answered without a Device".into(),
                body: String::new(),
                source: None,
            })
    }

    /// Forgets a device (ForgetDevice); `None` means this device, whose keys are then removed
    /// from storage too. Refresh tokens bound to a forgotten device stop working.
    ///
    /// ```no_run
    /// # async fn run(user: cognito_sdk::CognitoUser) -> Result<(), cognito_sdk::Error> {
    /// user.forget_device(None).await?;
    /// assert_eq!(user.device_key().await?, None);
    /// # Ok(()) }
    /// ```
    pub async fn forget_device(&self, device_key: Option<&str>) -> Result<()> {
        let here = self.device_key().await?;
        let key = match device_key {
            Some(k) => k.to_owned(),
            None => self.this_device().await?,
        };
        let _: Empty = self
            .authorized("ForgetDevice", |access_token| ForgetDeviceRequest {
                access_token: Some(access_token),
                device_key: key.clone(),
            })
            .await?;
        if here.as_deref() == Some(key.as_str()) {
            self.drop_device(&self.username()).await?;
        }
        Ok(())
    }

    /// DEVICE_SRP_AUTH: proves this device with its stored random password, then stores the
    /// tokens Cognito answers with.
    pub(crate) async fn answer_device_challenge(
        &self,
        session: Option<Sensitive<String>>,
    ) -> Result<AuthOutcome> {
        let username = self.username();
        let stored = self.stored_device(&username).await?;
        let (Some(key), Some(group), Some(password)) = (stored.key, stored.group, stored.password)
        else {
            return Err(Error::UnexpectedChallenge(format!(
                "DEVICE_SRP_AUTH, but no confirmed device is stored for {username}"
            )));
        };
        let ephemeral = self.new_ephemeral();
        let first = self
            .respond_to_challenge(
                "DEVICE_SRP_AUTH",
                session,
                BTreeMap::from([
                    ("DEVICE_KEY".to_owned(), key.clone()),
                    ("SRP_A".to_owned(), ephemeral.public_hex()),
                ]),
                None,
            )
            .await?;
        let params = first.challenge_parameters.clone().unwrap_or_default();
        let get = |k: &str| {
            params
                .get(k)
                .cloned()
                .ok_or_else(|| Error::InvalidResponse {
                    status: 200,
                    reason: format!("DEVICE_PASSWORD_VERIFIER without {k}"),
                    body: String::new(),
                    source: None,
                })
        };
        if first.challenge_name.as_deref() != Some("DEVICE_PASSWORD_VERIFIER") {
            return Err(Error::UnexpectedChallenge(
                first
                    .challenge_name
                    .unwrap_or_else(|| "none after DEVICE_SRP_AUTH".into()),
            ));
        }
        let (salt, srp_b, block) = (get("SALT")?, get("SRP_B")?, get("SECRET_BLOCK")?);
        let timestamp = srp::format_timestamp(self.pool.inner.clock.now_secs());
        let signature = ephemeral.password_claim(&ClaimInput {
            realm: &group,
            user_id: &key,
            password: password.expose(),
            salt_hex: &salt,
            srp_b_hex: &srp_b,
            secret_block_b64: &block,
            timestamp: &timestamp,
        })?;
        let answer = self
            .respond_to_challenge(
                "DEVICE_PASSWORD_VERIFIER",
                first.session,
                BTreeMap::from([
                    ("DEVICE_KEY".to_owned(), key),
                    ("PASSWORD_CLAIM_SECRET_BLOCK".to_owned(), block),
                    ("TIMESTAMP".to_owned(), timestamp),
                    ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
                ]),
                None,
            )
            .await?;
        match answer {
            AuthResponse {
                authentication_result: Some(result),
                ..
            } => Ok(AuthOutcome::SignedIn(
                self.store_tokens(result, None).await?,
            )),
            AuthResponse { challenge_name, .. } => Err(Error::UnexpectedChallenge(
                challenge_name.unwrap_or_else(|| "none after DEVICE_PASSWORD_VERIFIER".into()),
            )),
        }
    }
}

/// Whether Cognito refused a `DEVICE_KEY` it does not know (the client then forgets the
/// device and tries again without it, as amazon-cognito-identity-js does).
pub(crate) fn is_unknown_device(e: &Error) -> bool {
    matches!(e, Error::Service { kind: ErrorKind::ResourceNotFound, message, .. }
        if message.to_lowercase().contains("device"))
}

//! Device tracking: the pool's device configuration, remembered devices and the operations on
//! them (ConfirmDevice, GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice and their
//! Admin* twins).

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::{AttributeType, Sensitive};

/// A pool's device tracking. Any member set turns tracking on.
#[skip_serializing_none]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceConfigurationType {
    /// A remembered device may sign in with device authentication instead of MFA.
    pub challenge_required_on_new_device: Option<bool>,
    /// ConfirmDevice does not remember the device by itself; UpdateDeviceStatus must.
    pub device_only_remembered_on_user_prompt: Option<bool>,
}

/// The salt and verifier a client makes for its device (ConfirmDevice).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceSecretVerifierConfigType {
    /// base64 of the verifier's padded big-endian bytes.
    pub password_verifier: Option<String>,
    /// base64 of the salt's padded big-endian bytes.
    pub salt: Option<String>,
}

/// ConfirmDevice input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceRequest {
    /// The signed-in user's access token.
    pub access_token: Sensitive<String>,
    /// The device key from `NewDeviceMetadata`.
    pub device_key: String,
    /// The device's salt and verifier.
    pub device_secret_verifier_config: Option<DeviceSecretVerifierConfigType>,
    /// A name for the device.
    pub device_name: Option<String>,
}

/// ConfirmDevice output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceResponse {
    /// The user must be asked whether to remember the device (UpdateDeviceStatus).
    pub user_confirmation_necessary: Option<bool>,
}

/// A device as GetDevice and ListDevices describe it.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceType {
    /// The device key.
    pub device_key: Option<String>,
    /// `device_status`, `device_name`, `dev:device_remembered_status`, `last_ip_used`.
    pub device_attributes: Option<Vec<AttributeType>>,
    /// Creation (epoch seconds).
    pub device_create_date: Option<f64>,
    /// Last change (epoch seconds).
    pub device_last_modified_date: Option<f64>,
    /// Last sign-in from the device (epoch seconds).
    pub device_last_authenticated_date: Option<f64>,
}

impl DeviceType {
    /// A device attribute's value.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.device_attributes
            .as_deref()?
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.value.as_deref())
    }
}

/// GetDevice input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDeviceRequest {
    /// The device key.
    pub device_key: String,
    /// The signed-in user's access token.
    pub access_token: Option<Sensitive<String>>,
}

/// AdminGetDevice input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminGetDeviceRequest {
    /// The device key.
    pub device_key: String,
    /// The pool.
    pub user_pool_id: String,
    /// The user.
    pub username: String,
}

/// GetDevice and AdminGetDevice output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDeviceResponse {
    /// The device.
    pub device: Option<DeviceType>,
}

/// ListDevices input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesRequest {
    /// The signed-in user's access token.
    pub access_token: Sensitive<String>,
    /// Page size, 0–60.
    pub limit: Option<i64>,
    /// Where the previous page ended.
    pub pagination_token: Option<String>,
}

/// AdminListDevices input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListDevicesRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The user.
    pub username: String,
    /// Page size, 0–60.
    pub limit: Option<i64>,
    /// Where the previous page ended.
    pub pagination_token: Option<String>,
}

/// ListDevices and AdminListDevices output.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesResponse {
    /// The user's devices.
    pub devices: Option<Vec<DeviceType>>,
    /// The next page's token.
    pub pagination_token: Option<String>,
}

/// UpdateDeviceStatus input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateDeviceStatusRequest {
    /// The signed-in user's access token.
    pub access_token: Sensitive<String>,
    /// The device key.
    pub device_key: String,
    /// `remembered` or `not_remembered`.
    pub device_remembered_status: Option<String>,
}

/// AdminUpdateDeviceStatus input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUpdateDeviceStatusRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The user.
    pub username: String,
    /// The device key.
    pub device_key: String,
    /// `remembered` or `not_remembered`.
    pub device_remembered_status: Option<String>,
}

/// ForgetDevice input.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgetDeviceRequest {
    /// The signed-in user's access token.
    pub access_token: Option<Sensitive<String>>,
    /// The device key.
    pub device_key: String,
}

/// AdminForgetDevice input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminForgetDeviceRequest {
    /// The pool.
    pub user_pool_id: String,
    /// The user.
    pub username: String,
    /// The device key.
    pub device_key: String,
}

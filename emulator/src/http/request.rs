//! Turning a request body into an operation's typed input, with Cognito's errors: a body that
//! is not a JSON object is a `SerializationException`; a missing required member or a member
//! of the wrong type is an `InvalidParameterException` naming the member.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{CognitoError, Result};

/// Parses the raw body into a JSON object.
pub fn json_object(body: &[u8]) -> Result<Value> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        CognitoError::serialization(format!("The request body is not valid JSON: {e}"))
    })?;
    if !value.is_object() {
        return Err(CognitoError::serialization(
            "The request body must be a JSON object.",
        ));
    }
    Ok(value)
}

fn camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Deserialises an operation's input from a JSON object.
pub fn typed<T: DeserializeOwned>(value: Value) -> Result<T> {
    let err = match serde_path_to_error::deserialize::<_, T>(value.clone()) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let mut path = err.path().to_string();
    let inner = err.inner().to_string();
    if let Some(field) = inner
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        let member = if path == "." {
            camel(field)
        } else {
            format!("{path}.{}", camel(field))
        };
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        )));
    }
    if path == "." {
        // Flattened members hide the path from serde; find it by elimination.
        let mut trail = Vec::new();
        culprit::<T>(&value, &inner, &mut trail);
        if !trail.is_empty() {
            path = trail.join(".");
        }
    }
    Err(CognitoError::invalid_parameter(format!(
        "1 validation error detected: Value at '{path}' has the wrong type: {inner}"
    )))
}

/// Finds the member whose removal changes the error, descending into objects.
fn culprit<T: DeserializeOwned>(root: &Value, error: &str, trail: &mut Vec<String>) {
    fn at<'a>(
        v: &'a mut Value,
        trail: &[String],
    ) -> Option<&'a mut serde_json::Map<String, Value>> {
        let mut cur = v;
        for key in trail {
            cur = cur.get_mut(key.as_str())?;
        }
        cur.as_object_mut()
    }
    for _ in 0..8 {
        let mut probe = root.clone();
        let Some(keys) = at(&mut probe, trail).map(|m| m.keys().cloned().collect::<Vec<_>>())
        else {
            return;
        };
        let mut found = None;
        for key in keys {
            let mut without = root.clone();
            if let Some(map) = at(&mut without, trail) {
                map.remove(&key);
            }
            let same = serde_json::from_value::<T>(without)
                .err()
                .map(|e| e.to_string())
                .as_deref()
                == Some(error);
            if !same {
                found = Some(key);
                break;
            }
        }
        match found {
            Some(key) => trail.push(key),
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_protocol::wire::{ErrorKind, UserPoolIdRequest};

    #[test]
    fn missing_and_mistyped_members_are_named() {
        let err = typed::<UserPoolIdRequest>(serde_json::json!({})).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidParameter);
        assert!(err.message.contains("'userPoolId'"), "{}", err.message);
        let err = typed::<UserPoolIdRequest>(serde_json::json!({"UserPoolId": 5})).unwrap_err();
        assert!(err.message.contains("UserPoolId"), "{}", err.message);
    }

    #[test]
    fn non_objects_are_serialization_errors() {
        assert_eq!(
            json_object(b"[1]").unwrap_err().kind,
            ErrorKind::Serialization
        );
        assert_eq!(
            json_object(b"{").unwrap_err().kind,
            ErrorKind::Serialization
        );
        assert!(json_object(b"{}").is_ok());
    }
}

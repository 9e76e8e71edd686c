//! Validation of every request against the service model, before its handler runs, as Cognito's
//! front end does: member types, required members, length and value bounds, patterns and enums.
//!
//! The constraints come from `emulator/model/<service>.json`, which `emulator/model/generate.py`
//! derives from botocore's service model (only what validation needs; no documentation). The
//! tables are parsed and their patterns compiled once, on first use.
//!
//! What a request gets, in Cognito's shapes:
//! - a member of the wrong JSON type: `SerializationException`, as Cognito's JSON decoder
//!   answers before any constraint is looked at;
//! - every constraint violation at once: `InvalidParameterException` with "N validation
//!   error(s) detected: Value '…' at 'member.path' failed to satisfy constraint: …", where a
//!   sensitive member's value is left out and lengths count UTF-16 code units (as Java does).
//!
//! Patterns are Java regular expressions matched against the whole value; `\w`, `\d` and `\s`
//! are ASCII-only there, so they are rewritten to ASCII classes before they are compiled.
//! Members the model does not know are ignored, as Cognito ignores them.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;
use serde_json::Value;

use crate::error::CognitoError;

/// A service whose model is embedded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// `cognito-idp`.
    UserPools,
    /// `cognito-identity`.
    IdentityPools,
}

#[derive(Debug, Deserialize)]
struct OperationSpec {
    input: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Boolean,
    Timestamp,
    Blob,
    Double,
    Float,
}

#[derive(Debug, Deserialize)]
struct Shape {
    #[serde(rename = "type")]
    kind: Kind,
    min: Option<i64>,
    max: Option<i64>,
    pattern: Option<String>,
    #[serde(rename = "enum")]
    values: Option<Vec<String>>,
    #[serde(default)]
    sensitive: bool,
    /// A document: any JSON value.
    #[serde(default)]
    document: bool,
    #[serde(default)]
    members: BTreeMap<String, String>,
    #[serde(default)]
    required: Vec<String>,
    member: Option<String>,
    key: Option<String>,
    value: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawModel {
    operations: HashMap<String, OperationSpec>,
    shapes: HashMap<String, Shape>,
}

/// One service's model with its patterns compiled.
#[derive(Debug)]
pub struct Model {
    raw: RawModel,
    patterns: HashMap<String, Regex>,
}

static USER_POOLS: OnceLock<Model> = OnceLock::new();
static IDENTITY_POOLS: OnceLock<Model> = OnceLock::new();

/// The embedded model of `service`.
pub fn model(service: Service) -> &'static Model {
    let (cell, text) = match service {
        Service::UserPools => (&USER_POOLS, include_str!("../../model/cognito-idp.json")),
        Service::IdentityPools => (
            &IDENTITY_POOLS,
            include_str!("../../model/cognito-identity.json"),
        ),
    };
    cell.get_or_init(|| Model::parse(text))
}

impl Model {
    fn parse(text: &str) -> Model {
        // The tables are generated and embedded at build time; a unit test parses both.
        let raw: RawModel = serde_json::from_str(text).unwrap_or_else(|e| {
            tracing::error!("the embedded service model does not parse: {e}");
            RawModel {
                operations: HashMap::new(),
                shapes: HashMap::new(),
            }
        });
        let mut patterns = HashMap::new();
        let mut uncompiled = Vec::new();
        for shape in raw.shapes.values() {
            let Some(p) = &shape.pattern else { continue };
            if patterns.contains_key(p) {
                continue;
            }
            match Regex::new(&format!(r"\A(?:{})\z", java_to_rust(p))) {
                Ok(re) => {
                    patterns.insert(p.clone(), re);
                }
                Err(_) => uncompiled.push(p.clone()),
            }
        }
        if !uncompiled.is_empty() {
            tracing::warn!(?uncompiled, "service-model patterns not enforced");
        }
        Model { raw, patterns }
    }

    /// The names of the operations the model lists.
    #[cfg(test)]
    pub fn operations(&self) -> impl Iterator<Item = &str> {
        self.raw.operations.keys().map(String::as_str)
    }

    /// Patterns that could not be compiled (and so are not enforced).
    #[cfg(test)]
    pub fn uncompiled(&self) -> Vec<&str> {
        let mut missing: Vec<&str> = (self.raw.shapes.values())
            .filter_map(|s| s.pattern.as_deref())
            .filter(|p| !self.patterns.contains_key(*p))
            .collect();
        missing.dedup();
        missing
    }
}

/// Rewrites the Java pattern classes whose meaning differs in Rust's regex (`\w`, `\d`, `\s`
/// and their negations are ASCII-only in Java) into explicit ASCII classes.
fn java_to_rust(pattern: &str) -> String {
    const SPACE: &str = r" \t\n\x0B\x0C\r";
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('w') => out.push_str("[a-zA-Z0-9_]"),
            Some('W') => out.push_str("[^a-zA-Z0-9_]"),
            Some('d') => out.push_str("[0-9]"),
            Some('D') => out.push_str("[^0-9]"),
            Some('s') => {
                let _ = write!(out, "[{SPACE}]");
            }
            Some('S') => {
                let _ = write!(out, "[^{SPACE}]");
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Checks a request body against `operation`'s input shape. Operations the model does not
/// list, and operations without input, pass.
/// Whether `operation`'s input has a top-level member `member` (`UserPoolId` …).
pub fn input_has_member(service: Service, operation: &str, member: &str) -> bool {
    let model = model(service);
    model
        .raw
        .operations
        .get(operation)
        .and_then(|o| o.input.as_deref())
        .and_then(|input| model.raw.shapes.get(input))
        .is_some_and(|shape| shape.members.contains_key(member))
}

/// Checks `body` against `operation`'s input shape.
pub fn check(service: Service, operation: &str, body: &Value) -> Result<(), CognitoError> {
    let model = model(service);
    let Some(input) = model
        .raw
        .operations
        .get(operation)
        .and_then(|o| o.input.as_deref())
    else {
        return Ok(());
    };
    let mut walk = Walk {
        model,
        violations: Vec::new(),
    };
    walk.value(input, body, "")?;
    match walk.violations.len() {
        0 => Ok(()),
        n => Err(CognitoError::invalid_parameter(format!(
            "{n} validation error{} detected: {}",
            if n == 1 { "" } else { "s" },
            walk.violations.join("; ")
        ))),
    }
}

struct Walk<'m> {
    model: &'m Model,
    violations: Vec<String>,
}

/// The JSON type of a value, in the words Cognito's decoder uses.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "NULL_VALUE",
        Value::Bool(_) => "BOOLEAN_VALUE",
        Value::Number(_) => "NUMBER_VALUE",
        Value::String(_) => "STRING_VALUE",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
    }
}

fn wrong_type(value: &Value, expected: &str, path: &str) -> CognitoError {
    let message = match value {
        Value::Object(_) => "Start of structure or map found where not expected.".to_owned(),
        Value::Array(_) => "Start of list found where not expected.".to_owned(),
        _ => format!("{} can not be converted to {expected}.", json_kind(value)),
    };
    CognitoError::serialization(format!("{message} (member '{path}')"))
}

fn join(path: &str, member: &str) -> String {
    let mut chars = member.chars();
    let camel: String = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    if path.is_empty() {
        camel
    } else {
        format!("{path}.{camel}")
    }
}

impl<'m> Walk<'m> {
    fn shape(&self, name: &str) -> Option<&'m Shape> {
        self.model.raw.shapes.get(name)
    }

    fn fail(&mut self, shape: &Shape, shown: Option<String>, path: &str, constraint: &str) {
        let value = match shown {
            Some(v) if !shape.sensitive => format!("Value '{v}' at"),
            _ => "Value at".to_owned(),
        };
        self.violations.push(format!(
            "{value} '{path}' failed to satisfy constraint: {constraint}"
        ));
    }

    fn length(&mut self, shape: &Shape, len: i64, shown: Option<String>, path: &str) {
        if let Some(max) = shape.max.filter(|&m| len > m) {
            self.fail(
                shape,
                shown.clone(),
                path,
                &format!("Member must have length less than or equal to {max}"),
            );
        }
        if let Some(min) = shape.min.filter(|&m| len < m) {
            self.fail(
                shape,
                shown,
                path,
                &format!("Member must have length greater than or equal to {min}"),
            );
        }
    }

    fn value(&mut self, shape_name: &str, value: &Value, path: &str) -> Result<(), CognitoError> {
        let Some(shape) = self.shape(shape_name) else {
            return Ok(());
        };
        if value.is_null() || shape.document {
            // A JSON null is an absent member; a document may hold any JSON.
            return Ok(());
        }
        match shape.kind {
            Kind::Structure => {
                let object = value
                    .as_object()
                    .ok_or_else(|| wrong_type(value, "a structure", path))?;
                for required in &shape.required {
                    if object.get(required).is_none_or(Value::is_null) {
                        self.violations.push(format!(
                            "Value null at '{}' failed to satisfy constraint: Member must not be null",
                            join(path, required)
                        ));
                    }
                }
                for (member, target) in &shape.members {
                    if let Some(v) = object.get(member) {
                        self.value(target, v, &join(path, member))?;
                    }
                }
            }
            Kind::List => {
                let items = value
                    .as_array()
                    .ok_or_else(|| wrong_type(value, "a list", path))?;
                self.length(
                    shape,
                    i64::try_from(items.len()).unwrap_or(i64::MAX),
                    None,
                    path,
                );
                if let Some(member) = &shape.member {
                    for (i, item) in items.iter().enumerate() {
                        self.value(member, item, &format!("{path}.{}.member", i + 1))?;
                    }
                }
            }
            Kind::Map => {
                let entries = value
                    .as_object()
                    .ok_or_else(|| wrong_type(value, "a map", path))?;
                self.length(
                    shape,
                    i64::try_from(entries.len()).unwrap_or(i64::MAX),
                    None,
                    path,
                );
                self.map_entries(shape, entries, path)?;
            }
            Kind::String => {
                let text = value
                    .as_str()
                    .ok_or_else(|| wrong_type(value, "a String", path))?;
                self.string(shape, text, path);
            }
            Kind::Integer | Kind::Long | Kind::Double | Kind::Float => {
                let number = value
                    .as_f64()
                    .ok_or_else(|| wrong_type(value, "a Number", path))?;
                let shown = Some(value.to_string());
                if let Some(max) = shape.max.filter(|&m| number > m as f64) {
                    self.fail(
                        shape,
                        shown.clone(),
                        path,
                        &format!("Member must have value less than or equal to {max}"),
                    );
                }
                if let Some(min) = shape.min.filter(|&m| number < m as f64) {
                    self.fail(
                        shape,
                        shown,
                        path,
                        &format!("Member must have value greater than or equal to {min}"),
                    );
                }
            }
            Kind::Boolean => {
                if !value.is_boolean() {
                    return Err(wrong_type(value, "a Boolean", path));
                }
            }
            Kind::Timestamp => {
                if !(value.is_number() || value.is_string()) {
                    return Err(wrong_type(value, "a Timestamp", path));
                }
            }
            Kind::Blob => {
                if !value.is_string() {
                    return Err(wrong_type(value, "a Blob", path));
                }
            }
        }
        Ok(())
    }

    fn map_entries(
        &mut self,
        shape: &Shape,
        entries: &serde_json::Map<String, Value>,
        path: &str,
    ) -> Result<(), CognitoError> {
        let (Some(key_shape), Some(value_shape)) = (shape.key.clone(), shape.value.clone()) else {
            return Ok(());
        };
        let scalar_values = self
            .shape(&value_shape)
            .is_some_and(|s| matches!(s.kind, Kind::String));
        for (key, v) in entries {
            let mut inner = Walk {
                model: self.model,
                violations: Vec::new(),
            };
            inner.value(&key_shape, &Value::String(key.clone()), path)?;
            if !inner.violations.is_empty() {
                self.violations.push(format!(
                    "Value at '{path}' failed to satisfy constraint: Map keys must satisfy constraint: [{}]",
                    constraints_of(&inner.violations)
                ));
            }
            if scalar_values {
                let mut inner = Walk {
                    model: self.model,
                    violations: Vec::new(),
                };
                inner.value(&value_shape, v, path)?;
                if !inner.violations.is_empty() {
                    self.violations.push(format!(
                        "Value at '{path}' failed to satisfy constraint: Map value must satisfy constraint: [{}]",
                        constraints_of(&inner.violations)
                    ));
                }
            } else {
                self.value(&value_shape, v, &format!("{path}.{key}"))?;
            }
        }
        Ok(())
    }

    fn string(&mut self, shape: &Shape, text: &str, path: &str) {
        let shown = || Some(text.to_owned());
        let units = i64::try_from(text.encode_utf16().count()).unwrap_or(i64::MAX);
        self.length(shape, units, shown(), path);
        if let Some(pattern) = &shape.pattern {
            if let Some(re) = self.model.patterns.get(pattern) {
                if !re.is_match(text) {
                    self.fail(
                        shape,
                        shown(),
                        path,
                        &format!("Member must satisfy regular expression pattern: {pattern}"),
                    );
                }
            }
        }
        if let Some(values) = &shape.values {
            if !values.iter().any(|v| v == text) {
                self.fail(
                    shape,
                    shown(),
                    path,
                    &format!(
                        "Member must satisfy enum value set: [{}]",
                        values.join(", ")
                    ),
                );
            }
        }
    }
}

/// The constraint part of each violation ("Member must …").
fn constraints_of(violations: &[String]) -> String {
    violations
        .iter()
        .map(|v| {
            v.split_once("failed to satisfy constraint: ")
                .map_or(v.as_str(), |(_, c)| c)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::{check, model, Service};
    use serde_json::json;

    #[test]
    fn both_models_parse_and_every_pattern_compiles() {
        for service in [Service::UserPools, Service::IdentityPools] {
            let m = model(service);
            assert!(m.operations().count() > 20);
            assert!(m.uncompiled().is_empty(), "{:?}", m.uncompiled());
        }
    }

    #[test]
    fn usernames_with_control_or_invisible_characters_are_refused() {
        for bad in ["a\u{0}b", "a\u{200b}b", "a\u{202e}b", "a b", ""] {
            let body = json!({"ClientId": "abc", "Username": bad, "Password": "x"});
            let err = check(Service::UserPools, "SignUp", &body).unwrap_err();
            assert_eq!(err.kind.code(), "InvalidParameterException", "{bad:?}");
            assert!(err.message.contains("at 'username'"), "{}", err.message);
            assert!(
                !err.message.contains(bad) || bad.is_empty(),
                "sensitive value echoed"
            );
        }
        let ok = json!({"ClientId": "abc", "Username": "zoë", "Password": "x"});
        check(Service::UserPools, "SignUp", &ok).unwrap();
    }

    #[test]
    fn wrong_types_are_serialization_errors() {
        let body =
            json!({"ClientId": "abc", "Username": "u", "Password": "x", "AnalyticsMetadata": "s"});
        let err = check(Service::UserPools, "SignUp", &body).unwrap_err();
        assert_eq!(err.kind.code(), "SerializationException");
        let body = json!({"UserPoolId": "us-east-1_abc", "Limit": "5"});
        let err = check(Service::UserPools, "ListUsers", &body).unwrap_err();
        assert_eq!(err.kind.code(), "SerializationException");
    }

    #[test]
    fn every_violation_is_reported_with_its_path() {
        let body = json!({
            "UserPoolId": "no-underscore",
            "Username": "u",
            "UserAttributes": [{"Name": "", "Value": "v"}, {"Value": "w"}],
            "DesiredDeliveryMediums": ["PIGEON"],
        });
        let err = check(Service::UserPools, "AdminCreateUser", &body).unwrap_err();
        let m = &err.message;
        assert!(m.starts_with("5 validation errors detected: "), "{m}");
        assert!(m.contains("Value 'no-underscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern"), "{m}");
        assert!(m.contains("at 'userAttributes.1.member.name' failed to satisfy constraint: Member must have length greater than or equal to 1"), "{m}");
        assert!(
            m.contains("Value null at 'userAttributes.2.member.name'"),
            "{m}"
        );
        assert!(m.contains("Value 'PIGEON' at 'desiredDeliveryMediums.1.member' failed to satisfy constraint: Member must satisfy enum value set: [SMS, EMAIL]"), "{m}");
    }

    #[test]
    fn lengths_count_utf16_units_and_numbers_their_value() {
        // 64 emoji are 128 UTF-16 units: at the limit. One more is over.
        let name = "😀".repeat(64);
        let body = json!({"UserPoolId": "us-east-1_abc", "GroupName": name});
        check(Service::UserPools, "CreateGroup", &body).unwrap();
        let body = json!({"UserPoolId": "us-east-1_abc", "GroupName": format!("{name}a")});
        assert!(check(Service::UserPools, "CreateGroup", &body).is_err());
        let body = json!({"UserPoolId": "us-east-1_abc", "Limit": 61});
        let err = check(Service::UserPools, "ListUsers", &body).unwrap_err();
        assert!(err.message.contains("Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"), "{}", err.message);
    }

    #[test]
    fn map_keys_and_values_are_checked() {
        let body = json!({"ClientId": "abc", "Username": "u", "Password": "x",
            "ClientMetadata": {"k": "v".repeat(300_000)}});
        let err = check(Service::UserPools, "SignUp", &body).unwrap_err();
        assert!(
            err.message.contains("Map value must satisfy constraint"),
            "{}",
            err.message
        );
    }
}

//! The attribute schema (standard attributes plus the pool's custom ones) and the checks that
//! SignUp, AdminCreateUser and NEW_PASSWORD_REQUIRED apply to supplied attributes.

use cognito_protocol::wire::{
    AttributeType, NumberAttributeConstraintsType, SchemaAttributeType,
    StringAttributeConstraintsType,
};

use crate::error::{CognitoError, Result};
use crate::state::records::Pool;

const STANDARD: &[(&str, &str)] = &[
    ("sub", "String"),
    ("name", "String"),
    ("given_name", "String"),
    ("family_name", "String"),
    ("middle_name", "String"),
    ("nickname", "String"),
    ("preferred_username", "String"),
    ("profile", "String"),
    ("picture", "String"),
    ("website", "String"),
    ("email", "String"),
    ("email_verified", "Boolean"),
    ("gender", "String"),
    ("birthdate", "String"),
    ("zoneinfo", "String"),
    ("locale", "String"),
    ("phone_number", "String"),
    ("phone_number_verified", "Boolean"),
    ("address", "String"),
    ("updated_at", "Number"),
];

fn is_standard(name: &str) -> bool {
    STANDARD.iter().any(|(n, _)| *n == name)
}

fn standard_attribute(name: &str, data_type: &str) -> SchemaAttributeType {
    let (string, number) = match (name, data_type) {
        ("sub", _) => (Some(("1", "2048")), None),
        ("birthdate", _) => (Some(("10", "10")), None),
        (_, "String") => (Some(("0", "2048")), None),
        (_, "Number") => (None, Some(("0", None))),
        _ => (None, None),
    };
    SchemaAttributeType {
        name: Some(name.to_owned()),
        attribute_data_type: Some(data_type.to_owned()),
        developer_only_attribute: Some(false),
        mutable: Some(name != "sub"),
        required: Some(name == "sub"),
        string_attribute_constraints: string.map(|(min, max)| StringAttributeConstraintsType {
            min_length: Some(min.to_owned()),
            max_length: Some(max.to_owned()),
        }),
        number_attribute_constraints: number.map(|(min, max): (&str, Option<&str>)| {
            NumberAttributeConstraintsType {
                min_value: Some(min.to_owned()),
                max_value: max.map(str::to_owned),
            }
        }),
    }
}

/// Builds a pool's full schema from CreateUserPool's `Schema`: every standard attribute (with
/// any overrides given) followed by the custom ones as `custom:<name>`.
pub fn build_schema(given: &[SchemaAttributeType]) -> Result<Vec<SchemaAttributeType>> {
    let mut schema: Vec<SchemaAttributeType> = STANDARD
        .iter()
        .map(|(n, t)| standard_attribute(n, t))
        .collect();
    for attr in given {
        let name = attr
            .name
            .as_deref()
            .filter(|n| !n.is_empty())
            .ok_or_else(|| CognitoError::invalid_parameter("Schema attribute name is required."))?;
        if name == "sub" {
            return Err(CognitoError::invalid_parameter(
                "The attribute sub cannot be changed.",
            ));
        }
        if is_standard(name) {
            if let Some(slot) = schema.iter_mut().find(|s| s.name.as_deref() == Some(name)) {
                if let Some(r) = attr.required {
                    slot.required = Some(r);
                }
                if let Some(m) = attr.mutable {
                    slot.mutable = Some(m);
                }
                if attr.string_attribute_constraints.is_some() {
                    slot.string_attribute_constraints = attr.string_attribute_constraints.clone();
                }
            }
            continue;
        }
        let custom = custom_attribute(attr, &schema)?;
        schema.push(custom);
    }
    Ok(schema)
}

/// The most custom attributes a pool can have.
pub const MAX_CUSTOM: usize = 50;

/// A custom attribute as CreateUserPool's `Schema` or AddCustomAttributes gives it, checked
/// against the schema so far: named `custom:<name>` (1–20 characters), never required, of a
/// known type, not already there.
pub fn custom_attribute(
    attr: &SchemaAttributeType,
    schema: &[SchemaAttributeType],
) -> Result<SchemaAttributeType> {
    let name = attr
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| CognitoError::invalid_parameter("Schema attribute name is required."))?;
    let bare = name.strip_prefix("custom:").unwrap_or(name);
    if bare.is_empty() || bare.chars().count() > 20 || bare.chars().any(char::is_whitespace) {
        return Err(CognitoError::invalid_parameter(format!(
            "1 validation error detected: Value '{bare}' at 'name' failed to satisfy constraint: Member must have length between 1 and 20 and no spaces"
        )));
    }
    if attr.required == Some(true) {
        return Err(CognitoError::invalid_parameter(
            "Required custom attributes are not supported currently.",
        ));
    }
    let data_type = attr.attribute_data_type.as_deref().unwrap_or("String");
    if !matches!(data_type, "String" | "Number" | "DateTime" | "Boolean") {
        return Err(CognitoError::invalid_parameter(format!(
            "Invalid AttributeDataType {data_type} for attribute {bare}."
        )));
    }
    let full = format!("custom:{bare}");
    if schema
        .iter()
        .any(|s| s.name.as_deref() == Some(full.as_str()))
    {
        return Err(CognitoError::invalid_parameter(format!(
            "Existing attribute already has name {full}."
        )));
    }
    if schema
        .iter()
        .filter(|s| s.name.as_deref().is_some_and(|n| n.starts_with("custom:")))
        .count()
        >= MAX_CUSTOM
    {
        return Err(CognitoError::invalid_parameter(format!(
            "A user pool can have at most {MAX_CUSTOM} custom attributes."
        )));
    }
    Ok(SchemaAttributeType {
        name: Some(full),
        attribute_data_type: Some(data_type.to_owned()),
        developer_only_attribute: Some(attr.developer_only_attribute.unwrap_or(false)),
        mutable: Some(attr.mutable.unwrap_or(true)),
        required: Some(false),
        string_attribute_constraints: (data_type == "String").then(|| {
            attr.string_attribute_constraints
                .clone()
                .unwrap_or_default()
        }),
        number_attribute_constraints: (data_type == "Number").then(|| {
            attr.number_attribute_constraints
                .clone()
                .unwrap_or_default()
        }),
    })
}

fn schema_error(name: &str, why: &str) -> CognitoError {
    CognitoError::invalid_parameter(format!(
        "Attributes did not conform to the schema: {name}: {why}"
    ))
}

/// Checks supplied attributes against the pool's schema: each must exist, `sub` cannot be
/// set, types and lengths must fit, email and phone must look right.
pub fn validate(pool: &Pool, attrs: &[AttributeType]) -> Result<()> {
    for attr in attrs {
        let name = attr.name.as_str();
        let value = attr.value.as_deref().unwrap_or("");
        let Some(def) = pool.schema.iter().find(|s| s.name.as_deref() == Some(name)) else {
            return Err(schema_error(
                name,
                "Attribute does not exist in the schema.",
            ));
        };
        if name == "sub" {
            return Err(schema_error(name, "Attribute cannot be updated."));
        }
        match def.attribute_data_type.as_deref() {
            Some("Number") if value.parse::<f64>().is_err() => {
                return Err(schema_error(name, "Number expected."));
            }
            Some("Boolean") if !matches!(value, "true" | "false") => {
                return Err(schema_error(name, "Boolean expected (true or false)."));
            }
            _ => {}
        }
        if let Some(c) = &def.string_attribute_constraints {
            let len = value.chars().count();
            let bound = |b: &Option<String>| b.as_deref().and_then(|m| m.parse::<usize>().ok());
            if bound(&c.max_length).is_some_and(|m| len > m) {
                return Err(schema_error(name, "String is too long."));
            }
            if bound(&c.min_length).is_some_and(|m| len < m) && !value.is_empty() {
                return Err(schema_error(name, "String is too short."));
            }
        }
        if let (Some(c), Ok(n)) = (&def.number_attribute_constraints, value.parse::<f64>()) {
            let bound = |b: &Option<String>| b.as_deref().and_then(|m| m.parse::<f64>().ok());
            if bound(&c.min_value).is_some_and(|m| n < m) {
                return Err(schema_error(name, "Number is too small."));
            }
            if bound(&c.max_value).is_some_and(|m| n > m) {
                return Err(schema_error(name, "Number is too large."));
            }
        }
        if name == "email" && !looks_like_email(value) {
            return Err(CognitoError::invalid_parameter(
                "Invalid email address format.",
            ));
        }
        if name == "phone_number" && !looks_like_phone(value) {
            return Err(CognitoError::invalid_parameter(
                "Invalid phone number format.",
            ));
        }
    }
    Ok(())
}

/// Fails when a required attribute is neither supplied nor already set.
pub fn check_required(pool: &Pool, supplied: &[(String, String)]) -> Result<()> {
    for def in &pool.schema {
        let Some(name) = def.name.as_deref() else {
            continue;
        };
        if def.required == Some(true)
            && name != "sub"
            && !supplied.iter().any(|(n, v)| n == name && !v.is_empty())
        {
            return Err(schema_error(name, "The attribute is required"));
        }
    }
    Ok(())
}

/// Required attributes of the pool (without `sub`), for NEW_PASSWORD_REQUIRED.
pub fn required_names(pool: &Pool) -> Vec<String> {
    pool.schema
        .iter()
        .filter(|d| d.required == Some(true))
        .filter_map(|d| d.name.clone())
        .filter(|n| n != "sub")
        .collect()
}

/// A plausible email address (`local@domain` with a dot in the domain is not required:
/// Cognito accepts `a@b`).
pub fn looks_like_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !v.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// An E.164 number: `+` and 4 to 15 digits.
pub fn looks_like_phone(v: &str) -> bool {
    v.strip_prefix('+')
        .is_some_and(|d| (4..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()))
}

/// Masks a destination as Cognito shows it: `a***@e***` or `+*******1234`.
pub fn mask(medium: &str, destination: &str) -> String {
    if medium == "EMAIL" {
        let (local, domain) = destination.split_once('@').unwrap_or((destination, ""));
        let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
        format!("{}***@{}***", first(local), first(domain))
    } else {
        let digits: Vec<char> = destination.chars().collect();
        let keep = digits.len().saturating_sub(4);
        digits
            .iter()
            .enumerate()
            .map(|(i, c)| if i == 0 || i >= keep { *c } else { '*' })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_cognito() {
        assert_eq!(mask("EMAIL", "jane@example.com"), "j***@e***");
        assert_eq!(mask("SMS", "+15555550123"), "+*******0123");
    }

    #[test]
    fn custom_attributes_are_prefixed_and_cannot_be_required() {
        let schema = build_schema(&[SchemaAttributeType {
            name: Some("team".into()),
            attribute_data_type: Some("String".into()),
            ..Default::default()
        }])
        .unwrap();
        assert!(schema
            .iter()
            .any(|s| s.name.as_deref() == Some("custom:team")));
        let err = build_schema(&[SchemaAttributeType {
            name: Some("team".into()),
            required: Some(true),
            ..Default::default()
        }])
        .unwrap_err();
        assert_eq!(
            err.kind,
            cognito_protocol::wire::ErrorKind::InvalidParameter
        );
    }

    #[test]
    fn string_and_number_bounds() {
        use crate::state::records::Pool;
        let schema = build_schema(&[
            SchemaAttributeType {
                name: Some("code".into()),
                attribute_data_type: Some("String".into()),
                string_attribute_constraints: Some(StringAttributeConstraintsType {
                    min_length: Some("2".into()),
                    max_length: Some("4".into()),
                }),
                ..Default::default()
            },
            SchemaAttributeType {
                name: Some("age".into()),
                attribute_data_type: Some("Number".into()),
                number_attribute_constraints: Some(NumberAttributeConstraintsType {
                    min_value: Some("18".into()),
                    max_value: Some("130".into()),
                }),
                ..Default::default()
            },
        ])
        .unwrap();
        let pool = Pool {
            id: "us-east-1_x".into(),
            name: "x".into(),
            arn: String::new(),
            created: 0.0,
            modified: 0.0,
            alias_attributes: vec![],
            username_attributes: vec![],
            case_sensitive: true,
            schema,
            settings: Default::default(),
            clients: Default::default(),
            users: Default::default(),
            subs: Default::default(),
            aliases: Default::default(),
            groups: Default::default(),
            domain: None,
            domain_settings: None,
            resource_servers: Default::default(),
            identity_providers: Default::default(),
            mfa_factors: None,
            stored: Default::default(),
            provider_links: Default::default(),
            signing_keys: None,
        };
        let check = |n: &str, v: &str| validate(&pool, &[AttributeType::new(n, v)]);
        assert!(check("custom:code", "abc").is_ok());
        assert!(check("custom:code", "a").is_err());
        assert!(check("custom:code", "abcde").is_err());
        assert!(check("custom:age", "42").is_ok());
        assert!(check("custom:age", "17").is_err());
        assert!(check("custom:age", "131").is_err());
    }

    #[test]
    fn email_and_phone_shapes() {
        assert!(looks_like_email("a@b.c"));
        assert!(!looks_like_email("ab.c"));
        assert!(!looks_like_email("a b@c"));
        assert!(looks_like_phone("+4915112345678"));
        assert!(!looks_like_phone("015112345678"));
    }
}

//! ListUsers' `Filter`: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix) on one
//! of the searchable attributes, as Cognito defines them. An empty filter matches everyone.

use crate::error::{CognitoError, Result};
use crate::state::records::User;

/// Attributes Cognito lets ListUsers filter on.
pub const SEARCHABLE: &[&str] = &[
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
];

/// A parsed filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    attribute: String,
    prefix: bool,
    value: String,
}

fn parse_error() -> CognitoError {
    CognitoError::invalid_parameter("Error while parsing filter.")
}

/// Parses a filter; `None` for an empty one.
pub fn parse(text: &str) -> Result<Option<Filter>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (attribute, rest, prefix) = if let Some((a, r)) = text.split_once("^=") {
        (a, r, true)
    } else if let Some((a, r)) = text.split_once('=') {
        (a, r, false)
    } else {
        return Err(parse_error());
    };
    let attribute = attribute.trim().trim_matches('"').to_owned();
    if !SEARCHABLE.contains(&attribute.as_str()) {
        return Err(CognitoError::invalid_parameter(format!(
            "Invalid search attribute: {attribute}"
        )));
    }
    let rest = rest.trim();
    let quoted = rest
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .ok_or_else(parse_error)?;
    let mut value = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => value.push(chars.next().ok_or_else(parse_error)?),
            '"' => return Err(parse_error()),
            other => value.push(other),
        }
    }
    Ok(Some(Filter {
        attribute,
        prefix,
        value,
    }))
}

impl Filter {
    /// Whether a user matches.
    pub fn matches(&self, user: &User) -> bool {
        let actual: Option<String> = match self.attribute.as_str() {
            "username" => Some(user.username.clone()),
            "cognito:user_status" => Some(user.status.as_str().to_owned()),
            "status" => Some(if user.enabled { "Enabled" } else { "Disabled" }.to_owned()),
            other => user.attr(other).map(str::to_owned),
        };
        match actual {
            Some(v) if self.prefix => v.starts_with(&self.value),
            Some(v) => v == self.value,
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_prefix_and_escapes() {
        let f = parse(r#"email ^= "ali""#).unwrap().unwrap();
        assert!(f.prefix);
        assert_eq!(f.value, "ali");
        let f = parse(r#"name = "say \"hi\"""#).unwrap().unwrap();
        assert_eq!(f.value, "say \"hi\"");
        assert!(!f.prefix);
        assert_eq!(parse("  ").unwrap(), None);
    }

    #[test]
    fn rejects_bad_filters() {
        assert!(parse("email").is_err());
        assert!(parse("email = alice").is_err());
        assert!(parse(r#"custom:team = "x""#).is_err());
    }
}

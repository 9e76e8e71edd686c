//! The hosted UI's pages: plain HTML, no scripts and no external assets.

use std::collections::BTreeMap;

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&#39;".into(),
            c => c.to_string(),
        })
        .collect()
}

fn hidden(fields: &BTreeMap<String, String>) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(k),
                escape(v)
            )
        })
        .collect::<Vec<_>>()
        .join("\n      ")
}

fn frame(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>{}</title>\n  <style>body{{font-family:sans-serif;max-width:24rem;margin:3rem auto}}label,input,button{{display:block;width:100%;margin:.4rem 0}}.error{{color:#b00020}}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    )
}

/// The sign-in form, posting to `action` with the OAuth request carried in hidden fields.
pub fn sign_in(
    action: &str,
    fields: &BTreeMap<String, String>,
    error: Option<&str>,
    username: &str,
) -> String {
    let error = error
        .map(|e| {
            format!(
                "  <p id=\"loginErrorMessage\" class=\"error\">{}</p>\n",
                escape(e)
            )
        })
        .unwrap_or_default();
    frame(
        "Sign in",
        &format!(
            "  <h1>Sign in</h1>\n{error}  <form method=\"post\" action=\"{}\" name=\"cognitoSignInForm\">\n      {}\n      <label for=\"signInFormUsername\">Username</label>\n      <input id=\"signInFormUsername\" name=\"username\" type=\"text\" autocomplete=\"username\" value=\"{}\" required>\n      <label for=\"signInFormPassword\">Password</label>\n      <input id=\"signInFormPassword\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\n      <button id=\"signInSubmitButton\" name=\"signInSubmitButton\" type=\"submit\">Sign in</button>\n  </form>",
            escape(action),
            hidden(fields),
            escape(username)
        ),
    )
}

/// The second-factor form.
pub fn mfa(action: &str, login: &str, kind: &str, error: Option<&str>) -> String {
    let error = error
        .map(|e| {
            format!(
                "  <p id=\"mfaErrorMessage\" class=\"error\">{}</p>\n",
                escape(e)
            )
        })
        .unwrap_or_default();
    let prompt = if kind == "SOFTWARE_TOKEN_MFA" {
        "Enter the code from your authenticator app."
    } else {
        "Enter the code we sent you."
    };
    frame(
        "Verify",
        &format!(
            "  <h1>Verify</h1>\n{error}  <p>{prompt}</p>\n  <form method=\"post\" action=\"{}\" name=\"mfaForm\">\n      <input type=\"hidden\" name=\"login\" value=\"{}\">\n      <label for=\"mfaCode\">Code</label>\n      <input id=\"mfaCode\" name=\"code\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required>\n      <button id=\"mfaSubmitButton\" type=\"submit\">Verify</button>\n  </form>",
            escape(action),
            escape(login)
        ),
    )
}

/// An error page (for requests that cannot be redirected back).
pub fn error(message: &str) -> String {
    frame(
        "Error",
        &format!(
            "  <h1>Something went wrong</h1>\n  <p id=\"errorMessage\" class=\"error\">{}</p>",
            escape(message)
        ),
    )
}

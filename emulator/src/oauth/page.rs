//! The hosted UI's pages: plain HTML and no external assets; the one script is the passkey
//! page's, allowed by its hash in that page's Content-Security-Policy.

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

/// Every page's one style sheet.
const STYLE: &str = "body{font-family:sans-serif;max-width:24rem;margin:3rem auto}label,input,button{display:block;width:100%;margin:.4rem 0}.error{color:#b00020}hr{margin:1.5rem 0}";

fn frame(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>{}</title>\n  <style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    )
}

/// The sign-in form, posting to `action` with the OAuth request carried in hidden fields; with
/// `passkey`, a second form that starts a passkey sign-in there.
pub fn sign_in(
    action: &str,
    fields: &BTreeMap<String, String>,
    error: Option<&str>,
    username: &str,
    passkey: Option<&str>,
) -> String {
    let passkey = passkey
        .map(|to| {
            format!(
                "\n  <hr>\n  <form method=\"post\" action=\"{}\" name=\"passkeySignInForm\">\n      {}\n      <label for=\"passkeyUsername\">Username</label>\n      <input id=\"passkeyUsername\" name=\"username\" type=\"text\" autocomplete=\"username webauthn\" value=\"{}\" required>\n      <button id=\"passkeySignInButton\" type=\"submit\">Sign in with a passkey</button>\n  </form>",
                escape(to),
                hidden(fields),
                escape(username)
            )
        })
        .unwrap_or_default();
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
            "  <h1>Sign in</h1>\n{error}  <form method=\"post\" action=\"{}\" name=\"cognitoSignInForm\">\n      {}\n      <label for=\"signInFormUsername\">Username</label>\n      <input id=\"signInFormUsername\" name=\"username\" type=\"text\" autocomplete=\"username\" value=\"{}\" required>\n      <label for=\"signInFormPassword\">Password</label>\n      <input id=\"signInFormPassword\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\n      <button id=\"signInSubmitButton\" name=\"signInSubmitButton\" type=\"submit\">Sign in</button>\n  </form>{passkey}",
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

/// The passkey page's script: decodes the request options kept in the page, asks the browser's
/// authenticator for an assertion, and posts it back in the `AuthenticationResponseJSON` form
/// (base64url fields), written out by hand so that browsers without `toJSON` work too.
const PASSKEY_SCRIPT: &str = r#"(() => {
  const bytes = t => Uint8Array.from(atob(t.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((t.length + 3) % 4)), c => c.charCodeAt(0)).buffer;
  const text = b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const options = JSON.parse(document.getElementById('passkeyOptions').textContent);
  const ask = () => {
    const publicKey = Object.assign({}, options, {
      challenge: bytes(options.challenge),
      allowCredentials: (options.allowCredentials || []).map(c => Object.assign({}, c, {id: bytes(c.id)})),
    });
    navigator.credentials.get({publicKey}).then(c => {
      const r = c.response;
      document.getElementById('passkeyCredential').value = JSON.stringify({
        id: c.id, rawId: text(c.rawId), type: c.type,
        response: {clientDataJSON: text(r.clientDataJSON), authenticatorData: text(r.authenticatorData),
                   signature: text(r.signature), userHandle: r.userHandle ? text(r.userHandle) : null},
        clientExtensionResults: c.getClientExtensionResults(), authenticatorAttachment: c.authenticatorAttachment || null,
      });
      document.getElementById('passkeyAnswer').submit();
    }, e => { document.getElementById('passkeyError').textContent = e.name + ': ' + e.message; });
  };
  document.getElementById('passkeyRetry').addEventListener('click', ask);
  ask();
})();"#;

fn sha256_source(text: &str) -> String {
    let digest = <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest)
    )
}

/// The passkey page's Content-Security-Policy: its script and style by hash, nothing else
/// loaded, no framing.
pub fn passkey_policy() -> &'static str {
    static POLICY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| {
        format!(
            "default-src 'none'; script-src {}; style-src {}; frame-ancestors 'none'; base-uri 'none'",
            sha256_source(PASSKEY_SCRIPT),
            sha256_source(STYLE)
        )
    })
}

/// The passkey step: the request options (`PublicKeyCredentialRequestOptionsJSON`) as a JSON
/// data block, the script that asks the authenticator, and the form it posts the answer with.
pub fn passkey(action: &str, login: &str, username: &str, options: &str) -> String {
    // Inside a script element only `</` could end it; JSON escapes keep the text inert.
    let options = options
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    frame(
        "Sign in with a passkey",
        &format!(
            "  <h1>Sign in with a passkey</h1>\n  <p>Use a passkey of {}.</p>\n  <p id=\"passkeyError\" class=\"error\"></p>\n  <script type=\"application/json\" id=\"passkeyOptions\">{options}</script>\n  <form method=\"post\" action=\"{}\" id=\"passkeyAnswer\" name=\"passkeyAnswer\">\n      <input type=\"hidden\" name=\"login\" value=\"{}\">\n      <input type=\"hidden\" name=\"credential\" id=\"passkeyCredential\">\n      <button id=\"passkeyRetry\" type=\"button\">Try again</button>\n  </form>\n  <script>{PASSKEY_SCRIPT}</script>",
            escape(username),
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

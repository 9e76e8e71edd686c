//! The hosted UI's pages: plain HTML and no external assets; the one script is the passkey
//! page's, allowed by its hash in that page's Content-Security-Policy.

use std::collections::BTreeMap;

pub use super::look::Look;

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

fn frame(title: &str, body: &str, look: &Look) -> String {
    let branded = if look.css.is_empty() {
        String::new()
    } else {
        format!("\n  <style>{}</style>", look.css)
    };
    let logo = look
        .logo
        .as_ref()
        .map(|uri| format!("  <img id=\"formLogo\" alt=\"\" src=\"{}\">\n", escape(uri)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>{}</title>\n  <style>{STYLE}</style>{branded}\n</head>\n<body>\n{logo}{body}\n</body>\n</html>\n",
        escape(title)
    )
}

fn error_line(id: &str, error: Option<&str>) -> String {
    error
        .map(|e| format!("  <p id=\"{id}\" class=\"error\">{}</p>\n", escape(e)))
        .unwrap_or_default()
}

/// The sign-in form, posting to `action` with the OAuth request carried in hidden fields; with
/// `passkey`, a second form that starts a passkey sign-in there; with `sign_up`, a link to the
/// sign-up page.
pub fn sign_in(
    action: &str,
    fields: &BTreeMap<String, String>,
    error: Option<&str>,
    username: &str,
    passkey: Option<&str>,
    sign_up: Option<&str>,
    look: &Look,
) -> String {
    let sign_up = sign_up
        .map(|to| {
            format!(
                "\n  <p>Need an account? <a id=\"signUpLink\" href=\"{}\">Sign up</a></p>",
                escape(to)
            )
        })
        .unwrap_or_default();
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
            "  <h1>Sign in</h1>\n{error}  <form method=\"post\" action=\"{}\" name=\"cognitoSignInForm\">\n      {}\n      <label for=\"signInFormUsername\">Username</label>\n      <input id=\"signInFormUsername\" name=\"username\" type=\"text\" autocomplete=\"username\" value=\"{}\" required>\n      <label for=\"signInFormPassword\">Password</label>\n      <input id=\"signInFormPassword\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\n      <button id=\"signInSubmitButton\" name=\"signInSubmitButton\" type=\"submit\">Sign in</button>\n  </form>{passkey}{sign_up}",
            escape(action),
            hidden(fields),
            escape(username)
        ),
        look,
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
        &Look::default(),
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
        &Look::default(),
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
        &Look::default(),
    )
}

/// The sign-up form (username, email, password), with the client's terms links.
pub fn sign_up(
    action: &str,
    fields: &BTreeMap<String, String>,
    error: Option<&str>,
    username: &str,
    email: &str,
    look: &Look,
) -> String {
    let terms = if look.terms.is_empty() {
        String::new()
    } else {
        let links: Vec<String> = look
            .terms
            .iter()
            .map(|(id, label, url)| {
                format!(
                    "<a id=\"{id}\" href=\"{}\" target=\"_blank\" rel=\"noopener\">{label}</a>",
                    escape(url)
                )
            })
            .collect();
        format!(
            "\n  <p id=\"termsNotice\">By signing up, you agree to the {}.</p>",
            links.join(" and the ")
        )
    };
    frame(
        "Sign up",
        &format!(
            "  <h1>Sign up</h1>\n{}  <form method=\"post\" action=\"{}\" name=\"cognitoSignUpForm\">\n      {}\n      <label for=\"signUpUsername\">Username</label>\n      <input id=\"signUpUsername\" name=\"username\" type=\"text\" autocomplete=\"username\" value=\"{}\" required>\n      <label for=\"signUpEmail\">Email</label>\n      <input id=\"signUpEmail\" name=\"email\" type=\"email\" autocomplete=\"email\" value=\"{}\">\n      <label for=\"signUpPassword\">Password</label>\n      <input id=\"signUpPassword\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required>\n      <button id=\"signUpButton\" type=\"submit\">Sign up</button>\n  </form>{terms}",
            error_line("signUpErrorMessage", error),
            escape(action),
            hidden(fields),
            escape(username),
            escape(email)
        ),
        look,
    )
}

/// The confirmation-code form after a sign-up.
pub fn confirm(
    action: &str,
    fields: &BTreeMap<String, String>,
    username: &str,
    destination: &str,
    error: Option<&str>,
    look: &Look,
) -> String {
    frame(
        "Confirm your account",
        &format!(
            "  <h1>Confirm your account</h1>\n{}  <p id=\"codeSentTo\">We sent a code to {}.</p>\n  <form method=\"post\" action=\"{}\" name=\"confirmForm\">\n      {}\n      <input type=\"hidden\" name=\"username\" value=\"{}\">\n      <label for=\"confirmCode\">Code</label>\n      <input id=\"confirmCode\" name=\"code\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required>\n      <button id=\"confirmButton\" type=\"submit\">Confirm</button>\n  </form>",
            error_line("confirmErrorMessage", error),
            escape(destination),
            escape(action),
            hidden(fields),
            escape(username)
        ),
        look,
    )
}

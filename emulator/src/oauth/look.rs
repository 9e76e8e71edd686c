//! What an app client's managed login branding and terms put on its hosted pages: colors and
//! corner radii from the branding style's settings (light mode), its form logo, and the links of
//! its terms of use and privacy policy (on the sign-up page, as managed login shows them).
//! Only values of the forms Cognito accepts are used (`RRGGBBAA` colors, numbers, base64 images
//! of the listed kinds), so nothing from a style can become markup or script.

use base64::Engine as _;
use serde_json::Value;

use crate::state::records::Pool;

/// The look of one client's pages.
#[derive(Debug, Default)]
pub struct Look {
    /// Extra CSS rules.
    pub css: String,
    /// The form logo as a `data:` URI.
    pub logo: Option<String>,
    /// `(element id, label, URL)` of each terms document.
    pub terms: Vec<(&'static str, &'static str, String)>,
}

/// `RRGGBB` or `RRGGBBAA` hex as CSS, else nothing.
fn color(v: &Value) -> Option<String> {
    let s = v.as_str()?;
    (matches!(s.len(), 6 | 8) && s.bytes().all(|b| b.is_ascii_hexdigit())).then(|| format!("#{s}"))
}

fn radius(v: &Value) -> Option<String> {
    v.as_f64()
        .filter(|r| (0.0..=100.0).contains(r))
        .map(|r| format!("{r}px"))
}

impl Look {
    /// The look of `client_id`'s pages in `pool`.
    pub fn of(pool: &Pool, client_id: &str) -> Self {
        let mut look = Self::default();
        if let Some(style) = pool
            .stored
            .branding
            .values()
            .find(|b| b.client_id == client_id)
            .map(|b| &b.style)
        {
            look.apply(style);
        }
        for terms in pool
            .stored
            .terms
            .values()
            .filter(|t| t["ClientId"] == client_id)
        {
            let links = terms["Links"].as_object();
            let url = links
                .and_then(|l| l.get("cognito:default").or_else(|| l.values().next()))
                .and_then(Value::as_str)
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
            let (id, label) = match terms["TermsName"].as_str() {
                Some("terms-of-use") => ("termsOfUseLink", "Terms of use"),
                Some("privacy-policy") => ("privacyPolicyLink", "Privacy policy"),
                _ => continue,
            };
            if let Some(url) = url {
                look.terms.push((id, label, url.to_owned()));
            }
        }
        look.terms.sort();
        look
    }

    fn apply(&mut self, style: &Value) {
        if style["UseCognitoProvidedValues"] == true {
            return;
        }
        let s = &style["Settings"];
        let mut rules: Vec<(&str, &str, Option<String>)> = vec![
            (
                "body",
                "background",
                color(&s["components"]["pageBackground"]["lightMode"]["color"]),
            ),
            (
                "body",
                "color",
                color(&s["componentClasses"]["text"]["lightMode"]["bodyTextColor"]),
            ),
            (
                "h1",
                "color",
                color(&s["componentClasses"]["text"]["lightMode"]["headingTextColor"]),
            ),
            (
                "a",
                "color",
                color(&s["componentClasses"]["link"]["lightMode"]["defaults"]["textColor"]),
            ),
            (
                "input",
                "background",
                color(&s["componentClasses"]["input"]["lightMode"]["defaults"]["backgroundColor"]),
            ),
            (
                "input",
                "border-color",
                color(&s["componentClasses"]["input"]["lightMode"]["defaults"]["borderColor"]),
            ),
            (
                "input",
                "border-radius",
                radius(&s["componentClasses"]["input"]["borderRadius"]),
            ),
            (
                "button",
                "border-radius",
                radius(&s["componentClasses"]["buttons"]["borderRadius"]),
            ),
        ];
        let button = &s["components"]["primaryButton"]["lightMode"]["defaults"];
        rules.push(("button", "background", color(&button["backgroundColor"])));
        rules.push(("button", "color", color(&button["textColor"])));
        self.css = rules
            .into_iter()
            .filter_map(|(sel, prop, v)| v.map(|v| format!("{sel}{{{prop}:{v}}}")))
            .collect();
        let logo = style["Assets"].as_array().and_then(|assets| {
            assets.iter().find(|a| {
                a["Category"] == "FORM_LOGO" && a["ColorMode"] != "DARK" && a["Bytes"].is_string()
            })
        });
        if let Some(asset) = logo {
            let mime = match asset["Extension"].as_str() {
                Some("PNG") => "image/png",
                Some("JPEG") => "image/jpeg",
                Some("SVG") => "image/svg+xml",
                Some("ICO") => "image/x-icon",
                Some("WEBP") => "image/webp",
                _ => return,
            };
            let bytes = asset["Bytes"].as_str().unwrap_or_default();
            if base64::engine::general_purpose::STANDARD
                .decode(bytes)
                .is_ok()
            {
                self.logo = Some(format!("data:{mime};base64,{bytes}"));
            }
        }
    }
}

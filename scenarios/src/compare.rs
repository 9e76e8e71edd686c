//! Replaying one library against several clients: the shipped drivers by name, the comparison
//! table (scenario × client: as expected, or the first step that was not and what the client
//! did there), the per-client outcome list that tests snapshot, and the HTML report with a
//! timeline per scenario and client, drawn from the journal.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::runner::{Client, Replay};

/// The shipped drivers: `(name, script)` under `scenarios/drivers/`.
pub const SHIPPED: [(&str, &str); 2] = [
    ("identity-js", "identity-js.mjs"),
    ("amplify", "amplify.mjs"),
];

/// Where the shipped drivers live.
pub fn drivers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("drivers")
}

/// The client named on the command line: `rust`, a shipped driver, or a command line (split on
/// whitespace) speaking the driver protocol.
pub fn client(name: &str) -> Client {
    if name == "rust" {
        return Client::Rust;
    }
    if let Some((n, script)) = SHIPPED.iter().find(|(n, _)| *n == name) {
        return Client::Driver {
            name: (*n).to_owned(),
            command: vec![
                "node".to_owned(),
                drivers_dir().join(script).display().to_string(),
            ],
        };
    }
    Client::Driver {
        name: name.to_owned(),
        command: name.split_whitespace().map(str::to_owned).collect(),
    }
}

/// Every shipped client: the Rust SDK first, then the drivers.
pub fn all_clients() -> Vec<Client> {
    std::iter::once(Client::Rust)
        .chain(SHIPPED.iter().map(|(n, _)| client(n)))
        .collect()
}

/// One cell: `as expected`, or the first step that was not and what the client did.
pub fn verdict(r: &Replay) -> String {
    match &r.failure {
        None => "as expected".into(),
        Some(f) => format!(
            "step {} ({}): expected {}, got {}",
            f.step, f.summary, f.expected, f.actual
        ),
    }
}

/// What a client did, step by step, in a form stable enough to snapshot: the scenario, then
/// each step's summary and outcome (messages and request ids left out), and the verdict.
pub fn outcomes(replays: &[Replay]) -> Vec<String> {
    let mut out = Vec::new();
    for r in replays {
        let steps: Vec<String> = r
            .report
            .steps
            .iter()
            .map(|s| {
                let shown = s.observed.split(" (").next().unwrap_or_default();
                format!("{}={shown}", s.index)
            })
            .collect();
        let mark = if r.failure.is_some() { "✗" } else { "✓" };
        out.push(format!("{mark} {}: {}", r.report.file, steps.join(", ")));
    }
    out
}

/// The comparison table as text: one row a scenario, one column a client, then the details
/// of every cell that was not as expected.
pub fn table(files: &[String], clients: &[String], cells: &[Vec<Replay>]) -> String {
    let width = files.iter().map(String::len).max().unwrap_or(8).max(8);
    let mut out = format!("{:<width$}", "scenario");
    for c in clients {
        let _ = write!(out, "  {c:<12}");
    }
    out.push('\n');
    for (i, f) in files.iter().enumerate() {
        let _ = write!(out, "{f:<width$}");
        for column in cells {
            let mark = match column.get(i) {
                Some(r) if r.failure.is_none() => "✓",
                Some(_) => "✗",
                None => "-",
            };
            let _ = write!(out, "  {mark:<12}");
        }
        out.push('\n');
    }
    let mut details = String::new();
    for (c, column) in clients.iter().zip(cells) {
        for r in column.iter().filter(|r| r.failure.is_some()) {
            let _ = writeln!(details, "  {c} × {}: {}", r.report.file, verdict(r));
        }
    }
    if !details.is_empty() {
        out.push_str("\nNot as expected (what the client did):\n");
        out.push_str(&details);
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The same as a page, viewable offline (no scripts, no external assets): the table, then per
/// scenario a timeline for each client: every step with what the client saw, and under it the
/// requests that reached the emulator meanwhile, faults that fired marked.
pub fn html(files: &[String], clients: &[String], cells: &[Vec<Replay>]) -> String {
    let mut page = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Scenario replays</title>\n<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;vertical-align:top}.ok{background:#e6f4ea}.bad{background:#fce8e6}ol.timeline li{margin:.3rem 0}.requests{color:#555;font-family:monospace;font-size:.85em;margin:.1rem 0 0 1rem}.fault{color:#b00020}</style>\n</head>\n<body>\n<h1>Scenario replays</h1>\n<table id=\"comparison\">\n<tr><th>scenario</th>",
    );
    for c in clients {
        let _ = write!(page, "<th>{}</th>", esc(c));
    }
    page.push_str("</tr>\n");
    for (i, f) in files.iter().enumerate() {
        let _ = write!(page, "<tr><td><a href=\"#s{i}\">{}</a></td>", esc(f));
        for column in cells {
            match column.get(i) {
                Some(r) if r.failure.is_none() => {
                    page.push_str("<td class=\"ok\">as expected</td>")
                }
                Some(r) => {
                    let _ = write!(page, "<td class=\"bad\">{}</td>", esc(&verdict(r)));
                }
                None => page.push_str("<td></td>"),
            }
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</table>\n");
    for (i, f) in files.iter().enumerate() {
        let title = cells
            .iter()
            .find_map(|c| c.get(i))
            .map(|r| r.report.name.clone())
            .unwrap_or_default();
        let _ = write!(
            page,
            "<section id=\"s{i}\" class=\"scenario\">\n<h2>{} — {}</h2>\n",
            esc(f),
            esc(&title)
        );
        for (c, column) in clients.iter().zip(cells) {
            let Some(r) = column.get(i) else { continue };
            let _ = write!(
                page,
                "<h3>{}: {}</h3>\n<ol class=\"timeline\" data-client=\"{}\">\n",
                esc(c),
                esc(&verdict(r)),
                esc(c)
            );
            for s in &r.report.steps {
                let class = if s.as_expected { "ok" } else { "bad" };
                let _ = write!(
                    page,
                    "<li class=\"{class}\"><b>{}</b> → {}",
                    esc(&s.summary),
                    esc(&s.observed)
                );
                for line in &s.requests {
                    let class = if line.contains(" [") {
                        "requests fault"
                    } else {
                        "requests"
                    };
                    let _ = write!(page, "<div class=\"{class}\">{}</div>", esc(line));
                }
                page.push_str("</li>\n");
            }
            page.push_str("</ol>\n");
        }
        page.push_str("</section>\n");
    }
    page.push_str("</body>\n</html>\n");
    page
}

#![allow(dead_code)]
// Shared by the examples: `<endpoint|aws> <pool id> <client id> …` plus `--storage FILE`,
// `--secret S` and `--password-auth` anywhere on the command line.

use std::sync::Arc;

use cognito_sdk::storage::FileStorage;
use cognito_sdk::CognitoUserPool;

pub struct Args {
    pub positional: Vec<String>,
    pub flags: Vec<(String, Option<String>)>,
}

impl Args {
    pub fn parse(usage: &str, needed: usize) -> Args {
        let mut positional = Vec::new();
        let mut flags = Vec::new();
        let mut it = std::env::args().skip(1).peekable();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                let takes_value = !matches!(
                    name,
                    "password-auth"
                        | "force-refresh"
                        | "revoke"
                        | "sign-out"
                        | "force-alias-creation"
                );
                let value = if takes_value { it.next() } else { None };
                flags.push((name.to_owned(), value));
            } else {
                positional.push(a);
            }
        }
        if positional.len() < needed {
            eprintln!("usage: {usage}\n  (endpoint `aws` means the real Cognito endpoint of the pool's region)");
            std::process::exit(2);
        }
        Args { positional, flags }
    }

    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    pub fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(n, _)| n == name)
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(n, _)| n == name)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }

    pub fn pool(&self) -> Result<CognitoUserPool, cognito_sdk::Error> {
        let mut b =
            CognitoUserPool::builder(&self.positional[1], &self.positional[2]).storage(Arc::new(
                FileStorage::new(self.flag("storage").unwrap_or(".cognito-session.json")),
            ));
        if self.positional[0] != "aws" {
            b = b.endpoint(&self.positional[0]);
        }
        if let Some(s) = self.flag("secret") {
            b = b.client_secret(s);
        }
        b.build()
    }
}

pub fn fail(e: cognito_sdk::Error) -> ! {
    eprintln!("error: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        eprintln!("  caused by: {s}");
        source = s.source();
    }
    std::process::exit(1)
}

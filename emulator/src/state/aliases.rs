//! Which users of a pool hold a given email, phone number or preferred_username, so that a
//! sign-in by alias (every sign-in of a pool whose usernames are emails) and the checks that an
//! alias is not taken find them without scanning the pool.
//!
//! The index maps (attribute, value as the pool compares it) to the keys of the users holding
//! it. It is kept in step by `Pool::insert_user` and `Pool::remove_user`, and by [`UserMut`],
//! the handle through which a user is changed: when the handle goes, it re-indexes the user if
//! an indexed attribute changed. Verification is not indexed; callers check it on the users
//! they find.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};

use crate::state::user::User;

/// The attributes a user can sign in with besides the username.
pub const INDEXED: [&str; 3] = ["email", "phone_number", "preferred_username"];

/// A user's indexed attributes: (attribute, value as the pool compares it).
pub type Held = Vec<(&'static str, String)>;

/// The index of one pool. A value almost always has one holder, so the holders are a sorted
/// `Vec` (a `BTreeSet` cost about 400 bytes more per user).
#[derive(Debug, Default, Clone)]
pub struct Aliases {
    holders: HashMap<(&'static str, String), Vec<String>>,
}

/// A value as a pool compares it: lower-cased unless the pool is case-sensitive.
pub fn normalize(case_sensitive: bool, value: &str) -> String {
    if case_sensitive {
        value.to_owned()
    } else {
        value.to_lowercase()
    }
}

/// The indexed attributes `user` holds, in a pool whose aliases are compared
/// case-sensitively (`Some(true)`), case-insensitively (`Some(false)`), or that has no aliases
/// to index (`None`: pools whose users sign in by username only).
pub fn held(mode: Option<bool>, user: &User) -> Held {
    let Some(case_sensitive) = mode else {
        return Vec::new();
    };
    INDEXED
        .iter()
        .filter_map(|attr| {
            user.attr(attr)
                .map(|v| (*attr, normalize(case_sensitive, v)))
        })
        .collect()
}

impl Aliases {
    /// Records that the user under `key` holds `held`.
    pub fn add(&mut self, key: &str, held: Held) {
        for entry in held {
            let keys = self.holders.entry(entry).or_default();
            if let Err(at) = keys.binary_search_by(|k| k.as_str().cmp(key)) {
                keys.insert(at, key.to_owned());
            }
        }
    }

    /// Forgets that the user under `key` holds `held`.
    pub fn remove(&mut self, key: &str, held: &Held) {
        for (attr, value) in held {
            let entry = (*attr, value.clone());
            if let Some(keys) = self.holders.get_mut(&entry) {
                if let Ok(at) = keys.binary_search_by(|k| k.as_str().cmp(key)) {
                    keys.remove(at);
                }
                if keys.is_empty() {
                    self.holders.remove(&entry);
                }
            }
        }
    }

    /// The keys of the users whose `attr` is `value` (already normalized), in key order.
    pub fn holders(&self, attr: &str, value: &str) -> &[String] {
        INDEXED
            .iter()
            .find(|a| **a == attr)
            .and_then(|a| self.holders.get(&(*a, value.to_owned())))
            .map_or(&[], Vec::as_slice)
    }
}

/// A user being changed. Dereferences to the user; when dropped, re-indexes it if an indexed
/// attribute changed.
#[derive(Debug)]
pub struct UserMut<'a> {
    user: &'a mut User,
    key: String,
    aliases: &'a mut Aliases,
    mode: Option<bool>,
    before: Held,
}

impl<'a> UserMut<'a> {
    /// A handle on `user`, stored under `key` in a pool indexed by `aliases` (see [`held`]
    /// for `mode`).
    pub fn new(
        user: &'a mut User,
        key: String,
        aliases: &'a mut Aliases,
        mode: Option<bool>,
    ) -> Self {
        let before = held(mode, user);
        Self {
            user,
            key,
            aliases,
            mode,
            before,
        }
    }
}

impl Deref for UserMut<'_> {
    type Target = User;
    fn deref(&self) -> &User {
        self.user
    }
}

impl DerefMut for UserMut<'_> {
    fn deref_mut(&mut self) -> &mut User {
        self.user
    }
}

impl Drop for UserMut<'_> {
    fn drop(&mut self) {
        let after = held(self.mode, self.user);
        if after != self.before {
            self.aliases.remove(&self.key, &self.before);
            self.aliases.add(&self.key, after);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(email: Option<&str>, phone: Option<&str>) -> User {
        let status = crate::state::records::UserStatus::Confirmed;
        let mut u = User::new("u".into(), "s".into(), Vec::new(), status, 0.0);
        if let Some(e) = email {
            u.set_attr("email", e);
        }
        if let Some(p) = phone {
            u.set_attr("phone_number", p);
        }
        u.set_attr("name", "not indexed");
        u
    }

    #[test]
    fn holders_are_found_by_normalized_value_in_key_order() {
        let mut index = Aliases::default();
        index.add("zed", held(Some(false), &user(Some("Shared@X.org"), None)));
        index.add(
            "amy",
            held(Some(false), &user(Some("shared@x.org"), Some("+15550100"))),
        );
        let keys = index.holders("email", "shared@x.org");
        assert_eq!(keys, ["amy", "zed"]);
        assert_eq!(index.holders("phone_number", "+15550100").len(), 1);
        assert_eq!(index.holders("name", "not indexed").len(), 0);
        // Case-sensitive pools keep the value as it is.
        assert_eq!(
            held(Some(true), &user(Some("A@x.org"), None)),
            [("email", "A@x.org".to_owned())]
        );
        // Pools without aliases index nothing.
        assert!(held(None, &user(Some("a@x.org"), None)).is_empty());
    }

    #[test]
    fn a_handle_reindexes_a_changed_or_removed_value() {
        let mut index = Aliases::default();
        let mut u = user(Some("old@x.org"), None);
        index.add("u1", held(Some(false), &u));
        {
            let mut handle = UserMut::new(&mut u, "u1".into(), &mut index, Some(false));
            handle.set_attr("email", "New@x.org");
            handle.set_attr("email_verified", "true");
        }
        assert_eq!(index.holders("email", "old@x.org").len(), 0);
        assert_eq!(index.holders("email", "new@x.org").len(), 1);
        {
            let mut handle = UserMut::new(&mut u, "u1".into(), &mut index, Some(false));
            handle.attributes.retain(|(n, _)| n != "email");
        }
        assert_eq!(index.holders("email", "new@x.org").len(), 0);
        assert!(index.holders.is_empty(), "no empty sets are left behind");
    }
}

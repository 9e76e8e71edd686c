//! Where sessions are kept between runs: an async key-value [`Storage`] with an in-memory and
//! a file implementation, and the key names amazon-cognito-identity-js uses, so a session
//! written by one can be read by the other.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use cognito_sdk::storage::{Keys, MemoryStorage, Storage};
//!
//! let store = MemoryStorage::default();
//! let keys = Keys::new("1example23456789abcdefghij");
//! store.set(&keys.last_auth_user(), "alice").await.unwrap();
//! assert_eq!(store.get("CognitoIdentityServiceProvider.1example23456789abcdefghij.LastAuthUser").await.unwrap().as_deref(), Some("alice"));
//! assert_eq!(keys.id_token("alice"), "CognitoIdentityServiceProvider.1example23456789abcdefghij.alice.idToken");
//! # }
//! ```

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use futures::future::BoxFuture;

/// Why storage failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        #[source]
        source: std::io::Error,
    },
    /// This store cannot list what it holds.
    #[error("this storage cannot list its entries")]
    Unsupported,
    /// The file is not a JSON object of strings.
    #[error("{path} is not a JSON object of strings: {source}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The parse failure.
        #[source]
        source: serde_json::Error,
    },
}

/// An async key-value store for session data.
pub trait Storage: Send + Sync + Debug {
    /// The value of a key.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<String>, StorageError>>;
    /// Sets a key.
    fn set<'a>(&'a self, key: &'a str, value: &'a str) -> BoxFuture<'a, Result<(), StorageError>>;
    /// Removes a key.
    fn remove<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StorageError>>;
    /// Everything the store holds, for tests, tools and debugging (through
    /// [`crate::CognitoUserPool::storage`]). Stores that cannot list answer
    /// [`StorageError::Unsupported`].
    fn entries(&self) -> BoxFuture<'_, Result<BTreeMap<String, String>, StorageError>> {
        Box::pin(async { Err(StorageError::Unsupported) })
    }
    /// Sets several keys. The SDK stores a session's tokens this way, so that a rotated refresh
    /// token never lands without the id and access tokens issued with it. The default sets them
    /// one by one, in order; stores that can write them at once ([`MemoryStorage`],
    /// [`FileStorage`]) do.
    fn set_many<'a>(
        &'a self,
        entries: &'a [(String, String)],
    ) -> BoxFuture<'a, Result<(), StorageError>> {
        Box::pin(async move {
            for (key, value) in entries {
                self.set(key, value).await?;
            }
            Ok(())
        })
    }
    /// Removes every key.
    fn clear(&self) -> BoxFuture<'_, Result<(), StorageError>>;
}

/// Keeps everything in memory (the default).
#[derive(Debug, Default)]
pub struct MemoryStorage {
    map: Mutex<BTreeMap<String, String>>,
}

impl MemoryStorage {
    fn with<R>(&self, f: impl FnOnce(&mut BTreeMap<String, String>) -> R) -> R {
        f(&mut self.map.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// A copy of everything stored (for tests and debugging).
    pub fn snapshot(&self) -> BTreeMap<String, String> {
        self.with(|m| m.clone())
    }
}

impl Storage for MemoryStorage {
    fn entries(&self) -> BoxFuture<'_, Result<BTreeMap<String, String>, StorageError>> {
        let all = self.snapshot();
        Box::pin(async move { Ok(all) })
    }
    fn set_many<'a>(
        &'a self,
        entries: &'a [(String, String)],
    ) -> BoxFuture<'a, Result<(), StorageError>> {
        self.with(|m| m.extend(entries.iter().cloned()));
        Box::pin(async { Ok(()) })
    }
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<String>, StorageError>> {
        let v = self.with(|m| m.get(key).cloned());
        Box::pin(async move { Ok(v) })
    }
    fn set<'a>(&'a self, key: &'a str, value: &'a str) -> BoxFuture<'a, Result<(), StorageError>> {
        self.with(|m| m.insert(key.to_owned(), value.to_owned()));
        Box::pin(async { Ok(()) })
    }
    fn remove<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StorageError>> {
        self.with(|m| m.remove(key));
        Box::pin(async { Ok(()) })
    }
    fn clear(&self) -> BoxFuture<'_, Result<(), StorageError>> {
        self.with(BTreeMap::clear);
        Box::pin(async { Ok(()) })
    }
}

/// Keeps everything in one JSON file (`{"key": "value", …}`), written atomically (a temporary
/// file in the same directory, flushed, then renamed) and readable by its owner only. Every
/// read-change-write holds an advisory lock on `<file>.lock`, so several processes (or several
/// pools) may share one file.
#[derive(Debug)]
pub struct FileStorage {
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileStorage {
    /// A store backed by `path` (created on first write).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, source: std::io::Error) -> StorageError {
        StorageError::Io {
            path: self.path.clone(),
            source,
        }
    }

    fn load(&self) -> Result<BTreeMap<String, String>, StorageError> {
        match std::fs::read(&self.path) {
            Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => Ok(BTreeMap::new()),
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| StorageError::Corrupt {
                path: self.path.clone(),
                source,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(self.io(e)),
        }
    }

    fn save(&self, map: &BTreeMap<String, String>) -> Result<(), StorageError> {
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A name no one can guess, created new (never an existing file or a planted link), owner
        // only from the start.
        let mut nonce = [0u8; 12];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
        let suffix: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
        let tmp = dir.join(format!(".{name}.{suffix}.tmp"));
        let body = serde_json::to_vec_pretty(map).unwrap_or_default();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(|e| self.io(e))?;
        let written = file.write_all(&body).and_then(|()| file.sync_all());
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(self.io(e));
        }
        if let Err(e) = std::fs::rename(&tmp, &self.path) {
            let _ = std::fs::remove_file(&tmp);
            return Err(self.io(e));
        }
        // The rename is durable only once the directory is on disk too.
        #[cfg(unix)]
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| self.io(e))?;
        Ok(())
    }

    /// Holds the file's lock (`<file>.lock`, an advisory lock every FileStorage on the same
    /// file takes, in this process or another) while `f` runs.
    fn locked<R>(&self, f: impl FnOnce() -> Result<R, StorageError>) -> Result<R, StorageError> {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut name = self.path.clone().into_os_string();
        name.push(".lock");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let lock = options.open(PathBuf::from(name)).map_err(|e| self.io(e))?;
        lock.lock().map_err(|e| self.io(e))?;
        let result = f();
        let _ = lock.unlock();
        result
    }

    /// Load, change, save, under the lock: two processes sharing the file never lose each
    /// other's writes.
    fn update(&self, f: impl FnOnce(&mut BTreeMap<String, String>)) -> Result<(), StorageError> {
        self.locked(|| {
            let mut map = self.load()?;
            f(&mut map);
            self.save(&map)
        })
    }
}

impl Storage for FileStorage {
    fn entries(&self) -> BoxFuture<'_, Result<BTreeMap<String, String>, StorageError>> {
        let result = self.locked(|| self.load());
        Box::pin(async move { result })
    }
    fn set_many<'a>(
        &'a self,
        entries: &'a [(String, String)],
    ) -> BoxFuture<'a, Result<(), StorageError>> {
        let result = self.update(|m| m.extend(entries.iter().cloned()));
        Box::pin(async move { result })
    }
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<String>, StorageError>> {
        let result = self.locked(|| self.load().map(|m| m.get(key).cloned()));
        Box::pin(async move { result })
    }
    fn set<'a>(&'a self, key: &'a str, value: &'a str) -> BoxFuture<'a, Result<(), StorageError>> {
        let result = self.update(|m| {
            m.insert(key.to_owned(), value.to_owned());
        });
        Box::pin(async move { result })
    }
    fn remove<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StorageError>> {
        let result = self.update(|m| {
            m.remove(key);
        });
        Box::pin(async move { result })
    }
    fn clear(&self) -> BoxFuture<'_, Result<(), StorageError>> {
        let result = self.update(BTreeMap::clear);
        Box::pin(async move { result })
    }
}

/// The storage keys amazon-cognito-identity-js uses for one app client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    prefix: String,
}

impl Keys {
    /// Keys for an app client.
    pub fn new(client_id: &str) -> Self {
        Self {
            prefix: format!("CognitoIdentityServiceProvider.{client_id}"),
        }
    }

    fn user(&self, username: &str, what: &str) -> String {
        format!("{}.{username}.{what}", self.prefix)
    }

    /// The last signed-in user's `USER_ID_FOR_SRP`.
    pub fn last_auth_user(&self) -> String {
        format!("{}.LastAuthUser", self.prefix)
    }
    /// The id token.
    pub fn id_token(&self, username: &str) -> String {
        self.user(username, "idToken")
    }
    /// The access token.
    pub fn access_token(&self, username: &str) -> String {
        self.user(username, "accessToken")
    }
    /// The refresh token.
    pub fn refresh_token(&self, username: &str) -> String {
        self.user(username, "refreshToken")
    }
    /// The clock drift (seconds, as a decimal string).
    pub fn clock_drift(&self, username: &str) -> String {
        self.user(username, "clockDrift")
    }
    /// Cached user data.
    pub fn user_data(&self, username: &str) -> String {
        self.user(username, "userData")
    }
    /// The remembered device's key.
    pub fn device_key(&self, username: &str) -> String {
        self.user(username, "deviceKey")
    }
    /// The remembered device's group key.
    pub fn device_group_key(&self, username: &str) -> String {
        self.user(username, "deviceGroupKey")
    }
    /// The remembered device's random password.
    pub fn random_password_key(&self, username: &str) -> String {
        self.user(username, "randomPasswordKey")
    }
}

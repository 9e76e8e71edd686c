//! Durable mode (`serve --data DIR`): the state kept in SQLite (bundled library, WAL mode) so
//! it survives restarts and crashes.
//!
//! Every change to the state is turned into record changes while the state lock is still held
//! ([`records::collect`]) and queued, in lock order, to one writer thread, which commits them
//! in transactions (several queued batches per transaction when requests arrive together). An
//! HTTP response is sent only once everything queued before it is committed, so an
//! acknowledged write survives `kill -9`. SQLite's WAL mode with `synchronous=NORMAL` keeps
//! committed transactions across a process crash; only a power loss can take the last few.
//!
//! The database is opened in exclusive locking mode: a second emulator on the same directory
//! is refused with a clear message instead of diverging from the first.

pub mod records;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use tokio::sync::watch;

use crate::state::records::State;
use records::{Change, Snapshot};

/// Why the data directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DurableError {
    /// The directory or database could not be opened.
    #[error("cannot open the data directory {dir}: {source}")]
    Open {
        /// The directory.
        dir: PathBuf,
        /// Why.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Another emulator holds the database.
    #[error("the data directory {0} is in use by another emulator")]
    InUse(PathBuf),
    /// A stored record cannot be read.
    #[error("the data directory {dir} holds a record that cannot be read ({kind} {key}): {why}")]
    Corrupt {
        /// The directory.
        dir: PathBuf,
        /// The record kind.
        kind: String,
        /// The record key.
        key: String,
        /// Why.
        why: String,
    },
    /// A write failed.
    #[error("cannot write to the data directory: {0}")]
    Write(String),
}

/// The database file inside a data directory.
pub fn database_path(dir: &Path) -> PathBuf {
    dir.join("cognito-emulator.sqlite3")
}

/// An open database, before the server takes it over.
#[derive(Debug)]
pub struct Database {
    dir: PathBuf,
    conn: Connection,
}

fn open_error(dir: &Path, e: impl std::error::Error + Send + Sync + 'static) -> DurableError {
    DurableError::Open {
        dir: dir.to_owned(),
        source: Box::new(e),
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// The data directory holds the signing key and every verifier: it is made (or made again)
/// readable by its owner only, 0700.
fn owner_only_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The database and its WAL files, 0600.
fn owner_only_files(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let db = database_path(dir);
        for suffix in ["", "-wal", "-shm"] {
            let mut name = db.clone().into_os_string();
            name.push(suffix);
            let path = std::path::PathBuf::from(name);
            if path.exists() {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    let _ = dir;
    Ok(())
}

impl Database {
    /// Opens (creating if needed) the database in `dir`, and takes its lock.
    pub fn open(dir: &Path) -> Result<Database, DurableError> {
        owner_only_dir(dir).map_err(|e| open_error(dir, e))?;
        let conn = Connection::open(database_path(dir)).map_err(|e| open_error(dir, e))?;
        owner_only_files(dir).map_err(|e| open_error(dir, e))?;
        let setup = || -> rusqlite::Result<()> {
            conn.busy_timeout(std::time::Duration::ZERO)?;
            conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn.execute_batch(
                "CREATE TABLE IF NOT EXISTS records (
                    kind TEXT NOT NULL, parent TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                    PRIMARY KEY (kind, parent, key)) WITHOUT ROWID;
                 CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
            )?;
            // Takes the exclusive lock now rather than at the first write.
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('format_version', ?1)
                 ON CONFLICT (key) DO NOTHING",
                params![records::FORMAT_VERSION.to_string()],
            )?;
            Ok(())
        };
        match setup() {
            Ok(()) => {
                // The first write made the WAL files: owner-only too.
                owner_only_files(dir).map_err(|e| open_error(dir, e))?;
                Ok(Database {
                    dir: dir.to_owned(),
                    conn,
                })
            }
            Err(e) if is_busy(&e) => Err(DurableError::InUse(dir.to_owned())),
            Err(e) => Err(open_error(dir, e)),
        }
    }

    /// The stored signing key (PEM), if one was saved.
    pub fn signing_key(&self) -> Result<Option<String>, DurableError> {
        self.conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'signing_key'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| open_error(&self.dir, e))
    }

    /// Saves the signing key (PEM).
    pub fn set_signing_key(&self, pem: &str) -> Result<(), DurableError> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES ('signing_key', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![pem],
            )
            .map(drop)
            .map_err(|e| DurableError::Write(e.to_string()))
    }

    /// Every stored record, as a snapshot (without the signing key).
    pub fn load(&self) -> Result<Snapshot, DurableError> {
        let mut snapshot = Snapshot {
            format_version: records::FORMAT_VERSION,
            ..Default::default()
        };
        let mut users: std::collections::BTreeMap<String, Vec<crate::state::records::User>> =
            Default::default();
        let mut stmt = self
            .conn
            .prepare("SELECT kind, parent, key, value FROM records ORDER BY kind, parent, key")
            .map_err(|e| open_error(&self.dir, e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(|e| open_error(&self.dir, e))?;
        for row in rows {
            let (kind, parent, key, value) = row.map_err(|e| open_error(&self.dir, e))?;
            let corrupt = |why: String| DurableError::Corrupt {
                dir: self.dir.clone(),
                kind: kind.clone(),
                key: key.clone(),
                why,
            };
            let value: serde_json::Value =
                serde_json::from_str(&value).map_err(|e| corrupt(e.to_string()))?;
            macro_rules! from {
                ($v:expr) => {
                    serde_json::from_value($v).map_err(|e| corrupt(e.to_string()))?
                };
            }
            match kind.as_str() {
                records::kind::POOL => snapshot.pools.push(records::PoolWithUsers {
                    pool: from!(value),
                    users: Vec::new(),
                }),
                records::kind::USER => users.entry(parent).or_default().push(from!(value)),
                records::kind::REFRESH => {
                    snapshot.refresh_tokens.insert(key.clone(), from!(value));
                }
                records::kind::REVOKED => snapshot.revoked_origins.push(key.clone()),
                records::kind::AUTH_EVENTS => {
                    snapshot.auth_events.insert(key.clone(), from!(value));
                }
                records::kind::IDENTITY_POOL => snapshot.identity_pools.push(from!(value)),
                records::kind::IDENTITY => {
                    snapshot.identities.insert(key.clone(), from!(value));
                }
                other => return Err(corrupt(format!("unknown record kind {other}"))),
            }
        }
        for p in &mut snapshot.pools {
            p.users = users.remove(&p.pool.id).unwrap_or_default();
        }
        Ok(snapshot)
    }

    /// Applies changes in one transaction.
    pub fn write(&mut self, changes: &[Change]) -> Result<(), DurableError> {
        write(&mut self.conn, changes).map_err(|e| DurableError::Write(e.to_string()))
    }
}

fn write(conn: &mut Connection, changes: &[Change]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut put = tx.prepare_cached(
            "INSERT INTO records (kind, parent, key, value) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (kind, parent, key) DO UPDATE SET value = excluded.value",
        )?;
        let mut delete =
            tx.prepare_cached("DELETE FROM records WHERE kind = ?1 AND parent = ?2 AND key = ?3")?;
        let mut delete_children =
            tx.prepare_cached("DELETE FROM records WHERE kind = ?1 AND parent = ?2")?;
        for change in changes {
            match change {
                Change::Put {
                    kind,
                    parent,
                    key,
                    value,
                } => put.execute(params![kind, parent, key, value])?,
                Change::Delete { kind, parent, key } => {
                    delete.execute(params![kind, parent, key])?
                }
                Change::DeleteChildren { kind, parent } => {
                    delete_children.execute(params![kind, parent])?
                }
            };
        }
    }
    tx.commit()
}

/// How far the writer got.
#[derive(Debug, Clone, Default)]
struct Progress {
    committed: u64,
    failed: Option<String>,
}

struct Batch {
    seq: u64,
    changes: Vec<Change>,
}

/// The writer behind a durable store: a queue of record changes, one thread committing them.
#[derive(Debug)]
pub struct Durable {
    queue: Mutex<mpsc::Sender<Batch>>,
    sent: AtomicU64,
    progress: watch::Receiver<Progress>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("seq", &self.seq)
            .field("changes", &self.changes.len())
            .finish()
    }
}

impl Durable {
    /// Starts the writer thread on an open database.
    pub fn start(mut db: Database) -> Result<Durable, DurableError> {
        let (queue, batches) = mpsc::channel::<Batch>();
        let (report, progress) = watch::channel(Progress::default());
        let thread = std::thread::Builder::new()
            .name("durable-writer".into())
            .spawn(move || {
                while let Ok(first) = batches.recv() {
                    let mut last = first.seq;
                    let mut changes = first.changes;
                    // Group commit: whatever else is queued goes in the same transaction.
                    while changes.len() < 10_000 {
                        match batches.try_recv() {
                            Ok(next) => {
                                last = next.seq;
                                changes.extend(next.changes);
                            }
                            Err(_) => break,
                        }
                    }
                    match db.write(&changes) {
                        Ok(()) => report.send_modify(|p| p.committed = last),
                        Err(e) => {
                            tracing::error!(error = %e, "durable write failed");
                            report.send_modify(|p| p.failed = Some(e.to_string()));
                        }
                    }
                }
            })
            .map_err(|e| DurableError::Write(e.to_string()))?;
        Ok(Durable {
            queue: Mutex::new(queue),
            sent: AtomicU64::new(0),
            progress,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Queues changes; called with the state lock held, so the queue is in lock order.
    pub(crate) fn queue(&self, changes: Vec<Change>) {
        if changes.is_empty() {
            return;
        }
        let seq = self.sent.fetch_add(1, Ordering::SeqCst) + 1;
        let queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        if queue.send(Batch { seq, changes }).is_err() {
            tracing::error!("the durable writer has stopped; a change was not stored");
        }
    }

    /// Waits until everything queued so far is committed.
    pub async fn sync(&self) -> Result<(), DurableError> {
        let target = self.sent.load(Ordering::SeqCst);
        let mut progress = self.progress.clone();
        let reached = progress
            .wait_for(|p| p.committed >= target || p.failed.is_some())
            .await
            .map_err(|_| DurableError::Write("the durable writer has stopped".into()))?;
        match &reached.failed {
            Some(e) => Err(DurableError::Write(e.clone())),
            None => Ok(()),
        }
    }

    /// Stops the writer after it has committed everything queued.
    pub fn close(&self) {
        let (closed, _) = mpsc::channel();
        drop(std::mem::replace(
            &mut *self.queue.lock().unwrap_or_else(|e| e.into_inner()),
            closed,
        ));
        if let Some(thread) = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = thread.join();
        }
    }
}

/// Builds the in-memory state from a snapshot.
pub fn state_from(snapshot: Snapshot) -> State {
    let mut state = State::default();
    snapshot.apply(&mut state);
    records::collect(&mut state, None);
    state
}

//! `cognito-emulator`: the emulator as a server for clients in any language.

use std::io::Read as _;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use cognito_emulator::durable::records::{self, Snapshot};
use cognito_emulator::durable::{self, Database};
use cognito_emulator::quota::Quota;
use cognito_emulator::seed::SeedFile;
use cognito_emulator::{seed, Emulator, Issuer, SigningKey};

#[derive(Debug, Parser)]
#[command(
    name = "cognito-emulator",
    version,
    about = "An Amazon Cognito User Pools emulator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the Cognito API (and JWKS, outbox, clock, console endpoints) until SIGINT or
    /// SIGTERM, which let requests in flight finish first.
    Serve(Box<ServeArgs>),
    /// Write the state kept in a data directory as JSON (usable as a seed file). The
    /// directory must not be in use; for a running server use `GET /_emulator/state`.
    Export(ExportArgs),
    /// Replace the state kept in a data directory with an exported JSON document. The
    /// directory must not be in use; for a running server use `PUT /_emulator/state`.
    Import(ImportArgs),
    /// Check a seed file (or an exported state) without serving: it is parsed and applied to
    /// an empty scratch emulator; errors exit non-zero.
    Check(CheckArgs),
    /// Check that an emulator answers its health endpoint (exit 0) or not (exit 1); used as
    /// the container health check.
    Health(HealthArgs),
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// The data directory of `serve --data`.
    #[arg(long, env = "COGNITO_EMULATOR_DATA")]
    data: PathBuf,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// The data directory of `serve --data` (created if missing).
    #[arg(long, env = "COGNITO_EMULATOR_DATA")]
    data: PathBuf,
    /// The exported JSON document (`-` for standard input).
    file: PathBuf,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The seed file (`-` for standard input).
    file: PathBuf,
}

#[derive(Debug, clap::Args)]
struct HealthArgs {
    /// The emulator's base URL.
    #[arg(
        long,
        default_value = "http://127.0.0.1:9229",
        env = "COGNITO_EMULATOR_URL"
    )]
    url: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1", env = "COGNITO_EMULATOR_HOST")]
    host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 9229, env = "COGNITO_EMULATOR_PORT")]
    port: u16,
    /// JSON seed file of pools, clients, groups, users, triggers and quotas, or a state
    /// exported from an emulator; applied idempotently at every start (what exists is kept).
    /// Without it a demo pool is created.
    #[arg(long, env = "COGNITO_EMULATOR_SEED")]
    seed: Option<PathBuf>,
    /// Keep the state in this directory (SQLite), so pools, users, tokens and the signing key
    /// survive restarts and crashes. Without it the state lives in memory.
    #[arg(long, env = "COGNITO_EMULATOR_DATA")]
    data: Option<PathBuf>,
    /// Region of generated pool ids.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// Token issuer: `emulator` (this server's URL + pool id), `aws`
    /// (https://cognito-idp.REGION.amazonaws.com/POOL) or a base URL.
    #[arg(long, default_value = "emulator")]
    issuer: String,
    /// PEM file with the RSA key that signs tokens (PKCS#1 or PKCS#8); generated when absent.
    #[arg(long, env = "COGNITO_EMULATOR_SIGNING_KEY")]
    signing_key: Option<PathBuf>,
    /// Refuse SRP TIMESTAMPs further than this many seconds from the emulator clock.
    #[arg(long)]
    srp_timestamp_window_secs: Option<u64>,
    /// A host name that may reach the control plane (`/_emulator/*`, the console) besides
    /// loopback names and the address bound to, such as the service name other containers use.
    /// Repeatable.
    #[arg(
        long = "allowed-host",
        value_name = "HOST",
        env = "COGNITO_EMULATOR_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    allowed_hosts: Vec<String>,
    /// Keep at most this many of the latest messages in the outbox.
    #[arg(long, default_value_t = cognito_emulator::Outbox::DEFAULT_CAPACITY, env = "COGNITO_EMULATOR_OUTBOX_CAPACITY")]
    outbox_capacity: usize,
    /// Require this token for the control plane and the console (header
    /// `X-Emulator-Admin-Token`, or `?token=` on the console's URL). Use it on shared hosts and
    /// in containers, where others can reach the port.
    #[arg(long, env = "COGNITO_EMULATOR_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Require SigV4 signatures made with this key pair (`ACCESS_KEY_ID:SECRET`) on the
    /// operations that need AWS credentials in Cognito (Admin and configuration operations);
    /// unsigned or badly signed calls fail as they would in the cloud. Repeatable.
    #[arg(
        long = "require-sigv4",
        value_name = "ACCESS_KEY_ID:SECRET",
        env = "COGNITO_EMULATOR_REQUIRE_SIGV4",
        value_delimiter = ',',
        hide_env_values = true
    )]
    require_sigv4: Vec<String>,
    /// Largest request body on every route but the state import, in bytes.
    #[arg(long, default_value_t = 1 << 20, env = "COGNITO_EMULATOR_MAX_BODY_BYTES")]
    max_body_bytes: usize,
    /// Largest state import (`PUT /_emulator/state`), in bytes.
    #[arg(long, default_value_t = cognito_emulator::Limits::default().max_import_bytes, env = "COGNITO_EMULATOR_MAX_IMPORT_BYTES")]
    max_import_bytes: usize,
    /// Connections served at once; more are answered 503 and closed.
    #[arg(long, default_value_t = cognito_emulator::Limits::default().max_connections, env = "COGNITO_EMULATOR_MAX_CONNECTIONS")]
    max_connections: usize,
    /// Seconds a client has to send a request's headers.
    #[arg(long, default_value_t = cognito_emulator::Limits::default().header_read_timeout.as_secs(), env = "COGNITO_EMULATOR_HEADER_READ_TIMEOUT_SECS")]
    header_read_timeout_secs: u64,
    /// Seconds a connection may stay without a byte moving before it is closed.
    #[arg(long, default_value_t = cognito_emulator::Limits::default().idle_timeout.as_secs(), env = "COGNITO_EMULATOR_IDLE_TIMEOUT_SECS")]
    idle_timeout_secs: u64,
    /// Meter requests with Cognito's default quotas (TooManyRequestsException over quota).
    #[arg(long)]
    throttle: bool,
    /// Set a quota category's rate: `UserAuthentication=10` or `UserCreation=5:20` (rate:burst);
    /// implies --throttle. Repeatable.
    #[arg(long = "quota", value_name = "CATEGORY=RATE[:BURST]")]
    quotas: Vec<String>,
    /// Add a fault rule, as JSON: `{"match": {"operation": "InitiateAuth"}, "fault": {"kind": "reset_before"}}`.
    /// Repeatable.
    #[arg(long = "fault", value_name = "JSON")]
    faults: Vec<String>,
    /// Log format (`json`: one JSON object per line). The level comes from RUST_LOG (default
    /// `info`).
    #[arg(
        long,
        value_enum,
        default_value = "text",
        env = "COGNITO_EMULATOR_LOG_FORMAT"
    )]
    log_format: LogFormat,
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

fn read_input(path: &Path) -> Result<String, String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn parse_quota(q: &str) -> Result<(String, Quota), String> {
    let (category, value) = q
        .split_once('=')
        .ok_or_else(|| format!("--quota {q}: expected CATEGORY=RATE[:BURST]"))?;
    let (rate, burst) = match value.split_once(':') {
        Some((r, b)) => (r, Some(b)),
        None => (value, None),
    };
    let rate: f64 = rate
        .parse()
        .map_err(|_| format!("--quota {q}: {rate} is not a number"))?;
    let burst = burst
        .map(str::parse::<f64>)
        .transpose()
        .map_err(|_| format!("--quota {q}: the burst is not a number"))?;
    Ok((category.to_owned(), Quota { rate, burst }))
}

/// Registers the SIGTERM and SIGINT handlers now and returns the wait for either. Called before
/// the server binds, so a signal sent as soon as it answers is always handled (a signal that
/// came before the handlers would end the process without draining).
fn shutdown_signal() -> Result<futures::future::BoxFuture<'static, &'static str>, String> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term =
            signal(SignalKind::terminate()).map_err(|e| format!("cannot watch SIGTERM: {e}"))?;
        let mut interrupt =
            signal(SignalKind::interrupt()).map_err(|e| format!("cannot watch SIGINT: {e}"))?;
        Ok(Box::pin(async move {
            tokio::select! {
                _ = interrupt.recv() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            }
        }))
    }
    #[cfg(not(unix))]
    {
        Ok(Box::pin(async {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }))
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let signalled = shutdown_signal()?;
    // Everything that can be wrong with the arguments is found before binding.
    let seed_file = match &args.seed {
        Some(path) => Some(
            read_input(path)
                .and_then(|text| seed::parse_file(&text))
                .map_err(|e| format!("seed file {}: {e}", path.display()))?,
        ),
        None => None,
    };
    // A seed that fails part-way would leave half of it behind (for good, with --data): try
    // it on an empty scratch emulator first.
    if let Some(SeedFile::Seed(s)) = &seed_file {
        let (_, scratch) = Emulator::builder().into_router();
        seed::apply(&scratch, s).map_err(|e| format!("seed failed: {e}"))?;
    }
    let quotas = args
        .quotas
        .iter()
        .map(|q| parse_quota(q))
        .collect::<Result<Vec<_>, _>>()?;
    let faults = args
        .faults
        .iter()
        .map(|f| {
            serde_json::from_str::<cognito_emulator::faults::FaultSpec>(f)
                .map_err(|e| format!("--fault {f}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;

    let mut builder = Emulator::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .region(&args.region)
        .issuer(match args.issuer.as_str() {
            "emulator" => Issuer::Emulator,
            "aws" => Issuer::Aws,
            url => Issuer::Custom(url.to_owned()),
        });
    let snapshot_key = match &seed_file {
        Some(SeedFile::Snapshot(s)) => s.signing_key.clone(),
        _ => None,
    };
    if let Some(path) = &args.signing_key {
        let pem = read_input(path)?;
        builder = builder.signing_key(Arc::new(
            SigningKey::from_pem(&pem).map_err(|e| format!("{}: {e}", path.display()))?,
        ));
    } else if let Some(pem) = snapshot_key {
        builder = builder.own_key(Arc::new(
            SigningKey::from_pem(&pem).map_err(|e| format!("seed file signing key: {e}"))?,
        ));
    }
    if let Some(secs) = args.srp_timestamp_window_secs {
        builder = builder.srp_timestamp_window(Duration::from_secs(secs));
    }
    if let Some(dir) = &args.data {
        builder = builder.data_dir(dir);
    }
    if !args.host.is_unspecified() {
        builder = builder.allowed_host(args.host.to_string());
    }
    for host in &args.allowed_hosts {
        builder = builder.allowed_host(host.trim());
    }
    if let Some(token) = args.admin_token.as_deref().filter(|t| !t.is_empty()) {
        builder = builder.admin_token(token);
    }
    if args.max_connections == 0
        || args.header_read_timeout_secs == 0
        || args.idle_timeout_secs == 0
    {
        return Err("--max-connections and the timeouts must be at least 1".into());
    }
    builder = builder
        .max_body_bytes(args.max_body_bytes)
        .limits(cognito_emulator::Limits {
            header_read_timeout: Duration::from_secs(args.header_read_timeout_secs),
            idle_timeout: Duration::from_secs(args.idle_timeout_secs),
            max_connections: args.max_connections,
            max_import_bytes: args.max_import_bytes,
        });
    for pair in args.require_sigv4.iter().filter(|p| !p.trim().is_empty()) {
        let (key, secret) = pair
            .trim()
            .split_once(':')
            .filter(|(k, s)| !k.is_empty() && !s.is_empty())
            .ok_or("--require-sigv4 takes ACCESS_KEY_ID:SECRET")?;
        builder = builder.require_sigv4(key, secret);
    }
    let emu = builder.try_start().await.map_err(|e| e.to_string())?;

    emu.outbox().set_capacity(args.outbox_capacity);
    if args.throttle || !quotas.is_empty() {
        emu.throttle().set_enabled(true);
    }
    for (category, quota) in quotas {
        emu.throttle()
            .set_quota(&category, quota)
            .map_err(|e| format!("--quota {category}: {e}"))?;
    }
    for spec in faults {
        emu.faults()
            .add(spec)
            .map_err(|e| format!("--fault: {e}"))?;
    }
    let is_demo = seed_file.is_none();
    let (the_seed, summary) = match seed_file {
        Some(SeedFile::Snapshot(snapshot)) => {
            seed::apply_snapshot(&emu, *snapshot).map_err(|e| format!("seed failed: {e}"))?;
            (seed::Seed::default(), seed::SeedSummary::default())
        }
        Some(SeedFile::Seed(s)) => {
            let summary = seed::apply(&emu, &s).map_err(|e| format!("seed failed: {e}"))?;
            (s, summary)
        }
        None => {
            let s = seed::demo();
            let summary = seed::apply(&emu, &s).map_err(|e| format!("seed failed: {e}"))?;
            (s, summary)
        }
    };
    emu.sync()
        .await
        .map_err(|e| format!("cannot store the seed: {e}"))?;

    println!("cognito-emulator listening on {}", emu.endpoint());
    if let Some(dir) = &args.data {
        println!("  data      {}", dir.display());
    }
    for (sp, pool) in the_seed.pools.iter().zip(&summary.pools) {
        println!(
            "  pool      {}  (JWKS {}/{}/.well-known/jwks.json)",
            pool.pool_id,
            emu.endpoint(),
            pool.pool_id
        );
        for (id, secret) in &pool.clients {
            match secret {
                Some(s) => println!("  client    {id}  secret {s}"),
                None => println!("  client    {id}"),
            }
        }
        for (su, username) in sp.users.iter().zip(&pool.users) {
            if is_demo {
                println!("  user      {username}  password {}", su.password);
            } else {
                println!("  user      {username}");
            }
        }
    }
    println!(
        "  console   {}/_emulator/console    outbox {}/_emulator/outbox",
        emu.endpoint(),
        emu.endpoint()
    );

    let signal = signalled.await;
    tracing::info!(signal, "shutting down: finishing requests in flight");
    emu.stop().await;
    tracing::info!("stopped");
    Ok(())
}

fn open_data(dir: &Path) -> Result<Database, String> {
    Database::open(dir).map_err(|e| e.to_string())
}

fn export(args: ExportArgs) -> Result<(), String> {
    if !durable::database_path(&args.data).exists() {
        return Err(format!("{} holds no emulator data", args.data.display()));
    }
    let db = open_data(&args.data)?;
    let mut snapshot = db.load().map_err(|e| e.to_string())?;
    snapshot.signing_key = db.signing_key().map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(&snapshot).map_err(|e| e.to_string())?;
    match &args.output {
        // The export holds the signing key: readable by its owner only, from creation.
        Some(path) => {
            use std::io::Write as _;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt as _;
                options.mode(0o600);
            }
            let written = options.open(path).and_then(|mut file| {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt as _;
                    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
                }
                file.write_all((text + "\n").as_bytes())
            });
            written.map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => {
            println!("{text}");
            Ok(())
        }
    }
}

fn import(args: ImportArgs) -> Result<(), String> {
    let text = read_input(&args.file)?;
    let snapshot: Snapshot = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not an exported state: {e}", args.file.display()))?;
    snapshot.check()?;
    if let Some(pem) = &snapshot.signing_key {
        SigningKey::from_pem(pem).map_err(|e| format!("{}: {e}", args.file.display()))?;
    }
    let mut db = open_data(&args.data)?;
    let mut current = durable::state_from(db.load().map_err(|e| e.to_string())?);
    let key = snapshot.signing_key.clone();
    let (pools, users) = (
        snapshot.pools.len(),
        snapshot.pools.iter().map(|p| p.users.len()).sum::<usize>(),
    );
    let mut changes = Vec::new();
    records::replace(&mut current, snapshot, Some(&mut changes));
    db.write(&changes).map_err(|e| e.to_string())?;
    if let Some(pem) = key {
        db.set_signing_key(&pem).map_err(|e| e.to_string())?;
    }
    eprintln!(
        "imported {pools} pools and {users} users into {}",
        args.data.display()
    );
    Ok(())
}

fn check(args: CheckArgs) -> Result<(), String> {
    let name = args.file.display();
    let file = read_input(&args.file)
        .and_then(|text| seed::parse_file(&text))
        .map_err(|e| format!("seed file {name}: {e}"))?;
    let (_, scratch) = Emulator::builder().into_router();
    match file {
        SeedFile::Seed(s) => {
            let summary =
                seed::apply(&scratch, &s).map_err(|e| format!("seed file {name}: {e}"))?;
            let users: usize = summary.pools.iter().map(|p| p.users.len()).sum();
            println!(
                "{name}: a seed of {} pools and {users} users, OK",
                summary.pools.len()
            );
        }
        SeedFile::Snapshot(snapshot) => {
            if let Some(pem) = &snapshot.signing_key {
                SigningKey::from_pem(pem).map_err(|e| format!("seed file {name}: {e}"))?;
            }
            let pools = snapshot.pools.len();
            seed::apply_snapshot(&scratch, *snapshot)
                .map_err(|e| format!("seed file {name}: {e}"))?;
            println!("{name}: an exported state of {pools} pools, OK");
        }
    }
    Ok(())
}

fn health(args: HealthArgs) -> Result<(), String> {
    let url = format!("{}/_emulator/health", args.url.trim_end_matches('/'));
    let asked = cognito_emulator::http_client::blocking(async {
        let client = cognito_emulator::http_client::client(Duration::from_secs(5))?;
        Ok::<_, reqwest::Error>(client.get(&url).send().await?.status().as_u16())
    });
    match asked {
        Ok(Ok(200)) => {
            println!("ok");
            Ok(())
        }
        Ok(Ok(status)) => Err(format!("{url} answered {status}")),
        Ok(Err(e)) => Err(format!("{url}: {e}")),
        Err(e) => Err(format!("{url}: {e}")),
    }
}

fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Serve(args) => {
            init_logging(args.log_format);
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the runtime: {e}"))?
                .block_on(serve(*args))
        }
        Command::Export(args) => export(args),
        Command::Import(args) => import(args),
        Command::Check(args) => check(args),
        Command::Health(args) => health(args),
    }
}

fn main() -> ExitCode {
    // The fixed-base tables for SRP build on another core while the server starts.
    cognito_protocol::modexp::start_precomputing();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cognito-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

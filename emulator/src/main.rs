//! `cognito-emulator`: the emulator as a server for clients in any language.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
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
    /// Serve the Cognito API (and JWKS, outbox, clock endpoints) until interrupted.
    Serve(ServeArgs),
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
    /// JSON seed file of pools, clients and users; without it a demo pool is created.
    #[arg(long, env = "COGNITO_EMULATOR_SEED")]
    seed: Option<PathBuf>,
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
    /// Log format.
    #[arg(long, value_enum, default_value = "text")]
    log_format: LogFormat,
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let mut builder = Emulator::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .region(&args.region)
        .issuer(match args.issuer.as_str() {
            "emulator" => Issuer::Emulator,
            "aws" => Issuer::Aws,
            url => Issuer::Custom(url.to_owned()),
        });
    if let Some(path) = &args.signing_key {
        let pem = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        builder = builder.signing_key(Arc::new(
            SigningKey::from_pem(&pem).map_err(|e| e.to_string())?,
        ));
    }
    if let Some(secs) = args.srp_timestamp_window_secs {
        builder = builder.srp_timestamp_window(Duration::from_secs(secs));
    }
    let emu = builder
        .try_start()
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;

    if args.throttle || !args.quotas.is_empty() {
        emu.throttle().set_enabled(true);
    }
    for q in &args.quotas {
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
        emu.throttle()
            .set_quota(category, cognito_emulator::throttle::Quota { rate, burst })
            .map_err(|e| format!("--quota {q}: {e}"))?;
    }
    for f in &args.faults {
        let spec = serde_json::from_str(f).map_err(|e| format!("--fault {f}: {e}"))?;
        emu.faults()
            .add(spec)
            .map_err(|e| format!("--fault {f}: {e}"))?;
    }
    let (the_seed, is_demo) = match &args.seed {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            (seed::parse(&text)?, false)
        }
        None => (seed::demo(), true),
    };
    let summary = seed::apply(&emu, &the_seed).map_err(|e| format!("seed failed: {e}"))?;

    println!("cognito-emulator listening on {}", emu.endpoint());
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
        "  outbox    {}/_emulator/outbox    clock {}/_emulator/clock",
        emu.endpoint(),
        emu.endpoint()
    );

    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    tracing::info!("shutting down");
    emu.stop().await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => {
            init_logging(args.log_format);
            match serve(args).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("cognito-emulator: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

//! `cognito-load`: the emulator under load, over loopback HTTP with keep-alive clients.
//!
//! It starts the emulator binary as its own process (so the server's CPU time and memory can
//! be read apart from the load generator's), then reports requests/s, p50/p99 latency and
//! server CPU per request for USER_PASSWORD_AUTH, full SRP sign-ins, REFRESH_TOKEN_AUTH,
//! GetUser and SignUp at each worker count. It then grows the pool with filler users and
//! shows that per-request costs, sign-in by email and a ListUsers page included, stay flat
//! (the pool has email as a sign-in alias, and every filler a verified email). It also times
//! `Emulator::start()` in-process. With `--moto URL` the same workloads run against a moto
//! server and the ratio is reported from the same run. `--quick` is the CI smoke mode: it
//! checks that everything works and times nothing worth reading. `--soak SECONDS` runs minutes
//! of mixed traffic instead and samples the server's memory (see the `soak` module).

mod api;
mod process;
mod soak;
mod workload;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::json;

use api::{Api, Target};
use process::Server;
use workload::Outcome;

#[derive(Debug, Parser)]
#[command(
    name = "cognito-load",
    about = "Drive the Cognito emulator (and optionally moto) over loopback HTTP"
)]
struct Args {
    /// Smoke mode for CI: tiny durations and scales; checks that every workload works.
    #[arg(long)]
    quick: bool,
    /// Worker counts (one keep-alive connection each).
    #[arg(long, value_delimiter = ',', default_value = "1,8")]
    workers: Vec<usize>,
    /// Seconds per workload and worker count.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Pool sizes for the scaling table.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "1000,10000,100000,1000000"
    )]
    scales: Vec<usize>,
    /// The emulator binary (default: next to this one).
    #[arg(long)]
    emulator_bin: Option<PathBuf>,
    /// A running moto server (`moto_server -H 127.0.0.1 -p PORT`) to measure beside the emulator.
    #[arg(long)]
    moto: Option<String>,
    /// Only these workloads in the throughput tables (default: all of them), for profiling one.
    #[arg(long, value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(OPS))]
    ops: Vec<String>,
    /// Leave out the table that grows the pool.
    #[arg(long)]
    skip_scaling: bool,
    /// Leave out the sign-in rates on the portable multiplier (a second server started with
    /// COGNITO_MULTIPLIER=portable, beside the default one, in the same run).
    #[arg(long)]
    skip_portable: bool,
    /// Rounds of the portable comparison: after the first, the default and the portable server
    /// are measured again by turns, and each ratio is reported with the median of the rounds,
    /// so that the machine's speed drifting between the two servers' turns moves the result
    /// less.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=50))]
    rounds: u32,
    /// Instead of the tables: this many seconds of mixed traffic with the server's memory
    /// sampled (see the `soak` module).
    #[arg(long, value_name = "SECONDS")]
    soak: Option<f64>,
}

const OPS: &[&str] = &[
    "USER_PASSWORD_AUTH",
    "GetUser",
    "REFRESH_TOKEN_AUTH",
    "SignUp",
    "SRP sign-in",
];

#[tokio::main(flavor = "multi_thread")]
async fn main() -> std::process::ExitCode {
    let mut args = Args::parse();
    if args.quick {
        args.workers = vec![1, 2];
        args.seconds = 0.2;
        args.scales = vec![1000, 5000];
        args.soak = args.soak.map(|s| s.min(3.0));
    }
    let outcome = match (args.soak, emulator_bin(&args)) {
        (Some(seconds), Ok(bin)) => soak::run(&bin, seconds).await,
        (Some(_), Err(e)) => Err(e),
        (None, _) => run(&args).await,
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cognito-load: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn emulator_bin(args: &Args) -> Result<PathBuf, String> {
    if let Some(b) = &args.emulator_bin {
        return Ok(b.clone());
    }
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    Ok(me.with_file_name("cognito-emulator"))
}

async fn run(args: &Args) -> Result<(), String> {
    let duration = Duration::from_secs_f64(args.seconds);
    let ops: Vec<&'static str> = OPS
        .iter()
        .copied()
        .filter(|op| args.ops.is_empty() || args.ops.iter().any(|o| o == op))
        .collect();
    // moto answers USER_SRP_AUTH with placeholder values, so there is no SRP row for it.
    let moto_ops: Vec<&'static str> = ops
        .iter()
        .copied()
        .filter(|op| *op != "SRP sign-in")
        .collect();
    println!(
        "# cognito-load{}\n",
        if args.quick {
            " (quick: a smoke test, not a measurement)"
        } else {
            ""
        }
    );

    start_times().await;

    // One start is noise on a busy machine: the median of several.
    let mut starts = Vec::new();
    for _ in 0..if args.quick { 3 } else { 21 } {
        starts.push(Server::spawn(&emulator_bin(args)?)?.start);
    }
    starts.sort();
    let server = Server::spawn(&emulator_bin(args)?)?;
    println!("## The server process\n");
    println!("| measure | value |\n|---|---|");
    println!(
        "| start, spawn to listening (median of {}; fastest) | {:.1} ms; {:.1} ms |",
        starts.len(),
        starts[starts.len() / 2].as_secs_f64() * 1e3,
        starts[0].as_secs_f64() * 1e3
    );
    println!(
        "| idle resident memory (demo pool) | {:.1} MB |\n",
        server.rss() as f64 / 1e6
    );

    println!("## Throughput (emulator)\n");
    let ours = server_table(&server, &args.workers, duration, &ops).await?;
    print_table(&ours);

    if let Some(moto) = &args.moto {
        let moto_api = Api::new(moto);
        let moto_target = api::target(&moto_api).await?;
        let moto_users = api::users(&moto_api, &moto_target, 16).await?;
        println!("## Throughput (moto, same run)\n");
        let theirs = table(
            moto,
            &moto_target,
            &moto_users,
            &args.workers,
            duration,
            None,
            &moto_ops,
        )
        .await?;
        print_table(&theirs);
        println!("## Emulator ÷ moto (requests/s, same run)\n");
        println!("| operation | workers | emulator | moto | ratio |\n|---|---|---|---|---|");
        for ((op, w, a), (_, _, b)) in ours.iter().zip(theirs.iter()) {
            println!(
                "| {op} | {w} | {:.0}/s | {:.0}/s | {:.1}× |",
                a.per_sec(),
                b.per_sec(),
                a.per_sec() / b.per_sec().max(1e-9)
            );
        }
        println!();
    }

    if !args.skip_portable {
        portable(args, &server, &ours, &target_ops(&ops), duration).await?;
    }

    if !args.skip_scaling {
        // A fresh server, so that the first row is the pool's smallest size and not what the
        // SignUp workloads above left behind.
        drop(server);
        let server = Server::spawn(&emulator_bin(args)?)?;
        let api = Api::new(&server.endpoint);
        let target = api::target(&api).await?;
        let users = api::users(&api, &target, 64).await?;
        scaling(&server, &api, &target, &users, &args.scales, duration).await?;
    }
    Ok(())
}

/// The sign-in workloads, whose cost is the multiplier's (SRP and RS256).
fn target_ops(ops: &[&'static str]) -> Vec<&'static str> {
    ops.iter()
        .copied()
        .filter(|op| matches!(*op, "USER_PASSWORD_AUTH" | "SRP sign-in"))
        .collect()
}

/// The sign-in rates again on a server forced onto the portable multiplier, beside the default
/// server's rates from the same run (IFMA where the CPU has it), as a ratio. The server is
/// also started with AWS-LC's AVX-512 paths masked (`OPENSSL_ia32cap`, see
/// [`NO_AVX512_FOR_AWS_LC`]), so that nothing in it uses AVX-512: what a CPU without it runs.
/// With `--rounds N`, N − 1 more rounds measure the two servers again by turns (their tables
/// not printed) and every ratio is reported with the rounds' median.
async fn portable(
    args: &Args,
    default_server: &Server,
    default_rows: &[(&'static str, usize, Outcome)],
    ops: &[&'static str],
    duration: Duration,
) -> Result<(), String> {
    if ops.is_empty() {
        return Ok(());
    }
    let server = Server::spawn_with(
        &emulator_bin(args)?,
        &[
            (cognito_protocol::modexp::MULTIPLIER_ENV, "portable"),
            ("OPENSSL_ia32cap", NO_AVX512_FOR_AWS_LC),
        ],
    )?;
    println!(
        "## Throughput on the portable multiplier (COGNITO_MULTIPLIER=portable, \
         OPENSSL_ia32cap={NO_AVX512_FOR_AWS_LC}, same run)\n"
    );
    let rows = server_table(&server, &args.workers, duration, ops).await?;
    print_table(&rows);
    // ratios[i]: the rounds' ratios for rows[i].
    let mut ratios: Vec<Vec<f64>> = rows
        .iter()
        .map(|(op, w, p)| {
            default_rows
                .iter()
                .find(|(o, dw, _)| o == op && dw == w)
                .map(|(_, _, d)| vec![ratio(d, p)])
                .unwrap_or_default()
        })
        .collect();
    for _ in 1..args.rounds {
        let d = server_table(default_server, &args.workers, duration, ops).await?;
        let p = server_table(&server, &args.workers, duration, ops).await?;
        for (ratios, ((_, _, d), (_, _, p))) in ratios.iter_mut().zip(d.iter().zip(&p)) {
            ratios.push(ratio(d, p));
        }
    }
    println!(
        "## Portable ÷ default multiplier ({} on this CPU; requests/s, same run)\n",
        cognito_protocol::modexp::Backend::active().name()
    );
    if args.rounds > 1 {
        println!(
            "The first round's rates, then the ratio of each of {} rounds (the two servers \
             measured by turns) and their median.\n",
            args.rounds
        );
        println!(
            "| operation | workers | default | portable | ratios by round | median |\n\
             |---|---|---|---|---|---|"
        );
    } else {
        println!("| operation | workers | default | portable | ratio |\n|---|---|---|---|---|");
    }
    for ((op, w, p), ratios) in rows.iter().zip(&ratios) {
        let Some((_, _, d)) = default_rows.iter().find(|(o, dw, _)| o == op && dw == w) else {
            continue;
        };
        let rates = format!("| {op} | {w} | {:.0}/s | {:.0}/s", d.per_sec(), p.per_sec());
        if args.rounds > 1 {
            let each: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
            println!("{rates} | {} | {:.2} |", each.join(", "), median(ratios));
        } else {
            println!("{rates} | {:.2} |", ratios.first().copied().unwrap_or(0.0));
        }
    }
    println!();
    Ok(())
}

/// The portable server's rate ÷ the default server's.
fn ratio(default: &Outcome, portable: &Outcome) -> f64 {
    portable.per_sec() / default.per_sec().max(1e-9)
}

/// The median of a list (the mean of the middle two for an even count; 0 for an empty one).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Clears AVX-512F and AVX-512 IFMA (bits 16 and 21 of CPUID leaf 7's EBX, the second word of
/// the capability vector) for AWS-LC, which the emulator uses to verify tokens and to sign with
/// two-prime keys.
const NO_AVX512_FOR_AWS_LC: &str = ":~0x210000";

/// `Emulator::start()` in this process: the first (which generates the signing key) and the
/// median of the next twenty.
async fn start_times() {
    let t = Instant::now();
    let first = cognito_emulator::Emulator::start().await;
    let first_time = t.elapsed();
    // The process's RSA key is generated on a background thread from the first start. Wait for
    // it here, untimed, so that it does not share the CPUs with the measurements that follow.
    let _ = first.jwk();
    first.stop().await;
    let mut next = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let e = cognito_emulator::Emulator::start().await;
        next.push(t.elapsed());
        e.stop().await;
    }
    next.sort();
    println!("## In-process start\n");
    println!("| measure | value |\n|---|---|");
    println!(
        "| first `Emulator::start()` (the RSA key is generated in the background) | {:.1} ms |",
        first_time.as_secs_f64() * 1e3
    );
    println!(
        "| next `Emulator::start()`, median of 20 | {:.3} ms |\n",
        next[10].as_secs_f64() * 1e3
    );
}

/// [`table`] on one of our servers: its target pool and 64 sign-in users, its CPU measured.
async fn server_table(
    server: &Server,
    workers: &[usize],
    duration: Duration,
    ops: &[&'static str],
) -> Result<Vec<(&'static str, usize, Outcome)>, String> {
    let api = Api::new(&server.endpoint);
    let target = api::target(&api).await?;
    let users = api::users(&api, &target, 64).await?;
    table(
        &server.endpoint,
        &target,
        &users,
        workers,
        duration,
        Some(server),
        ops,
    )
    .await
}

async fn table(
    endpoint: &str,
    target: &Target,
    users: &[String],
    workers: &[usize],
    duration: Duration,
    server: Option<&Server>,
    ops: &[&'static str],
) -> Result<Vec<(&'static str, usize, Outcome)>, String> {
    // Tokens for GetUser and refresh, one sign-in per user.
    let api = Api::new(endpoint);
    let mut tokens = Vec::new();
    for u in users {
        tokens.push(api::password_sign_in(&api, target, u).await?);
    }
    let tokens = std::sync::Arc::new(tokens);
    let users = std::sync::Arc::new(users.to_vec());
    let run_id = std::sync::Arc::new(api::chrono_suffix());
    let mut rows = Vec::new();
    for &op in ops {
        for &w in workers {
            let conns: Vec<Api> = (0..w).map(|_| Api::new(endpoint)).collect();
            let conns = std::sync::Arc::new(conns);
            let (t, users, tokens, run_id) = (
                target.clone(),
                users.clone(),
                tokens.clone(),
                run_id.clone(),
            );
            let min = if op == "SRP sign-in" { 2 } else { 5 };
            let out = workload::run(w, duration, min, server, move |worker, i| {
                let (api, t, users, tokens, run_id) = (conns[worker].clone(), t.clone(), users.clone(), tokens.clone(), run_id.clone());
                async move {
                    let k = (worker * 7919 + i) % users.len();
                    match op {
                        "USER_PASSWORD_AUTH" => api::password_sign_in(&api, &t, &users[k]).await.map(|_| ()),
                        "GetUser" => api.call("GetUser", &json!({"AccessToken": tokens[k].0})).await.map(|_| ()),
                        "REFRESH_TOKEN_AUTH" => api
                            .call("InitiateAuth", &json!({"ClientId": t.client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": tokens[k].1}}))
                            .await
                            .map(|_| ()),
                        "SignUp" => api
                            .call("SignUp", &json!({"ClientId": t.client_id, "Username": format!("new{run_id}x{w}w{worker}n{i}"), "Password": api::PASSWORD}))
                            .await
                            .map(|_| ()),
                        _ => {
                            let mut a = [0u8; 128];
                            for (j, b) in a.iter_mut().enumerate() {
                                *b = (j as u8).wrapping_mul(13).wrapping_add((worker * 31 + i) as u8) | 1;
                            }
                            api::srp_sign_in(&api, &t, &users[k], &a).await
                        }
                    }
                }
            })
            .await;
            out.all_ok(&format!("{op} with {w} workers"))?;
            rows.push((op, w, out));
        }
    }
    Ok(rows)
}

/// Prints the rows of [`table`]: rate, latency, server CPU and errors per workload and worker
/// count.
fn print_table(rows: &[(&'static str, usize, Outcome)]) {
    println!("| operation | workers | requests/s | p50 | p99 | server CPU / request | errors |\n|---|---|---|---|---|---|---|");
    for (op, w, out) in rows {
        println!(
            "| {op} | {w} | {:.0} | {:.2} ms | {:.2} ms | {} | {} |",
            out.per_sec(),
            ms(out.percentile(0.5)),
            ms(out.percentile(0.99)),
            out.cpu_per_request()
                .map_or("—".into(), |d| format!("{:.3} ms", ms(d))),
            out.errors
        );
    }
    println!();
}

/// Grows the pool with filler users and measures per-request costs at each size.
async fn scaling(
    server: &Server,
    api: &Api,
    target: &Target,
    users: &[String],
    scales: &[usize],
    duration: Duration,
) -> Result<(), String> {
    let (access, _) = api::password_sign_in(api, target, &users[0]).await?;
    println!(
        "## Scaling with the pool's size (8 workers; ListUsers reads a page from the middle)\n"
    );
    println!("| users | memory | memory / user | GetUser p50 | GetUser /s | SignUp p50 | USER_PASSWORD_AUTH p50 | by email p50 | ListUsers page p50 |\n|---|---|---|---|---|---|---|---|---|");
    let (mut prev_rss, mut prev_users) = (server.rss(), None::<u64>);
    for &scale in scales {
        let out = api
            .post_path(
                "_emulator/users/fill",
                &json!({"poolId": target.pool_id, "count": scale}),
            )
            .await?;
        let total = out["users"]
            .as_u64()
            .ok_or_else(|| format!("fill failed: {out}"))?;
        let added = out["added"].as_u64().unwrap_or_default();
        let rss = server.rss();
        // Memory per user: the growth since the previous row over the users added since.
        let grown = total - prev_users.unwrap_or(total - added);
        let per_user = rss.saturating_sub(prev_rss) as f64 / grown.max(1) as f64;
        // Pagination tokens are the server's own (tagged; a made-up one is refused): walk to
        // the middle of the pool a page at a time, untimed.
        let walker = api::Api::new(&api_endpoint(api));
        let mut token = serde_json::Value::Null;
        let mut walked = 0u64;
        while walked + 60 < total / 2 {
            let page = walker
                .call(
                    "ListUsers",
                    &json!({"UserPoolId": target.pool_id, "Limit": 60, "PaginationToken": token}),
                )
                .await?;
            walked += 60;
            token = page["PaginationToken"].clone();
            if token.is_null() {
                break;
            }
        }
        let short = duration.min(Duration::from_secs(2));
        let measure = |op: &'static str| {
            let (endpoint, t, access, token, users) = (
                api_endpoint(api),
                target.clone(),
                access.clone(),
                token.clone(),
                users.to_vec(),
            );
            let conns: std::sync::Arc<Vec<Api>> =
                std::sync::Arc::new((0..8).map(|_| Api::new(&endpoint)).collect());
            async move {
                workload::run(8, short, 3, None, move |w, i| {
                    let (api, t, access, token, users) = (conns[w].clone(), t.clone(), access.clone(), token.clone(), users.clone());
                    async move {
                        match op {
                            "GetUser" => api.call("GetUser", &json!({"AccessToken": access})).await.map(|_| ()),
                            "SignUp" => api
                                .call("SignUp", &json!({"ClientId": t.client_id, "Username": format!("s{scale}w{w}n{i}"), "Password": api::PASSWORD}))
                                .await
                                .map(|_| ()),
                            "USER_PASSWORD_AUTH" => api::password_sign_in(&api, &t, &users[(w + i) % users.len()]).await.map(|_| ()),
                            "by email" => api::password_sign_in(&api, &t, &api::email_of(&users[(w + i) % users.len()])).await.map(|_| ()),
                            _ => {
                                let page = api
                                    .call("ListUsers", &json!({"UserPoolId": t.pool_id, "Limit": 60, "PaginationToken": token}))
                                    .await?;
                                (page["Users"].as_array().map_or(0, Vec::len) == 60)
                                    .then_some(())
                                    .ok_or_else(|| "short page".to_owned())
                            }
                        }
                    }
                })
                .await
            }
        };
        let get = measure("GetUser").await;
        let sign_up = measure("SignUp").await;
        let password = measure("USER_PASSWORD_AUTH").await;
        let by_email = measure("by email").await;
        let list = measure("ListUsers").await;
        for (name, o) in [
            ("GetUser", &get),
            ("SignUp", &sign_up),
            ("USER_PASSWORD_AUTH", &password),
            ("USER_PASSWORD_AUTH by email", &by_email),
            ("ListUsers", &list),
        ] {
            if o.errors > 0 {
                return Err(format!(
                    "{name} at {total} users: {}",
                    o.first_error.clone().unwrap_or_default()
                ));
            }
        }
        println!(
            "| {total} | {:.0} MB | {:.0} B | {:.2} ms | {:.0} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms |",
            rss as f64 / 1e6,
            per_user,
            ms(get.percentile(0.5)),
            get.per_sec(),
            ms(sign_up.percentile(0.5)),
            ms(password.percentile(0.5)),
            ms(by_email.percentile(0.5)),
            ms(list.percentile(0.5)),
        );
        // The measurements above signed users up; read the size again for the next row.
        prev_rss = server.rss();
        prev_users = Some(total + sign_up.requests as u64);
    }
    println!();
    Ok(())
}

fn api_endpoint(api: &Api) -> String {
    api.endpoint().trim_end_matches('/').to_owned()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_of_rounds_is_the_middle_value_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&[0.61]), 0.61);
        assert_eq!(median(&[0.64, 0.58, 0.61]), 0.61);
        assert_eq!(median(&[0.5, 0.25, 0.75, 1.0]), 0.625);
        assert_eq!(median(&[]), 0.0);
    }
}

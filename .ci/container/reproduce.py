"""Builds and runs the emulator's container image without a Docker engine.

CI has no Docker engine and cannot pull base images, so this reproduces what `docker compose up`
would do from Debian's own packages:

1. Reads emulator/Dockerfile: the build stage and the runtime stage, and the Debian release each
   one's base image is made of (`rust:1.95-slim-bookworm` and `debian:bookworm-slim` both name
   bookworm; a tag that names no release is refused, since its release changes under it).
2. Makes a minimal root of each release with debootstrap (the build root with the C compiler
   and headers the Rust image carries), under target/container/ in the repository, so nothing is
   cached outside it.
3. Runs the build stage's RUN command in the build root, as the image build would, with this
   machine's Rust toolchain bind-mounted at the same paths (offline: the crates come from the
   toolchain's cache, which `cargo fetch --locked` filled beforehand).
4. Runs the runtime stage's RUN commands in the runtime root, copies the binary where its COPY
   puts it, and checks every glibc symbol version the binary needs against the runtime root's
   glibc, naming any that is missing.
5. Starts the binary in the runtime root as the image would (ENTRYPOINT, docker-compose.yml's
   command and environment, the seed mounted read-only, the unprivileged USER), in a network
   namespace of its own so that `--host 0.0.0.0` reaches nothing outside; waits for its
   "listening" line; runs the image's HEALTHCHECK command inside the root; and signs in from
   outside the root with pycognito (SRP) and boto3 (USER_PASSWORD_AUTH), checking the id token
   against the pool's JWKS with PyJWT.

`--self-test` proves the failure this guards against: a program built in a trixie root
(glibc 2.41) and run in a bookworm root (glibc 2.36) must be refused with a message that names
the missing symbol version (GLIBC_2.38 for `__isoc23_sscanf`).

Needs root (debootstrap, chroot, mount and network namespaces), debootstrap, and util-linux's
unshare. Run from the interop virtualenv (pycognito, boto3, PyJWT).
"""

import argparse
import os
import pathlib
import re
import selectors
import shlex
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
WORK = ROOT / "target" / "container"
# What the official Rust images add to Debian for building (their slim variants install
# gcc, libc6-dev and the binutils these pull in).
BUILD_PACKAGES = ["gcc", "libc6-dev", "binutils"]
ARCH_LIB = "x86_64-linux-gnu"


class Refused(Exception):
    """The image would not work; the message says why."""


# --- reading the Dockerfile ------------------------------------------------------------------

def instructions(text):
    """(KEYWORD, argument) pairs, continuation lines joined, comments dropped."""
    lines = [l for l in text.splitlines() if not l.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    out = []
    for line in joined.splitlines():
        parts = line.strip().split(None, 1)
        if parts:
            out.append((parts[0].upper(), parts[1] if len(parts) > 1 else ""))
    return out


def stages(text):
    """The stages in order: dicts with image, name and their instructions."""
    result = []
    for keyword, arg in instructions(text):
        if keyword == "FROM":
            words = arg.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            result.append({"image": words[0], "name": name, "steps": []})
        elif result:
            result[-1]["steps"].append((keyword, arg))
    return result


CODENAMES = ["buster", "bullseye", "bookworm", "trixie", "forky", "sid"]


def release_of(image):
    """The Debian release a base image is made of, when its tag says so."""
    repository, _, tag = image.partition(":")
    for word in re.split(r"[-.]", tag):
        if word in CODENAMES:
            return word
    raise Refused(
        f"the base image {image} names no Debian release: its tag must say which one (for "
        f"example rust:1.95-slim-bookworm), or the release changes under the image when the "
        f"tag's default moves on"
    )


def build_and_runtime(text):
    all_stages = stages(text)
    runtime = all_stages[-1]
    copies = [arg for kw, arg in runtime["steps"] if kw == "COPY" and arg.startswith("--from=")]
    if not copies:
        raise Refused("the runtime stage copies nothing from a build stage")
    source_stage = copies[0].split()[0].split("=", 1)[1]
    build = next((s for s in all_stages if s["name"] == source_stage), None)
    if build is None:
        raise Refused(f"COPY --from={source_stage} names no stage")
    return build, runtime


def json_or_shell(arg):
    """An exec-form (JSON array) or shell-form argument as a list of words."""
    arg = arg.strip()
    if arg.startswith("["):
        import json

        return json.loads(arg)
    return ["/bin/sh", "-c", arg]


# --- roots -----------------------------------------------------------------------------------

def debian_mirror():
    """The Debian mirror apt uses on this machine (no host is written into the repository)."""
    candidates = list(pathlib.Path("/etc/apt/sources.list.d").glob("*.sources"))
    for path in candidates:
        for line in path.read_text().splitlines():
            if line.startswith("URIs:"):
                for uri in line.split()[1:]:
                    if uri.rstrip("/").endswith("/debian"):
                        return uri
    sources = pathlib.Path("/etc/apt/sources.list")
    if sources.exists():
        for line in sources.read_text().splitlines():
            words = line.split()
            if len(words) >= 3 and words[0] == "deb" and words[1].rstrip("/").endswith("/debian"):
                return words[1]
    return None


def make_root(release, purpose, packages):
    root = WORK / f"{release}-{purpose}"
    done = root / ".made-by-reproduce"
    if done.exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    command = ["debootstrap", "--variant=minbase"]
    if packages:
        command.append("--include=" + ",".join(packages))
    command += [release, str(root)]
    mirror = debian_mirror()
    if mirror:
        command.append(mirror)
    log = WORK / f"debootstrap-{release}-{purpose}.log"
    with open(log, "w") as out:
        made = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT)
    if made.returncode != 0:
        tail = log.read_text().splitlines()[-15:]
        raise Refused(f"debootstrap {release} failed:\n  " + "\n  ".join(tail))
    done.write_text(" ".join(packages))
    print(f"  {release} {purpose} root made in {time.monotonic() - started:.0f} s", flush=True)
    return root


def glibc_version(root):
    libc = root / "lib" / ARCH_LIB / "libc.so.6"
    if not libc.exists():
        libc = root / "usr" / "lib" / ARCH_LIB / "libc.so.6"
    data = libc.read_bytes()
    found = re.findall(rb"GLIBC_(\d+)\.(\d+)", data)
    return max((int(a), int(b)) for a, b in found)


def needed_glibc(binary):
    """Every GLIBC_x.y the binary's symbols need."""
    out = subprocess.run(["objdump", "-T", str(binary)], capture_output=True, text=True, check=True).stdout
    needs = {}
    for line in out.splitlines():
        m = re.search(r"\(?GLIBC_(\d+)\.(\d+)(?:\.\d+)?\)?\s+(\S+)$", line)
        if m:
            version = (int(m.group(1)), int(m.group(2)))
            needs.setdefault(version, []).append(m.group(3))
    return needs


def check_symbols(binary, runtime_root, release):
    have = glibc_version(runtime_root)
    missing = {v: syms for v, syms in needed_glibc(binary).items() if v > have}
    if missing:
        lines = [
            f"GLIBC_{a}.{b} (needed by {', '.join(sorted(set(s))[:4])})"
            for (a, b), s in sorted(missing.items())
        ]
        raise Refused(
            f"{binary.name} needs symbol versions the {release} runtime's glibc "
            f"{have[0]}.{have[1]} does not have: " + "; ".join(lines)
        )
    return have


# --- running in a root -----------------------------------------------------------------------

def in_root(root, script, binds=(), env=None, user=None, check=True, capture=False):
    """Runs a shell script chrooted into `root`, in a mount namespace of its own where `binds`
    (host path, path in the root, read-only?) and /proc, /dev are mounted."""
    setup = []
    for host, inside, read_only in binds:
        target = f"{root}{inside}"
        kind = "-d" if pathlib.Path(host).is_dir() else "-f"
        make = f"mkdir -p {shlex.quote(target)}" if kind == "-d" else (
            f"mkdir -p {shlex.quote(str(pathlib.Path(target).parent))} && touch {shlex.quote(target)}"
        )
        setup.append(make)
        setup.append(f"mount --bind {shlex.quote(str(host))} {shlex.quote(target)}")
        if read_only:
            setup.append(f"mount -o remount,bind,ro {shlex.quote(target)}")
    setup.append(f"mount -t proc proc {root}/proc")
    setup.append(f"mount --rbind /dev {root}/dev")
    environment = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
    userspec = f"--userspec={user} " if user else ""
    setup.append(
        f"exec chroot {userspec}{shlex.quote(str(root))} /usr/bin/env -i {environment} /bin/sh -c {shlex.quote(script)}"
    )
    return subprocess.run(
        ["unshare", "--mount", "--fork", "/bin/sh", "-c", " && ".join(setup)],
        check=check,
        capture_output=capture,
        text=True,
    )


def build_binary(build_stage, release):
    root = make_root(release, "build", BUILD_PACKAGES)
    runs = [arg for kw, arg in build_stage["steps"] if kw == "RUN"]
    workdir = next((arg for kw, arg in build_stage["steps"] if kw == "WORKDIR"), "/")
    if not runs:
        raise Refused("the build stage has no RUN")
    cargo_home = pathlib.Path(os.environ.get("CARGO_HOME", pathlib.Path.home() / ".cargo"))
    rustup_home = pathlib.Path(os.environ.get("RUSTUP_HOME", pathlib.Path.home() / ".rustup"))
    target = WORK / f"{release}-build-target"
    target.mkdir(parents=True, exist_ok=True)
    # The crates come from the toolchain's cache: nothing is fetched inside the root.
    subprocess.run(["cargo", "fetch", "--locked"], cwd=ROOT, check=True)
    env = {
        "PATH": f"{cargo_home}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": "/root",
        "CARGO_HOME": str(cargo_home),
        "RUSTUP_HOME": str(rustup_home),
        "CARGO_NET_OFFLINE": "true",
    }
    binds = [
        (ROOT, workdir, False),
        (target, f"{workdir}/target", False),
        (cargo_home, str(cargo_home), False),
        (rustup_home, str(rustup_home), True),
    ]
    started = time.monotonic()
    for command in runs:
        print(f"  RUN {command}", flush=True)
        in_root(root, f"cd {shlex.quote(workdir)} && {command}", binds=binds, env=env)
    print(f"  built in the {release} root in {time.monotonic() - started:.0f} s", flush=True)
    return target / "release" / "cognito-emulator"


def runtime_root(runtime_stage, release, binary):
    # The stage's commands run on a fresh copy of the release's minimal root, as an image build
    # starts from the base image each time.
    base = make_root(release, "base", [])
    root = WORK / f"{release}-runtime"
    if root.exists():
        shutil.rmtree(root)
    subprocess.run(["cp", "-a", str(base), str(root)], check=True)
    for kw, arg in runtime_stage["steps"]:
        if kw == "RUN":
            print(f"  RUN {arg}", flush=True)
            in_root(root, arg, env={"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"})
        elif kw == "COPY" and arg.startswith("--from="):
            _, _, destination = arg.split()
            dest = root / destination.lstrip("/")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(binary, dest)
    return root


# --- the image's process ---------------------------------------------------------------------

def serve_and_sign_in(runtime_stage, root, compose):
    """In a network namespace of its own: the entrypoint with the compose command as the image's
    user, its health check inside the root, and a sign-in from outside the root."""
    import yaml

    service = next(iter(yaml.safe_load(compose.read_text())["services"].values()))
    steps = runtime_stage["steps"]
    entrypoint = json_or_shell(next(arg for kw, arg in steps if kw == "ENTRYPOINT"))
    command = [str(c) for c in service["command"]]
    user = next(arg for kw, arg in reversed(steps) if kw == "USER").strip()
    health = next(arg for kw, arg in steps if kw == "HEALTHCHECK")
    health_cmd = json_or_shell(health.split("CMD", 1)[1])
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/data"}
    for kw, arg in steps:
        if kw == "ENV":
            key, _, value = arg.partition("=")
            env[key.strip()] = value.strip()
    env.update({k: str(v) for k, v in (service.get("environment") or {}).items()})
    binds = []
    for volume in service.get("volumes", []):
        source, inside = str(volume).split(":")[:2]
        if source.startswith((".", "/")):
            binds.append((ROOT / source, inside, str(volume).endswith(":ro")))
    # The inner part runs with this script in the new namespaces.
    inner = [
        "unshare", "--net", "--mount", "--fork", sys.executable, __file__, "--inner",
        str(root), user, shlex.join(entrypoint + command), shlex.join(health_cmd),
        repr(env), repr([(str(h), i, ro) for h, i, ro in binds]),
    ]
    subprocess.run(inner, check=True)


def inner(root, user, command, health, env, binds):
    import ast

    root = pathlib.Path(root)
    env = ast.literal_eval(env)
    binds = ast.literal_eval(binds)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    # This process already has a mount namespace of its own: mount, then start the entrypoint
    # with exec-chains only (chroot, env), so that the server is the process signals reach.
    for host, inside, read_only in binds:
        target = root / inside.lstrip("/")
        if pathlib.Path(host).is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.touch()
        subprocess.run(["mount", "--bind", host, str(target)], check=True)
        if read_only:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=True)
    subprocess.run(["mount", "-t", "proc", "proc", str(root / "proc")], check=True)
    server = subprocess.Popen(
        ["chroot", f"--userspec={user}", str(root), "/usr/bin/env", "-i"]
        + [f"{k}={v}" for k, v in env.items()]
        + shlex.split(command),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_for_line(server, "listening", limit=120)
        checked = in_root(root, health, env={"PATH": env["PATH"]}, user=user, check=False, capture=True)
        if checked.returncode != 0:
            raise Refused(f"the image's HEALTHCHECK failed: {checked.stdout}{checked.stderr}")
        print(f"  HEALTHCHECK {health}: {checked.stdout.strip()}", flush=True)
        sign_in("http://127.0.0.1:9229")
    finally:
        server.terminate()
        try:
            rest = server.communicate(timeout=40)[0]
        except subprocess.TimeoutExpired:
            server.kill()
            rest = server.communicate()[0]
        if server.returncode not in (0, -15):
            print(rest, flush=True)
            raise Refused(f"the server exited with {server.returncode} after SIGTERM")


def wait_for_line(process, needle, limit):
    """Reads the process's output until a line contains `needle`; fails if it exits first."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + limit
    seen = []
    while time.monotonic() < deadline:
        if not selector.select(timeout=deadline - time.monotonic()):
            break
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line.rstrip())
        if needle in line:
            print(f"  server: {line.strip()[:160]}", flush=True)
            return
    process.wait(timeout=5)
    raise Refused(
        f"the emulator did not start in the runtime root (exit {process.returncode}):\n  "
        + "\n  ".join(seen[-20:])
    )


def sign_in(endpoint):
    import boto3
    import jwt
    from pycognito.aws_srp import AWSSRP

    pool, client = "us-east-1_Example01", "exampleclient0000000000001"
    idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="x", aws_secret_access_key="x")
    answered = idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Passw0rd!"})
    id_token = answered["AuthenticationResult"]["IdToken"]
    keys = jwt.PyJWKClient(f"{endpoint}/{pool}/.well-known/jwks.json")
    claims = jwt.decode(id_token, keys.get_signing_key_from_jwt(id_token).key, algorithms=["RS256"],
                        audience=client)
    assert claims["cognito:username"] == "alice", claims
    srp = AWSSRP("alice", "Alice-Passw0rd!", pool, client, client=idp).authenticate_user()
    assert idp.get_user(AccessToken=srp["AuthenticationResult"]["AccessToken"])["Username"] == "alice"
    print("  signed in from outside the root: USER_PASSWORD_AUTH (boto3) and USER_SRP_AUTH "
          "(pycognito); the id token verifies against the pool's JWKS (PyJWT)", flush=True)


# --- the self-test ---------------------------------------------------------------------------

def self_test():
    """A newer build root than runtime root must be refused, naming the symbol version."""
    newer = make_root("trixie", "build", BUILD_PACKAGES)
    older = make_root("bookworm", "base", [])
    source = WORK / "sscanf.c"
    # _GNU_SOURCE, as the bundled C code builds, makes glibc 2.38+ name sscanf __isoc23_sscanf.
    source.write_text('#include <stdio.h>\nint main(void){int x=0;sscanf("1","%d",&x);return x-1;}\n')
    in_root(newer, "gcc -D_GNU_SOURCE -O0 -o /work/sscanf /work/sscanf.c", binds=[(WORK, "/work", False)],
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    program = WORK / "sscanf"
    try:
        check_symbols(program, older, "bookworm")
    except Refused as e:
        message = str(e)
        assert "GLIBC_2.38" in message, message
        print(f"  refused as it must be: {message}", flush=True)
    else:
        raise AssertionError("a trixie-built program was accepted for a bookworm runtime")
    shutil.copy2(program, older / "usr" / "local" / "bin" / "sscanf")
    ran = in_root(older, "/usr/local/bin/sscanf", env={"PATH": "/usr/bin:/bin"}, check=False, capture=True)
    assert ran.returncode != 0 and "GLIBC_2.38" in ran.stderr, (ran.returncode, ran.stderr)
    print(f"  and its loader agrees: {ran.stderr.strip()}", flush=True)
    (older / "usr" / "local" / "bin" / "sscanf").unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dockerfile", default=str(ROOT / "emulator" / "Dockerfile"))
    parser.add_argument("--compose", default=str(ROOT / "docker-compose.yml"))
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--inner", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args()
    try:
        if args.inner:
            inner(*args.inner)
            return 0
        if args.self_test:
            self_test()
            return 0
        started = time.monotonic()
        text = pathlib.Path(args.dockerfile).read_text()
        build, runtime = build_and_runtime(text)
        build_release, runtime_release = release_of(build["image"]), release_of(runtime["image"])
        print(f"  build stage {build['image']} ({build_release}), runtime stage "
              f"{runtime['image']} ({runtime_release})", flush=True)
        binary = build_binary(build, build_release)
        root = runtime_root(runtime, runtime_release, binary)
        have = check_symbols(binary, root, runtime_release)
        print(f"  every glibc symbol version the binary needs is in {runtime_release}'s glibc "
              f"{have[0]}.{have[1]}", flush=True)
        serve_and_sign_in(runtime, root, pathlib.Path(args.compose))
        print(f"container reproduced and served in {time.monotonic() - started:.0f} s", flush=True)
        return 0
    except Refused as e:
        print(f"container check failed: {e}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())

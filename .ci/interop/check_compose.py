"""CI has no Docker engine, so check statically what can be checked:

- docker-compose.yml parses; each service builds from an existing context and Dockerfile,
  publishes 9229, has a health check, and runs `serve` with flags the binary accepts;
- every file it mounts exists, and a mounted seed file passes `cognito-emulator check`;
- the Dockerfile is multi-stage, builds the emulator with the locked dependencies, runs as an
  unprivileged user, declares a HEALTHCHECK through the binary's `health` subcommand (which the
  binary really has), exposes 9229 and keeps its data in a volume;
- the build stage and the runtime stage name the same Debian release in their image tags (a
  binary built against a newer glibc does not start on an older one);
- .dockerignore keeps target/ (tens of gigabytes) out of the build context.
"""

import os
import pathlib
import re
import subprocess
import sys

import yaml

root = pathlib.Path(__file__).resolve().parents[2]
binary = os.environ.get("COGNITO_EMULATOR_BIN", str(root / "target" / "debug" / "cognito-emulator"))


sys.path.insert(0, str(root / ".ci" / "container"))
from reproduce import Refused, release_of  # noqa: E402  (one reading of image tags for both checks)


def debian_release(image, dockerfile):
    """The Debian release an image tag names (rust:1.95-slim-trixie, debian:trixie-slim)."""
    try:
        return release_of(image)
    except Refused as e:
        raise AssertionError(f"{dockerfile}: {e}") from None


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)


serve_help = run("serve", "--help").stdout
assert "--data" in serve_help, "the binary has no serve --help"

compose = yaml.safe_load((root / "docker-compose.yml").read_text())
services = compose.get("services") or {}
assert services, "docker-compose.yml defines no services"
named_volumes = set((compose.get("volumes") or {}).keys())

for name, svc in services.items():
    build = svc.get("build")
    assert build, f"service {name} has no build section"
    context = root / (build if isinstance(build, str) else build.get("context", "."))
    assert context.is_dir(), f"service {name}: build context {context} does not exist"
    dockerfile = context / ("Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile"))
    assert dockerfile.is_file(), f"service {name}: {dockerfile} does not exist"

    command = [str(c) for c in svc.get("command", [])]
    assert command[:1] == ["serve"], f"service {name} does not run `serve`"
    for flag in (c for c in command if c.startswith("--")):
        assert re.search(rf"(^|\s){re.escape(flag)}[\s=]", serve_help), f"service {name}: serve has no flag {flag}"
    assert any(str(p).endswith(":9229") for p in svc.get("ports", [])), f"service {name} does not publish 9229"
    test = (svc.get("healthcheck") or {}).get("test", [])
    assert "health" in test, f"service {name}: the health check does not use `cognito-emulator health`"

    mounts = {}
    for volume in svc.get("volumes", []):
        source, target = str(volume).split(":")[:2]
        mounts[target] = source
        if source.startswith((".", "/")):
            assert (root / source).exists(), f"service {name}: mounted {source} does not exist"
        else:
            assert source in named_volumes, f"service {name}: volume {source} is not declared"
    if "--data" in command:
        data = command[command.index("--data") + 1]
        assert data in mounts, f"service {name}: the data directory {data} is not a volume"
    if "--seed" in command:
        seed = command[command.index("--seed") + 1]
        assert seed in mounts, f"service {name}: the seed {seed} is not mounted"
        checked = run("check", str(root / mounts[seed]))
        assert checked.returncode == 0, f"service {name}: seed {mounts[seed]}: {checked.stderr}"
        print(checked.stdout.strip())

    text = dockerfile.read_text()
    logical = re.sub(r"\\\n", " ", "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#")))
    instructions = [line.split(None, 1) for line in logical.splitlines() if line.strip()]
    keywords = [i[0].upper() for i in instructions if i and i[0].isupper()]
    assert keywords.count("FROM") >= 2, f"{dockerfile} is not a multi-stage build"
    assert "cargo build --release --locked -p cognito-emulator" in text, f"{dockerfile} does not build the emulator"
    assert "COPY --from=build" in text, f"{dockerfile}: the runtime stage does not copy the built binary"
    users = [i[1].strip() for i in instructions if i[0] == "USER"]
    assert users and not users[-1].startswith(("root", "0")), f"{dockerfile} runs as root"
    health = [i[1] for i in instructions if i[0] == "HEALTHCHECK"]
    assert health and '"health"' in health[-1], f"{dockerfile} has no HEALTHCHECK through `cognito-emulator health`"
    assert run("health", "--help").returncode == 0, "the binary has no health subcommand"
    assert any(i[0] == "EXPOSE" and "9229" in i[1] for i in instructions), f"{dockerfile} does not expose 9229"
    assert any(i[0] == "VOLUME" for i in instructions), f"{dockerfile} declares no data volume"
    images = [i[1].split()[0] for i in instructions if i[0] == "FROM"]
    releases = [debian_release(image, dockerfile) for image in images]
    assert releases[0] == releases[-1], (
        f"{dockerfile}: the build stage is {images[0]} (Debian {releases[0]}) but the runtime stage is "
        f"{images[-1]} (Debian {releases[-1]}); both must name the same release"
    )

ignored = (root / ".dockerignore").read_text().split()
assert "target" in ignored, ".dockerignore does not exclude target/"
print(f"docker-compose.yml and Dockerfile: {len(services)} service(s) OK")
sys.exit(0)

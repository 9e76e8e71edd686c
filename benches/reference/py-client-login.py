"""CPU time of one client login compute in pycognito (A = g^a, then x, S, HKDF): median of
RUNS runs. Run from the repository root with the interop venv:
    .ci/interop/.venv/bin/python benches/reference/py-client-login.py
"""

import os
import statistics
import time

from pycognito.aws_srp import AWSSRP

RUNS = int(os.environ.get("RUNS", "15"))
B = int("5" * 760, 16)
SALT = "5a" * 16


class Offline:
    """Stands in for the boto3 client: the compute never calls it."""


def once():
    start = time.process_time()
    srp = AWSSRP("alice", "Passw0rd!", "us-east-1_ExaMPle12", "client", client=Offline())
    srp.get_password_authentication_key("alice", "Passw0rd!", B, SALT)
    return (time.process_time() - start) * 1000


times = [once() for _ in range(RUNS)]
print(f"pycognito client login compute: median {statistics.median(times):.1f} ms CPU over {RUNS} runs")

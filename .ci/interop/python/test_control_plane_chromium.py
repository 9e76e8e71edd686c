"""A page on another origin (a second loopback port) tries, in headless Chromium, to read and
change a running emulator through its control plane: read the state (signing key, verifiers)
and the outbox, move the clock with a `text/plain` POST (which needs no preflight), add a fault
rule with a JSON POST (which does), and fill the pool through a form. Every read fails in the
browser, and afterwards nothing has changed."""

import http.server
import threading

import pytest
import requests

from conftest import needs_browser, wait_until

pytestmark = needs_browser

POOL = "us-east-1_DemoPool1"

ATTACK = """<!doctype html>
<html><body>
<pre id="out">running</pre>
<iframe name="sink" style="display:none"></iframe>
<form id="fill" method="POST" target="sink" action="EMULATOR/_emulator/users/fill">
  <input name="poolId" value="POOL"><input name="count" value="50">
</form>
<script>
const E = "EMULATOR";
const out = {};
async function attempt(name, f) {
  try { const r = await f(); out[name] = "read " + r.status + ": " + (await r.text()).slice(0, 60); }
  catch (e) { out[name] = "blocked"; }
}
(async () => {
  await attempt("read_state", () => fetch(E + "/_emulator/state"));
  await attempt("read_outbox", () => fetch(E + "/_emulator/outbox"));
  await attempt("read_journal", () => fetch(E + "/_emulator/journal", { credentials: "include" }));
  try {
    await fetch(E + "/_emulator/clock", { method: "POST", mode: "no-cors",
      headers: { "content-type": "text/plain" }, body: JSON.stringify({ advanceSeconds: 864000 }) });
    out.plain_clock = "sent (opaque)";
  } catch (e) { out.plain_clock = "blocked"; }
  await attempt("json_fault", () => fetch(E + "/_emulator/faults", { method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ match: {}, fault: { kind: "internal_error" } }) }));
  document.getElementById("fill").submit();
  document.getElementById("out").textContent = JSON.stringify(out);
  document.title = "done";
})();
</script>
</body></html>
"""


@pytest.fixture()
def attacker(emulator):
    page = ATTACK.replace("EMULATOR", emulator.endpoint).replace("POOL", POOL).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def users_of(endpoint):
    overview = requests.get(f"{endpoint}/_emulator/overview", timeout=5).json()
    pool = next(p for p in overview["pools"] if p["id"] == POOL)
    return len(pool["users"])


def test_a_page_on_another_origin_can_neither_read_nor_change_the_emulator(browser, emulator, attacker):
    clock_before = requests.get(f"{emulator.endpoint}/_emulator/clock", timeout=5).json()["now"]
    users_before = users_of(emulator.endpoint)
    browser.get(attacker)
    wait_until(browser, lambda b: b.title == "done", timeout=20)
    import json

    seen = json.loads(browser.find_element("id", "out").text)
    assert seen["read_state"] == "blocked", seen
    assert seen["read_outbox"] == "blocked", seen
    assert seen["read_journal"] == "blocked", seen
    assert seen["json_fault"] == "blocked", seen
    # The opaque POST left the browser, and the emulator refused it (415): the clock stands.
    clock_after = requests.get(f"{emulator.endpoint}/_emulator/clock", timeout=5).json()["now"]
    assert clock_after - clock_before < 864000
    assert requests.get(f"{emulator.endpoint}/_emulator/faults", timeout=5).json()["rules"] == []
    # The form post reached the emulator (the iframe loads its answer) and was refused too.
    wait_until(browser, lambda b: b.execute_script(
        "try { return frames['sink'].location.href } catch (e) { return 'cross-origin' }") != "about:blank")
    assert users_of(emulator.endpoint) == users_before

"""The scenario runner's HTML report (`cognito-scenarios --report FILE`) opened in headless
Chromium from disk: the comparison table has a row per scenario and a column per client, and
each scenario has a timeline per client whose steps show what the client saw and the requests
that reached the emulator, faults marked. With SCENARIO_REPORT set (CI, after replaying the
catalogue against every shipped client) that report is checked; otherwise one is made here with
the Rust SDK from the cognito-scenarios binary."""

import os
import pathlib
import subprocess

import pytest

from conftest import needs_browser

pytestmark = needs_browser

ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture()
def report(tmp_path):
    given = os.environ.get("SCENARIO_REPORT")
    if given:
        return pathlib.Path(given), os.environ.get("SCENARIO_REPORT_CLIENTS", "rust").split(",")
    binary = ROOT / "target" / "debug" / "cognito-scenarios"
    if not binary.exists():
        pytest.skip("target/debug/cognito-scenarios is not built (cargo build -p cognito-scenarios)")
    out = tmp_path / "report.html"
    subprocess.run([str(binary), "--dir", str(ROOT / "scenarios" / "catalogue"), "--report", str(out)],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL, timeout=300)
    return out, ["rust"]


def test_the_report_renders_the_table_and_timelines(browser, report):
    from selenium.webdriver.common.by import By

    path, clients = report
    browser.get(path.resolve().as_uri())
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#comparison tr th")]
    assert headers == ["scenario", *clients]
    rows = browser.find_elements(By.CSS_SELECTOR, "#comparison tr")[1:]
    files = sorted(p.name for p in (ROOT / "scenarios" / "catalogue").glob("*.toml"))
    assert [r.find_element(By.CSS_SELECTOR, "td a").text for r in rows] == files
    assert all(len(r.find_elements(By.CSS_SELECTOR, "td")) == 1 + len(clients) for r in rows)
    # The Rust SDK does what every reproduction expects.
    assert all(r.find_elements(By.CSS_SELECTOR, "td")[1].text == "as expected" for r in rows)

    sections = browser.find_elements(By.CSS_SELECTOR, "section.scenario")
    assert len(sections) == len(files)
    timelines = browser.find_elements(By.CSS_SELECTOR, "ol.timeline")
    assert {t.get_attribute("data-client") for t in timelines} == set(clients)
    first = sections[0].find_elements(By.CSS_SELECTOR, "ol.timeline li")
    assert first[0].text.startswith("sign_in alice")
    assert any(el.text.startswith("InitiateAuth") for el in first[0].find_elements(By.CSS_SELECTOR, ".requests"))
    # Faults that fired are marked in the timeline, in the page's own colour for them.
    fired = browser.find_elements(By.CSS_SELECTOR, ".requests.fault")
    assert fired and fired[0].value_of_css_property("color") == "rgba(176, 0, 32, 1)"
    # A link in the table leads to its scenario's section.
    rows[0].find_element(By.CSS_SELECTOR, "td a").click()
    assert browser.current_url.endswith("#s0")

#!/usr/bin/env python3
"""Drive `claimgraph export --format html` pages in headless Chromium.

Run by the Rust test `explorer::` (tests/explorer.rs) as

    python3 tests/browser/explorer.py check BIN OUTDIR
    python3 tests/browser/explorer.py measure PAGE   # size and load time of one page
    python3 tests/browser/explorer.py screenshot PAGE PNG   # the README's picture

`check` exports the curated graph and the hostile fixture with the real
binary BIN, opens each page from file:// and checks what a reader does:
click an edge, search, filter, trace, and that hostile strings stay text.
Screenshots go to OUTDIR. Exits 0 when every check passes, 1 on a failed
check, 3 when Chromium, ChromeDriver or Selenium is missing (with the hint).

Chromium runs with the flags that keep it off the network (no background
networking, no component updates) and a fresh profile; ChromeDriver's path is
given explicitly so Selenium Manager never downloads a driver.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL_HINT = (
    "the browser tests need Debian's Chromium and ChromeDriver and Python Selenium: "
    "`apt-get install chromium chromium-driver` and `python3 -m pip install selenium` "
    "(`bash .ci/run` installs all three)"
)

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as e:  # pragma: no cover - the hint is the point
    print(f"missing Selenium ({e}); {INSTALL_HINT}", file=sys.stderr)
    sys.exit(3)

ROOT = Path(__file__).resolve().parents[2]
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print(f"FAIL: {message}", file=sys.stderr)
    return condition


def browser(profile):
    for program in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(program):
            print(f"missing {program}; {INSTALL_HINT}", file=sys.stderr)
            sys.exit(3)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def export(binary, args, output):
    command = [binary, *args, "export", "--format", "html", "--output", str(output)]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        print(f"{command} failed: {run.stderr}", file=sys.stderr)
        sys.exit(1)


def open_page(driver, page):
    """Load a page from file:// and wait until its script has run."""
    driver.get_log("performance")  # drop what an earlier page left
    driver.get_log("browser")
    start = time.monotonic()
    driver.get(page.as_uri())
    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script("return document.body.getAttribute('data-ready') === 'true'")
    )
    return time.monotonic() - start


def no_errors_and_no_network(driver, page, name, loading=True):
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    check(not errors, f"{name}: console errors or warnings: {errors}")
    requested = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.append(message["params"]["request"]["url"])
    # Chromium's own pages and resources (the clear icon of a search box, the
    # new-tab page's favicons) use browser-internal schemes, never the network.
    internal = ("data:", "chrome://", "chrome-untrusted://", "devtools://")
    others = [u for u in requested if u != page.as_uri() and not u.startswith(internal)]
    if loading:
        check(page.as_uri() in requested, f"{name}: the page itself was not seen loading: {requested}")
    check(not others, f"{name}: requests other than the page: {others}")


def no_alert(driver, name):
    try:
        alert = driver.switch_to.alert
        check(False, f"{name}: an alert ran: {alert.text!r}")
        alert.dismiss()
    except NoAlertPresentException:
        pass


def page_data(driver):
    return json.loads(driver.execute_script("return document.getElementById('claimgraph-data').textContent"))


def activate(driver, element):
    """Focus an SVG group with the keyboard's path and press Enter."""
    driver.execute_script("arguments[0].focus()", element)
    element.send_keys(Keys.ENTER)


def check_crossings(driver, cli_paths):
    """Each listed path flags the context changes `claimgraph trace` reports:
    the same fields, and the values on either side of each change."""
    items = driver.find_elements(By.CSS_SELECTOR, "#trace-results li.path")
    crossing = [p for p in cli_paths if p["crosses_context"]]
    check(0 < len(crossing) < len(cli_paths), f"the trace has paths that cross contexts and paths that do not: {len(crossing)}")
    for item, path in zip(items, cli_paths):
        fields = [c["field"] for c in path["context_changes"]]
        flagged = item.get_attribute("data-crosses").split()
        check(flagged == fields, f"path {path['entities']}: page flags {flagged}, the CLI {fields}")
        shown = [s.text for s in item.find_elements(By.CSS_SELECTOR, ".crossing")]
        for change, text in zip(path["context_changes"], shown):
            for value in change["from"] + change["to"]:
                check(value in text, f"path {path['entities']}: the {change['field']} change shows {value!r}: {text!r}")


def check_conflicts(driver, data):
    """A claim in a conflict lists the claims on the other side of it, which
    the page data stores once per conflict."""
    check(all("conflicts" not in c for c in data["claims"]), "claims refer to conflicts by number")
    claim = next((c for c in data["claims"] if c.get("conflict") is not None), None)
    if not check(claim is not None, "the curated graph has a conflict"):
        return
    side, against = data["conflicts"][claim["conflict"]]
    others = against if claim["id"] in side else side
    activate(driver, driver.find_element(By.CSS_SELECTOR, f'#diagram g[data-claims~="{claim["id"]}"]'))
    article = driver.find_element(By.CSS_SELECTOR, f'#details article[data-claim="{claim["id"]}"]')
    listed = article.find_elements(By.CSS_SELECTOR, ".conflicts li")
    check(len(listed) == len(others) > 0, f"{claim['id']} lists {len(listed)} conflicting claims, want {others}")
    by_id = {c["id"]: c for c in data["claims"]}
    for other in others:
        o = by_id[other]
        check((o["subject"], o["object"]) == (claim["subject"], claim["object"]), f"{other} conflicts on the same endpoints")
        check(o["negated"] != claim["negated"] or o["sign"] != claim["sign"], f"{other} contradicts {claim['id']}")


def curated(driver, binary, out):
    page = out / "zinc-bone.html"
    export(binary, [], page)
    seconds = open_page(driver, page)
    print(f"curated page: {page.stat().st_size} bytes, loaded in {seconds:.2f} s")
    no_errors_and_no_network(driver, page, "curated")
    # Every drawn edge and node carries its data attributes.
    data = page_data(driver)
    edges = driver.find_elements(By.CSS_SELECTOR, "#diagram g[data-claims]")
    nodes = driver.find_elements(By.CSS_SELECTOR, "#diagram g[data-entity]")
    check(len(nodes) == len(data["entities"]), f"{len(nodes)} nodes for {len(data['entities'])} entities")
    claimed = {c for e in edges for c in e.get_attribute("data-claims").split()}
    check(claimed == {c["id"] for c in data["claims"]}, "every claim is on exactly the drawn edges")

    # A real mouse click on the edge carrying zinc--cofactor_of--alp, after
    # zooming in on its label with the wheel as a reader would: at "fit" the
    # whole curated graph's labels are a few pixels tall.
    edge = driver.find_element(By.CSS_SELECTOR, '#diagram g[data-claims~="zinc--cofactor_of--alp"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", edge)
    label = edge.find_element(By.CSS_SELECTOR, "text")
    for _ in range(5):
        webdriver.ActionChains(driver).scroll_from_origin(ScrollOrigin.from_element(label), 0, -300).perform()
    webdriver.ActionChains(driver).move_to_element(label).click().perform()
    details = driver.find_element(By.ID, "details")
    check("zinc--cofactor_of--alp" in details.text, f"the panel shows the claim: {details.text[:300]!r}")
    dois = details.find_elements(By.CSS_SELECTOR, 'a[href^="https://doi.org/"]')
    check(len(dois) > 0, "the panel links the evidence's DOI")
    check("Zinc" in details.text and "Alkaline phosphatase" in details.text, "the panel names both ends")

    check_conflicts(driver, data)

    # The keyboard reaches a node; Enter shows it.
    activate(driver, driver.find_element(By.CSS_SELECTOR, '#diagram g[data-entity="zinc"]'))
    check("Claims out" in details.text and "CHEBI" in details.text, f"zinc's panel: {details.text[:200]!r}")

    # Search by an alias.
    search = driver.find_element(By.ID, "search")
    search.send_keys("Zn")
    matched = [g.get_attribute("data-entity") for g in driver.find_elements(By.CSS_SELECTOR, "#diagram g.match")]
    check("zinc" in matched, f"searching Zn highlights zinc: {matched}")
    search.clear()
    search.send_keys(Keys.BACKSPACE)

    # The in-page trace finds what `claimgraph trace` finds, in the same order.
    traced = subprocess.run(
        [binary, "trace", "zinc", "bone mineralization", "--format", "json"], capture_output=True, text=True
    )
    cli_paths = json.loads(traced.stdout)["paths"]
    expected = [p["entities"] for p in cli_paths]
    driver.find_element(By.ID, "trace-from").send_keys("zinc")
    driver.find_element(By.ID, "trace-to").send_keys("bone mineralization")
    driver.find_element(By.ID, "trace-run").click()
    got = [li.get_attribute("data-entities").split() for li in driver.find_elements(By.CSS_SELECTOR, "#trace-results li.path")]
    check(len(expected) > 1, f"the CLI finds several paths: {expected}")
    # The same paths in the same order: the CLI ranks paths that cross
    # contexts after the others, and so does the page.
    check(got == expected, f"page trace {got} != CLI trace {expected}")
    check_crossings(driver, cli_paths)
    on_path = {g.get_attribute("data-entity") for g in driver.find_elements(By.CSS_SELECTOR, "#diagram g.on-path[data-entity]")}
    check(on_path == {e for p in expected for e in p}, f"the highlighted entities are the paths' entities: {on_path}")
    driver.save_screenshot(str(out / "curated-trace.png"))
    driver.find_element(By.ID, "trace-clear").click()

    # A filter hides the contested claims: edges with only contested claims fade.
    driver.find_element(By.ID, "hide-contested").click()
    by_id = {c["id"]: c for c in data["claims"]}
    contested_only = 0
    for g in driver.find_elements(By.CSS_SELECTOR, "#diagram g[data-claims]"):
        ids = g.get_attribute("data-claims").split()
        all_contested = all(by_id[i]["contested"] for i in ids)
        contested_only += all_contested
        filtered = "filtered" in g.get_attribute("class").split()
        check(filtered == all_contested, f"edge {ids}: filtered={filtered}, all contested={all_contested}")
        if all_contested:
            opacity = float(driver.execute_script("return getComputedStyle(arguments[0]).opacity", g))
            check(opacity < 0.5, f"edge {ids} fades (opacity {opacity})")
    check(contested_only > 0, "the curated graph has edges carried only by contested claims")
    driver.find_element(By.ID, "hide-contested").click()

    driver.find_element(By.ID, "zoom-fit").click()
    driver.save_screenshot(str(out / "curated.png"))
    no_alert(driver, "curated")
    no_errors_and_no_network(driver, page, "curated after interaction", loading=False)


def hostile(driver, binary, out):
    page = out / "hostile.html"
    export(binary, ["--graph", str(ROOT / "tests/fixtures/export/hostile.json")], page)
    open_page(driver, page)
    no_errors_and_no_network(driver, page, "hostile")
    no_alert(driver, "hostile")
    data = page_data(driver)
    # Open every node and edge: each string shows as text, nothing runs.
    details = driver.find_element(By.ID, "details")
    for g in driver.find_elements(By.CSS_SELECTOR, "#diagram g[data-entity], #diagram g[data-claims]"):
        activate(driver, g)
        no_alert(driver, "hostile panel")
    img = next(e for e in data["entities"] if e["id"] == "img")
    activate(driver, driver.find_element(By.CSS_SELECTOR, '#diagram g[data-entity="img"]'))
    check(img["name"] in details.text, f"the markup-like name is text: {details.text[:200]!r}")
    check(img["description"] in details.text, "the </script> description is text")
    check(img["aliases"][0] in details.text, "the {{…}} alias is text")
    xrefs = [a.get_attribute("href") for a in details.find_elements(By.CSS_SELECTOR, ".xrefs a")]
    check(xrefs == ["https://identifiers.org/javascript:alert(4)"], f"a javascript: xref is an https link: {xrefs}")
    activate(driver, driver.find_element(By.CSS_SELECTOR, '#diagram g[data-claims~="img--increases--greek"]'))
    check("</script><script>alert(7)</script>" in details.text, "the quote is text")
    check("{{7*7}} ${alert(9)}" in details.text, "the summary is text, not a template")
    long_name = next(e["name"] for e in data["entities"] if e["id"] == "long")
    activate(driver, driver.find_element(By.CSS_SELECTOR, '#diagram g[data-entity="long"]'))
    check(len(long_name) == 500 and long_name in details.text, "the 500-character name is shown whole")
    injected = driver.execute_script(
        "return document.querySelectorAll('img, iframe, object, embed, svg svg, script:not([type]), script[type=\"application/json\"]').length"
    )
    check(injected == 3, f"no injected element: {injected} scripts/images (want the 3 scripts the page has)")
    hrefs = driver.execute_script("return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    check(all(h.startswith(("https://", "http://")) for h in hrefs), f"only http(s) links: {hrefs}")
    check(len(driver.execute_script("return document.querySelectorAll('#references li').length > 0 ? [1] : []")) == 1, "a bibliography")
    bad_ref = next(r for r in data["references"] if r["id"] == "data-url")
    check(bad_ref["link"] is None, f"a data: URL is never a link: {bad_ref}")
    driver.save_screenshot(str(out / "hostile.png"))
    no_alert(driver, "hostile")
    no_errors_and_no_network(driver, page, "hostile after interaction", loading=False)


def measure(page):
    with tempfile.TemporaryDirectory() as profile:
        driver = browser(profile)
        try:
            seconds = open_page(driver, Path(page).resolve())
            timing = driver.execute_script(
                "const n = performance.getEntriesByType('navigation')[0];"
                "return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd};"
            )
            start = time.monotonic()
            driver.find_element(By.ID, "hide-contested").click()
            driver.execute_script("return 1")
            filter_s = time.monotonic() - start
            start = time.monotonic()
            driver.find_element(By.ID, "search").send_keys("a")
            driver.execute_script("return 1")
            search_s = time.monotonic() - start
            # The busiest edge: its panel lists the most claims.
            busiest = driver.execute_script(
                "return Array.from(document.querySelectorAll('#diagram g[data-claims]'))"
                ".sort((a, b) => b.getAttribute('data-claims').length - a.getAttribute('data-claims').length)[0]"
            )
            start = time.monotonic()
            activate(driver, busiest)
            driver.execute_script("return 1")
            panel_s = time.monotonic() - start
            claims = len(busiest.get_attribute("data-claims").split())
            # A trace between the first two entities of the page.
            data = page_data(driver)
            ends = [data["entities"][0]["id"], data["entities"][-1]["id"]]
            driver.find_element(By.ID, "trace-from").send_keys(ends[0])
            driver.find_element(By.ID, "trace-to").send_keys(ends[1])
            start = time.monotonic()
            driver.find_element(By.ID, "trace-run").click()
            driver.execute_script("return 1")
            trace_s = time.monotonic() - start
            paths = len(driver.find_elements(By.CSS_SELECTOR, "#trace-results li.path"))
            print(
                f"{page}: {os.path.getsize(page)} bytes, {len(data['claims'])} claims; ready after {seconds:.2f} s "
                f"(DOMContentLoaded {timing['dom']:.0f} ms, load {timing['load']:.0f} ms); "
                f"a filter {filter_s:.2f} s, a search keystroke {search_s:.2f} s, "
                f"the panel of an edge with {claims} claims {panel_s:.2f} s, "
                f"a trace {ends[0]} → {ends[1]} ({paths} paths) {trace_s:.2f} s"
            )
        finally:
            driver.quit()


def screenshot(page, png):
    """The page as a reader first meets it: an edge clicked, its evidence in the panel."""
    with tempfile.TemporaryDirectory() as profile:
        driver = browser(profile)
        try:
            open_page(driver, Path(page).resolve())
            edge = driver.find_element(By.CSS_SELECTOR, '#diagram g[data-claims~="zinc--cofactor_of--alp"]')
            activate(driver, edge)
            driver.find_element(By.ID, "search").send_keys("alkaline")
            for _ in range(5):
                driver.find_element(By.ID, "zoom-in").click()
            time.sleep(0.5)
            driver.save_screenshot(png)
        finally:
            driver.quit()


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "screenshot":
        screenshot(sys.argv[2], sys.argv[3])
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "measure":
        measure(sys.argv[2])
        return 0
    if len(sys.argv) != 4 or sys.argv[1] != "check":
        print(__doc__, file=sys.stderr)
        return 2
    binary, out = sys.argv[2], Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        driver = browser(profile)
        try:
            curated(driver, binary, out)
            hostile(driver, binary, out)
        finally:
            driver.quit()
    if FAILURES:
        print(f"{len(FAILURES)} browser checks failed", file=sys.stderr)
        return 1
    print("every browser check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Loads /docs of a running fxrates in headless Chromium and checks what a person would see.

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: file descriptors 3 and 4,
messages of JSON ended by a NUL byte), so nothing but the standard library is needed. The checks:

  * the rendered page lists every path of the server's /openapi.json (Swagger UI's operation summaries);
  * every request the page made (the DevTools network log: documents, scripts, styles, fetches, images)
    went to the server's own origin, or was a data: URL, which never leaves the browser;
  * the browser reported no Content-Security-Policy violation and no script error;
  * a screenshot can be taken (written to --screenshot when given).

The browser knows the server as http://fxrates.test:PORT, not as 127.0.0.1: Swagger UI treats a document
on localhost or 127.0.0.1 differently (no call to its online validator), and the page must hold for the
host names it is really served under. Chromium cannot reach anything else in any
case: every other host name resolves to nothing (--host-resolver-rules) and every other address goes
through a proxy on a closed loopback port, so a request to another origin fails rather than leaves the
machine; the network log is what shows it was attempted.
Chromium runs in a process group of its own, killed whatever happens, and the whole run is bounded by
--timeout seconds.
"""
import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

# Run in the page before any of its scripts (DevTools scripts are not subject to the page's CSP): collects
# the page's CSP violations, which the page cannot see otherwise.
VIOLATION_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || "?"}:${event.lineNumber || 0})`);
});
"""

# Resolves with the paths Swagger UI shows once every expected one is shown; watches the DOM, no polling.
RENDERED_PATHS = """
new Promise((resolve) => {
  const expected = new Set(%s);
  const shown = () => Array.from(document.querySelectorAll(".opblock-summary-path"),
                                 (element) => element.getAttribute("data-path"));
  const check = () => {
    const paths = shown();
    if ([...expected].every((path) => paths.includes(path))) { observer.disconnect(); resolve(paths); }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.documentElement, {childList: true, subtree: true});
  check();
})
"""

SHOWN_PATHS = """Array.from(document.querySelectorAll(".opblock-summary-path"), (e) => e.getAttribute("data-path"))"""


class Failure(Exception):
    pass


class DevTools:
    """The browser end of --remote-debugging-pipe: commands out, replies and events in."""

    def __init__(self, to_browser, from_browser, deadline):
        self.to_browser, self.from_browser, self.deadline = to_browser, from_browser, deadline
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive(self.deadline)
            if reply is None:
                raise Failure(f"no answer to {method} in time")
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise Failure(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method):
        """Waits for the event `method`, or one already received."""
        while not any(event["method"] == method for event in self.events):
            message = self.receive(self.deadline)
            if message is None:
                raise Failure(f"no {method} in time")
            if "method" in message:
                self.events.append(message)

    def receive(self, until):
        while b"\0" not in self.buffer:
            remaining = until - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.from_browser], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise Failure("Chromium closed the DevTools pipe (did it crash? see its output above)")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(message)


def high_fd(fd):
    """The descriptor moved to 10 or above, so that placing the pipe ends on 3 and 4 clobbers neither."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


# The server's name in the browser (RFC 6761 reserves .test).
HOST_NAME = "fxrates.test"


def start_chromium(binary, profile, output):
    commands_read, commands_write = map(high_fd, os.pipe())
    replies_read, replies_write = map(high_fd, os.pipe())

    def place_pipe_ends():
        os.dup2(commands_read, 3)
        os.dup2(replies_write, 4)

    arguments = [
        binary, "--headless", "--remote-debugging-pipe", f"--user-data-dir={profile}",
        f"--host-resolver-rules=MAP {HOST_NAME} 127.0.0.1, MAP * ~NOTFOUND",
        # Everything but the server goes to a port where nothing listens.
        "--proxy-server=http://127.0.0.1:9", f"--proxy-bypass-list={HOST_NAME}",
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-default-apps", "--disable-extensions", "--disable-sync",
        "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "about:blank",
    ]
    if os.geteuid() == 0:
        # Chromium refuses to run as root with its sandbox; CI runs as root.
        arguments.insert(1, "--no-sandbox")
    process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
                               pass_fds=(3, 4), preexec_fn=place_pipe_ends, start_new_session=True)
    for fd in (commands_read, replies_write):
        os.close(fd)
    return process, commands_write, replies_read


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def origin(url):
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def check_docs(devtools, base, expected_paths, screenshot, width, height):
    target = devtools.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = devtools.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Network", "Page", "Runtime", "Log"):
        devtools.send(f"{domain}.enable", session=session)
    devtools.send("Page.addScriptToEvaluateOnNewDocument", {"source": VIOLATION_RECORDER}, session=session)
    devtools.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
    navigation = devtools.send("Page.navigate", {"url": f"{base}/docs"}, session=session)
    if navigation.get("errorText"):
        raise Failure(f"GET /docs: {navigation['errorText']}")
    # Evaluated before the load, the expression would run in about:blank, which the navigation replaces.
    devtools.wait_for("Page.loadEventFired")

    problems = []
    try:
        rendered = devtools.send("Runtime.evaluate", {
            "expression": RENDERED_PATHS % json.dumps(sorted(expected_paths)),
            "awaitPromise": True, "returnByValue": True,
        }, session=session)["result"]["value"]
    except Failure as failure:
        if "in time" not in str(failure):
            raise
        # Out of time: a few more seconds to gather what the page shows and did, for the report.
        devtools.deadline = time.monotonic() + 10
        shown = devtools.send("Runtime.evaluate", {"expression": SHOWN_PATHS, "returnByValue": True},
                              session=session)["result"].get("value") or []
        problems.append(f"the page does not show these paths: {sorted(set(expected_paths) - set(shown))}")
        rendered = shown
    print(f"docs-browser-test: the page shows {len(set(rendered))} paths: {', '.join(sorted(set(rendered)))}")

    violations = devtools.send("Runtime.evaluate", {"expression": "window.__cspViolations",
                                                    "returnByValue": True}, session=session)["result"]
    for violation in violations.get("value") or []:
        problems.append(f"Content-Security-Policy violation: {violation}")

    requests = [event["params"]["request"]["url"] for event in devtools.events
                if event["method"] == "Network.requestWillBeSent"]
    statuses = {event["params"]["response"]["url"]: event["params"]["response"]["status"]
                for event in devtools.events if event["method"] == "Network.responseReceived"}
    own = [url for url in requests if origin(url) == base]
    inline = [url for url in requests if url.startswith("data:")]
    foreign = [url for url in requests if url not in own and url not in inline]
    print(f"docs-browser-test: {len(requests)} requests: {len(own)} to {base}, {len(inline)} data: URLs, "
          f"{len(foreign)} elsewhere")
    for url in own:
        print(f"  {statuses.get(url, '-')} {url}")
    problems += [f"a request left the server's origin: {url}" for url in foreign]
    for path in ("/docs", "/openapi.json"):
        if statuses.get(f"{base}{path}") != 200:
            problems.append(f"GET {path} was not answered 200 ({statuses.get(f'{base}{path}')})")
    for event in devtools.events:
        if event["method"] == "Runtime.exceptionThrown":
            details = event["params"]["exceptionDetails"]
            problems.append(f"script error: {details.get('exception', {}).get('description') or details['text']}")
        elif event["method"] == "Log.entryAdded" and event["params"]["entry"]["level"] == "error":
            entry = event["params"]["entry"]
            problems.append(f"browser error ({entry['source']}): {entry['text']} {entry.get('url', '')}")

    if screenshot:
        image = devtools.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        with open(screenshot, "wb") as file:
            file.write(base64.b64decode(image))
        print(f"docs-browser-test: screenshot written to {screenshot}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the server, such as http://127.0.0.1:18434")
    parser.add_argument("--screenshot", help="where to write a PNG of the page")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=760)
    parser.add_argument("--timeout", type=float, default=60, help="seconds for the whole check")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    arguments = parser.parse_args()
    server = arguments.base.rstrip("/")
    base = f"http://{HOST_NAME}:{urllib.parse.urlsplit(server).port}"
    deadline = time.monotonic() + arguments.timeout

    with urllib.request.urlopen(f"{server}/openapi.json", timeout=10) as response:
        expected_paths = set(json.load(response)["paths"])
    # SIGTERM (make, timeout) ends the run through the `finally` below, which kills Chromium.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="fx-chromium-") as profile, \
            tempfile.TemporaryFile() as output:
        process, to_browser, from_browser = start_chromium(arguments.chromium, profile, output)
        try:
            problems = check_docs(DevTools(to_browser, from_browser, deadline), base, expected_paths,
                                  arguments.screenshot, arguments.width, arguments.height)
        except Failure as failure:
            problems = [str(failure)]
        finally:
            stop(process)
            os.close(to_browser)
            os.close(from_browser)
        if problems:
            output.seek(0)
            sys.stderr.write(output.read().decode(errors="replace")[-4000:])
    for problem in problems:
        print(f"docs-browser-test: FAIL: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"docs-browser-test: ok: all {len(expected_paths)} paths shown, every request to {base}, "
          "no CSP violation")
    return 0


if __name__ == "__main__":
    sys.exit(main())

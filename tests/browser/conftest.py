"""Browser fixtures: Debian's chromium through Playwright, a loopback server, request accounting.

These tests never skip: without chromium they fail and say how to install it.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import zipfile
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import run_handbook

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", ""}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@contextlib.contextmanager
def serve(directory: Path, cache_seconds: int = 0):
    """Serve ``directory`` on 127.0.0.1 (an ephemeral port); yields the base URL.

    With ``cache_seconds`` the responses say ``Cache-Control: max-age``, as a deployed site's
    server would for files built days ago: the browser then reuses the theme's assets and the
    search shards (versioned ``?v=``) instead of asking again on every page load."""
    handler = functools.partial(_CachingHandler if cache_seconds else _QuietHandler, directory=str(directory))
    handler.keywords["cache_seconds"] = cache_seconds
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site_server(built_handbook):
    """The real handbook served for the whole session."""
    with serve(built_handbook / "site") as url:
        yield url


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # chromium drops connections it no longer needs (a page left mid-load): not a failure
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, cache_seconds: int = 0, **kwargs):
        self.cache_seconds = cache_seconds
        super().__init__(*args, **kwargs)

    def log_message(self, *args):
        pass


class _CachingHandler(_QuietHandler):
    def end_headers(self):
        self.send_header("Cache-Control", f"max-age={self.cache_seconds}")
        super().end_headers()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for the browser tests: apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--disable-quic"],
        )
        yield instance
        instance.close()


class RequestLog:
    """Every request a page made, with the non-local ones blocked and kept."""

    def __init__(self):
        self.foreign: list[str] = []
        self.local: list[str] = []

    def route(self, route):
        if self.observe(route.request):
            route.continue_()
        else:
            route.abort()

    def observe(self, request) -> bool:
        """Record ``request``; True when it stays on this machine."""
        url = request.url
        parsed = urlparse(url)
        local = parsed.scheme in ("file", "data", "blob", "about") or parsed.hostname in LOCAL_HOSTS
        (self.local if local else self.foreign).append(url)
        return local


@contextlib.contextmanager
def _logged_context(browser, block: bool):
    """A fresh zh-CN context with a RequestLog as ``request_log``: requests to another host are
    blocked (``block``: each routed through Playwright) or only recorded (routing costs a round
    trip per request and turns the browser's cache off)."""
    log = RequestLog()
    ctx = browser.new_context(locale="zh-CN")
    if block:
        ctx.route("**/*", log.route)
    else:
        ctx.on("request", log.observe)
    ctx.request_log = log
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def context(browser):
    """A fresh browser context whose requests to any other host are blocked and counted."""
    with _logged_context(browser, block=True) as ctx:
        yield ctx


@pytest.fixture
def watched_context(browser):
    """A fresh browser context whose requests are recorded, not intercepted: the search gates
    (214 page loads each) ran twice as slow routed. A request to another host is still seen."""
    with _logged_context(browser, block=False) as ctx:
        yield ctx


@pytest.fixture
def phone(browser):
    """A 360 px wide phone with WeChat's in-app browser user agent."""
    log = RequestLog()
    ctx = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        user_agent=("Mozilla/5.0 (Linux; Android 13; V2154A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
                    "Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560 "
                    "WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"),
    )
    ctx.route("**/*", log.route)
    ctx.request_log = log
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def offline_site(built_handbook, tmp_path_factory):
    """The offline zip, built by `handbook offline` and unzipped as a reader would."""
    zip_path = tmp_path_factory.mktemp("offline") / "handbook-offline.zip"
    result = run_handbook("offline", "--zip", str(zip_path), cwd=built_handbook)
    assert result.returncode == 0, result.stderr
    target = zip_path.parent / "unzipped"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(target)
    return target / "handbook"

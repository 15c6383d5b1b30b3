"""End-to-end fixtures: a live newsift server on loopback and headless Chromium (selenium).

Tests skip, saying why, when selenium, Chromium or chromedriver is missing (install Debian's
``chromium`` and ``chromium-driver`` packages and ``pip install -e '.[dev]'``). Screenshots go
to ``$NEWSIFT_ARTIFACTS`` (default ``tmp/artifacts/e2e`` in the repository) for review.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
DRIVERS = ("chromedriver",)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = Path(os.environ.get("NEWSIFT_ARTIFACTS", REPO / "tmp" / "artifacts" / "e2e"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """A uvicorn server in a thread, with the fake corpus, on a free loopback port."""
    import uvicorn

    from newsift.web.app import create_app
    from tests.unit.web_fakes import FakeCorpus

    port = _free_port()
    app = create_app(corpus=FakeCorpus())
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the newsift server did not start within 30 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium driven by selenium; skips with the reason when it cannot start."""
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[dev]')")
    binary = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, BROWSERS)), None)
    driver_path = os.environ.get("CHROMEDRIVER") or next(
        filter(None, map(shutil.which, DRIVERS)), None
    )
    if not binary or not driver_path:
        pytest.skip(
            "no headless browser: install Debian's `chromium` and `chromium-driver` packages "
            f"(found browser={binary}, chromedriver={driver_path})"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1800",
        "--no-first-run",
        "--disable-extensions",
    ):
        options.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
    except WebDriverException as err:
        pytest.skip(f"Chromium could not be started: {str(err).splitlines()[0]}")
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()

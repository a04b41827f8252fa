"""End-to-end tests of the policy workbench in a real Chromium, driven by Selenium.

They run in ``nox -s browser``, which installs Selenium and Debian's ``chromium`` and
``chromium-driver`` and sets ``EDUPOLICY_BROWSER_TESTS=1``; elsewhere they are skipped
with the reason.  ``EDUPOLICY_SCREENSHOTS=DIR`` saves a screenshot of each page there
(the docs' images).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def _which(names: tuple[str, ...]) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = None
    if os.environ.get("EDUPOLICY_BROWSER_TESTS") != "1":
        reason = "browser tests run in `nox -s browser` (EDUPOLICY_BROWSER_TESTS=1)"
    elif _which(CHROMIUM) is None or _which(("chromedriver",)) is None:
        reason = "no chromium and chromedriver: apt-get install chromium chromium-driver"
    if reason is None:
        return
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The service with its workbench, on a free local port, in a thread."""
    import uvicorn

    from edupolicy.server import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(["jinfeng"]), host="127.0.0.1", port=port, log_level="warning"
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not instance.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the service did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, 1280 pixels wide, driven by its chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    chromium = _which(CHROMIUM)
    driver_path = _which(("chromedriver",))
    assert chromium is not None
    assert driver_path is not None
    options.binary_location = chromium
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.set_window_size(1280, 1000)
    yield driver
    driver.quit()


@pytest.fixture
def shot(browser: Any) -> Callable[..., None]:
    """Save a screenshot of the page shown as ``NAME.png`` in ``EDUPOLICY_SCREENSHOTS``."""

    def save(name: str, at: str | None = None) -> None:
        folder = os.environ.get("EDUPOLICY_SCREENSHOTS")
        if folder:
            if at is not None:  # the part of the page to show
                from selenium.webdriver.common.by import By

                element = browser.find_element(By.CSS_SELECTOR, at)
                browser.execute_script("arguments[0].scrollIntoView()", element)
            Path(folder).mkdir(parents=True, exist_ok=True)
            browser.save_screenshot(str(Path(folder) / f"{name}.png"))

    return save

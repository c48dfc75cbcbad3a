"""The nurse page in headless Chromium against a real server: paste, generate, edit, save,
see a stale save refused, and open the print view."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from PIL import Image, ImageStat

from careexplain.api.app import create_app
from careexplain.api.state import AppState
from tests.profile.notes import MIXED_NOTE

pytestmark = pytest.mark.integration
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SLOW_MS = 240_000  # generation runs the guard over every sentence on a shared 2-core machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(app_state: AppState) -> Iterator[str]:
    """A real uvicorn server on a free port, in a thread, on the shared test state."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(app_state.settings, app_state), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 180
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=30)


def test_nurse_page_end_to_end(server: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{server}/nurse")

            # Paste the note and see its entities.
            page.fill("#note", MIXED_NOTE)
            page.click("#preview")
            expect(page.locator("input.topic")).to_have_count(4, timeout=SLOW_MS)
            assert page.locator("#entities mark").count() >= 8
            topics = set(page.locator("input.topic").evaluate_all("els => els.map(e => e.value)"))
            assert topics == {"type 2 diabetes mellitus", "hypertension", "metformin", "lisinopril"}

            # Choose topics and level, generate.
            page.uncheck("input.topic[value='hypertension']")
            page.select_option("#level", "5")
            page.fill("#preferred-name", "Ann")
            page.click("#generate")
            expect(page.locator("#version")).to_have_text("1", timeout=SLOW_MS)
            expect(page.locator("#title")).to_have_value("Your care plan, Ann")
            legends = page.locator("#sections legend").all_inner_texts()
            assert len(legends) == 3
            assert not any("ypertension" in legend for legend in legends)
            expect(page.locator("#quality li")).to_have_count(8)

            # Edit and save.
            page.fill("#title", "Ann's diabetes plan")
            todo = page.locator("textarea[data-facet='what_to_do']").first
            todo.fill(todo.input_value() + "\nBring this sheet to your next visit.")
            page.click("#save")
            expect(page.locator("#status")).to_have_text("Saved version 2.", timeout=SLOW_MS)
            expect(page.locator("#version")).to_have_text("2")
            handout_id = page.locator("#handout-id").inner_text()

            # Someone else saves version 3; this page still holds version 2: refused, not lost.
            current = page.request.get(f"{server}/v1/handouts/{handout_id}").json()
            other = {**current["content"], "title": "Edited elsewhere"}
            put = page.request.put(
                f"{server}/v1/handouts/{handout_id}", data={"content": other, "version": 2}
            )
            assert put.status == 200
            page.fill("#title", "Ann's second edit")
            page.click("#save")
            expect(page.locator("#status")).to_contain_text("Not saved", timeout=SLOW_MS)
            revisions = page.request.get(f"{server}/v1/handouts/{handout_id}/revisions").json()
            assert [r["status"] for r in revisions] == [
                "accepted",
                "accepted",
                "accepted",
                "rejected",
            ]

            # Print view of the saved handout.
            with context.expect_page() as opened:
                page.click("#print")
            printed = opened.value
            printed.wait_for_load_state()
            text = printed.locator("body").inner_text()
            assert "Edited elsewhere" in text
            assert "Bring this sheet to your next visit." in text
            assert "When to get emergency help" in text
            assert "500 mg" in text
            shot = tmp_path / "print.png"
            printed.emulate_media(media="print")
            printed.screenshot(path=str(shot), full_page=True)
            with Image.open(shot) as image:
                assert min(ImageStat.Stat(image.convert("L")).extrema[0]) < 100
        finally:
            browser.close()

"""report.html opened in headless Chromium: it renders, its tables show, it is not blank."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageStat

from careexplain.evaluation.config import load_file
from careexplain.evaluation.runner import REPORT_NAME, run
from careexplain.index.embeddings import Embedder
from tests.helpers import FAST_MODEL, make_settings

pytestmark = pytest.mark.integration
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SUITE = """
suites:
  retrieval:
    modes: [bm25, hybrid]
    datasets:
      - kind: trec
        name: guidance
        qrels: eval/cases/guidance.qrels
        topics: eval/cases/guidance.topics
  safety:
    categories: [red_flag_en, red_flag_es]  # no generation: the gate answers these
    limit_per_category: 2
  support: {limit: 30}
thresholds:
  retrieval.guidance.hybrid.recall@5: ">= 0.8"
  retrieval.guidance.bm25.recall@1: ">= 0.99"
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """Two real runs, the second against the first as its baseline."""
    tmp = tmp_path_factory.mktemp("report")
    (tmp / "suite.yaml").write_text(SUITE, encoding="utf-8")
    config = load_file(tmp / "suite.yaml")
    settings = make_settings(tmp / "data", **FAST_MODEL)
    _, first = run(config, settings, out_dir=tmp / "first", progress=False, embedder=embedder)
    _, second = run(
        config,
        settings,
        out_dir=tmp / "second",
        baseline=first,
        progress=False,
        embedder=embedder,
    )
    return second / REPORT_NAME


def test_the_report_renders_in_chromium(report: Path, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    shot = tmp_path / "report.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(report.as_uri())
        assert page.title().startswith("CareExplain evaluation")
        # Thresholds, the retrieval matrix, safety, support and the baseline diff all render.
        assert page.locator("table").count() >= 5
        thresholds = page.locator("table").first
        assert thresholds.bounding_box() is not None
        assert "recall@5" in thresholds.inner_text()
        assert "FAIL" in thresholds.inner_text()  # bm25 recall@1 >= 0.99 is out of reach
        diff = page.locator("table.diff")
        assert diff.count() == 1
        assert "retrieval.guidance.hybrid.recall@5" in diff.inner_text()
        images = page.locator("img")
        assert images.count() >= 2
        assert all(
            images.nth(i).evaluate("img => img.naturalWidth > 0") for i in range(images.count())
        )
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    with Image.open(shot) as image:
        assert image.height > 900  # full page: longer than one screen
        stat = ImageStat.Stat(image.convert("L"))
        assert stat.stddev[0] > 10  # not a blank page

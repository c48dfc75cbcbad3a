"""PDF checks for tests: rasterise with pdftoppm and look for ink on every page."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image


def page_ink(pdf: bytes, folder: Path) -> list[float]:
    """Share of non-white pixels on each page (pdftoppm -png -r 50)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "handout.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(source), str(folder / "page")],
        check=True,
        timeout=120,
    )
    shares = []
    for png in sorted(folder.glob("page*.png")):
        with Image.open(png) as image:
            gray = image.convert("L")
            pixels = list(gray.getdata())
        shares.append(sum(p < 200 for p in pixels) / len(pixels))
    return shares

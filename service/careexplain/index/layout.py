"""Index builds: ``builds/<id>/`` folders and a ``current`` pointer, swapped atomically."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from pathlib import Path

CURRENT = "current"
BUILDS = "builds"
PARTIAL_SUFFIX = ".partial"
LOCK_FILE = ".ingest.lock"
KEEP_BUILDS = 2


def new_build_id() -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{secrets.token_hex(3)}"


def current_build(root: Path) -> Path | None:
    """The build the ``current`` pointer names, or None when nothing was built yet."""
    pointer = root / CURRENT
    if not pointer.is_symlink():
        return None
    target = root / os.readlink(pointer)
    return target if target.is_dir() else None


def current_build_id(root: Path) -> str | None:
    pointer = root / CURRENT
    try:
        return Path(os.readlink(pointer)).name
    except OSError:
        return None


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(root: Path, build: Path) -> None:
    """Point ``current`` at ``build``: a symlink replaced by rename, so readers never see a gap."""
    tmp = root / f".{CURRENT}.{secrets.token_hex(4)}"
    os.symlink(Path(BUILDS) / build.name, tmp)
    os.replace(tmp, root / CURRENT)
    fsync_dir(root)


def prune_builds(root: Path) -> None:
    """Remove leftovers of crashed ingests and all but the newest finished builds."""
    builds = root / BUILDS
    if not builds.is_dir():
        return
    keep = current_build(root)
    finished = sorted(
        p for p in builds.iterdir() if p.is_dir() and not p.name.endswith(PARTIAL_SUFFIX)
    )
    old = [p for p in finished[:-KEEP_BUILDS] if p != keep]
    partial = [p for p in builds.iterdir() if p.name.endswith(PARTIAL_SUFFIX)]
    for path in old + partial:
        shutil.rmtree(path, ignore_errors=True)

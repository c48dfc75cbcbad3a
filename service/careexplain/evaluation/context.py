"""What every suite gets: the configuration, the target workspace, shared models, progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.progress import Progress

from careexplain.evaluation.config import EvalConfig
from careexplain.evaluation.target import Workspace
from careexplain.index.embeddings import Embedder
from careexplain.settings import Settings


@dataclass
class RunContext:
    config: EvalConfig
    settings: Settings
    workspace: Workspace
    embedder: Embedder
    progress: Progress | None = None
    limit: int | None = None

    def cap(self, n: int | None) -> int | None:
        """A count from the suite file, capped by ``--limit``."""
        if self.limit is None:
            return n
        return self.limit if n is None else min(n, self.limit)

    def step(self, description: str, total: int) -> Callable[[], None]:
        """A progress bar line; the returned function advances it by one."""
        if self.progress is None:
            return lambda: None
        progress = self.progress
        task = progress.add_task(description, total=total)
        return lambda: progress.advance(task)

"""Suite files (YAML) and their schema: validated, with E701 naming the bad field."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from careexplain.errors import EvalConfigError
from careexplain.evaluation.thresholds import parse_rule
from careexplain.settings import REPO_ROOT

SUITES_DIR = REPO_ROOT / "eval" / "suites"
Mode = Literal["bm25", "dense", "hybrid"]
MODES: tuple[Mode, ...] = ("bm25", "dense", "hybrid")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TrecDataset(_Strict):
    """Any TREC qrels + topics, searched in the target's own index ("deployed")."""

    kind: Literal["trec"]
    name: str
    qrels: Path
    topics: Path
    limit: int | None = Field(default=None, ge=1)


class MedquadDataset(_Strict):
    """MedQuAD question → its own answer, over an index of a seeded sample of pairs."""

    kind: Literal["medquad"]
    name: str = "medquad"
    documents: int = Field(default=2000, ge=10, description="Pairs indexed (sample).")
    questions: int = Field(default=200, ge=1, description="Questions asked (from the sample).")


class RqeDataset(_Strict):
    """RQE test pairs: the FAQ side indexed, consumer questions as queries, entails=true."""

    kind: Literal["rqe"]
    name: str = "rqe"
    limit: int | None = Field(default=None, ge=1, description="Queries asked.")


RetrievalDataset = Annotated[TrecDataset | MedquadDataset | RqeDataset, Field(discriminator="kind")]


class RetrievalSuite(_Strict):
    modes: list[Mode] = Field(default_factory=lambda: list(MODES))
    ks: list[int] = Field(default_factory=lambda: [1, 5, 10])
    datasets: list[RetrievalDataset] = Field(min_length=1)


class QuestionSet(_Strict):
    """Questions for /v1/chat: curated cases with expectations, MeQSum or MedQuAD."""

    kind: Literal["cases", "meqsum", "medquad"]
    name: str
    path: Path | None = None
    limit: int | None = Field(default=None, ge=1)


class JudgeConfig(_Strict):
    """Optional LLM-as-judge faithfulness through an OpenAI-compatible endpoint."""

    enabled: bool = False
    base_url: str = ""
    model: str = ""
    api_key_env: str = "CAREEXPLAIN_JUDGE_API_KEY"
    timeout_s: float = Field(default=60.0, gt=0)


class AnswersSuite(_Strict):
    index: Literal["deployed", "medquad"] = "deployed"
    medquad_documents: int = Field(default=500, ge=10)
    reading_level: int = Field(default=6, ge=3, le=12)
    question_sets: list[QuestionSet] = Field(min_length=1)
    worst: int = Field(default=5, ge=0, description="Worst cases shown in the report.")
    judge: JudgeConfig = Field(default_factory=JudgeConfig)


class SafetySuite(_Strict):
    cases: Path = Path("eval/cases/safety.yaml")
    limit_per_category: int | None = Field(default=None, ge=1)
    categories: list[str] | None = None


class NotesSuite(_Strict):
    corpora: list[str] = Field(default_factory=list, description="Entity corpora (notes issue).")
    limit: int | None = Field(default=None, ge=1, description="Documents per corpus.")
    phi: Path | None = Path("eval/data/phi_notes.jsonl")


class SupportSuite(_Strict):
    path: Path = Path("eval/data/support_set.jsonl")
    sets: dict[str, Path] = Field(
        default_factory=lambda: {
            "heldout": Path("eval/data/support_heldout.jsonl"),
            "dev2": Path("eval/data/support_dev2.jsonl"),
            "dev3": Path("eval/data/support_dev3.jsonl"),
            "blind": Path("eval/data/support_blind.jsonl"),
            "blind2": Path("eval/data/support_blind2.jsonl"),
            "dev4": Path("eval/data/support_dev4.jsonl"),
            "blind3": Path("eval/data/support_blind3.jsonl"),
            "dev5": Path("eval/data/support_dev5.jsonl"),
            "blind4": Path("eval/data/support_blind4.jsonl"),
            "dev6": Path("eval/data/support_dev6.jsonl"),
            "blind5": Path("eval/data/support_blind5.jsonl"),
            "dev7": Path("eval/data/support_dev7.jsonl"),
            "blind6": Path("eval/data/support_blind6.jsonl"),
            "dev8": Path("eval/data/support_dev8.jsonl"),
            "dev9": Path("eval/data/support_dev9.jsonl"),
            "blind7": Path("eval/data/support_blind7.jsonl"),
        },
        description="Sets written without looking at the guard, each scored under its name.",
    )
    limit: int | None = Field(default=None, ge=1)


class Suites(_Strict):
    retrieval: RetrievalSuite | None = None
    answers: AnswersSuite | None = None
    safety: SafetySuite | None = None
    notes: NotesSuite | None = None
    support: SupportSuite | None = None


class EvalConfig(_Strict):
    """One suite file (or several merged)."""

    name: str
    description: str = ""
    include: list[str] = Field(default_factory=list)
    seed: int = 2026
    settings: dict[str, Any] = Field(
        default_factory=dict, description="Settings overrides for the in-process target."
    )
    suites: Suites = Field(default_factory=Suites)
    thresholds: dict[str, str] = Field(default_factory=dict)

    def enabled(self) -> list[str]:
        return [name for name, value in self.suites if value is not None]


def _describe(exc: ValidationError, source: str) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"])
        parts.append(f"{where}: {err['msg']}")
    return f"{source}: " + "; ".join(parts)


def resolve(name: str) -> Path:
    """A suite name (``smoke``) or a path to a YAML file."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return path
    candidate = SUITES_DIR / f"{name}.yaml"
    if candidate.is_file():
        return candidate
    known = ", ".join(sorted(p.stem for p in SUITES_DIR.glob("*.yaml")))
    raise EvalConfigError(f"unknown suite {name!r}: use one of {known} or a .yaml path")


def load_file(path: Path, seen: frozenset[Path] = frozenset()) -> EvalConfig:
    """Read and validate one suite file, merging the files it includes first."""
    path = path.resolve()
    if path in seen:
        raise EvalConfigError(f"{path.name}: include loop")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise EvalConfigError(f"{path.name}: not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(raw, dict):
        raise EvalConfigError(f"{path.name}: expected a mapping at the top level")
    raw.setdefault("name", path.stem)
    try:
        config = EvalConfig.model_validate(raw)
    except ValidationError as exc:
        raise EvalConfigError(_describe(exc, path.name)) from exc
    for rule in config.thresholds.values():
        parse_rule(rule)
    included = [load_file(resolve(n), seen | {path}) for n in config.include]
    return merge([*included, config], name=config.name) if included else config


def merge(configs: list[EvalConfig], name: str | None = None) -> EvalConfig:
    """Later files win: suites are replaced whole, settings and thresholds key by key."""
    if len(configs) == 1 and name is None:
        return configs[0]
    settings: dict[str, Any] = {}
    thresholds: dict[str, str] = {}
    suites: dict[str, Any] = {}
    for config in configs:
        settings.update(config.settings)
        thresholds.update(config.thresholds)
        suites.update({k: v for k, v in config.suites if v is not None})
    return EvalConfig(
        name=name or "+".join(c.name for c in configs),
        description="; ".join(c.description for c in configs if c.description),
        seed=configs[-1].seed,
        settings=settings,
        suites=Suites(**suites),
        thresholds=thresholds,
    )


def load(names: list[str]) -> EvalConfig:
    """The merged configuration of the named suite files (default: smoke)."""
    return merge([load_file(resolve(n)) for n in names or ["smoke"]])


def repo_path(path: Path) -> Path:
    """Relative paths in suite files are relative to the repository root."""
    return path if path.is_absolute() else REPO_ROOT / path

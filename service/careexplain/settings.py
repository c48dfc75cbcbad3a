"""The one settings object: every tunable comes from here (env prefix ``CAREEXPLAIN_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Runtime configuration, read from the environment and an optional ``.env`` file."""

    model_config = SettingsConfigDict(env_prefix="CAREEXPLAIN_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=REPO_ROOT / "data",
        description="Where the service keeps what it builds (index, databases, model cache).",
    )
    guidance_dir: Path = Field(
        default=REPO_ROOT / "knowledge_base" / "guidance",
        description="The bundled guidance indexed by default.",
    )
    shared_data_dir: Path = Field(
        default=REPO_ROOT.parent / "shared" / "data",
        description="Third-party data sets for tests, benchmarks and evaluation.",
    )

    # Embeddings
    embedding_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="'all-MiniLM-L6-v2' (bundled) or a path to a sentence-transformers folder.",
    )
    embedding_dtype: Literal["float32", "bfloat16"] = Field(
        default="bfloat16",
        description="bfloat16 uses AMX/AVX-512 BF16 where the CPU has it: far faster, same ranks.",
    )
    embedding_batch_size: int = Field(default=64, ge=1, le=1024)
    torch_threads: int = Field(default=0, ge=0, description="0 means all cores.")

    # Chunking
    chunk_tokens: int = Field(default=200, ge=32, le=512)
    chunk_overlap_tokens: int = Field(default=0, ge=0, le=128)

    # Index
    faiss_index_type: Literal["flat", "hnsw"] = "flat"
    hnsw_m: int = Field(default=32, ge=4, le=128)

    # Retrieval
    default_k: int = Field(default=5, ge=1, le=50)
    max_chunks_per_doc: int = Field(default=2, ge=1, le=50)
    candidate_pool: int = Field(default=100, ge=10, le=2000)
    fusion: Literal["rrf", "weighted_rrf", "convex"] = "convex"
    dense_weight: float = Field(default=0.7, ge=0.0, le=1.0)
    rrf_k: int = Field(default=60, ge=1)

    # Generation
    generator_backend: str = Field(default="transformers", description="transformers | openai")
    generator_model: str = Field(
        default="qwen2.5-coder-1.5b-instruct",
        description="A known model name (qwen2.5-coder-1.5b-instruct, smollm2-135m-instruct), "
        "a Hugging Face model folder, or a .gguf file.",
    )
    generator_dtype: Literal["bfloat16", "float32", "int8"] = Field(
        default="int8",
        description="int8 (dynamic, linear layers) decodes Qwen-1.5B 2.5x faster than bf16 here.",
    )
    models_cache: Path | None = Field(
        default=None, description="Where exported models live (default: DATA_DIR/models)."
    )
    max_new_tokens: int = Field(default=200, ge=16, le=2048)
    generation_timeout_s: float = Field(default=120.0, gt=0)
    generation_queue_size: int = Field(default=8, ge=0, le=256)
    generation_queue_wait_s: float = Field(default=60.0, gt=0)
    openai_base_url: str = ""
    openai_model: str = ""
    openai_api_key: str = ""
    openai_retries: int = Field(default=2, ge=0, le=10)

    # Chat
    retrieval_k: int = Field(default=4, ge=1, le=10, description="Sources given to the model.")
    min_supported_sentences: int = Field(default=2, ge=1, le=10)
    min_relevance: float = Field(
        default=0.45,
        ge=0.0,
        le=1.0,
        description="Below this dense similarity of the best source, the answer is 'not covered'.",
    )

    # Grounding
    support_judge_model: str = Field(
        default="qwen2.5-coder-1.5b-instruct",
        description="The model that reads whether a source says what a sentence says, next to "
        "the guard's word rules (a known model name or folder); empty turns it off and the "
        "rules decide alone.",
    )

    # Server
    host: str = "127.0.0.1"
    port: int = 8000
    database: str = Field(
        default="",
        description="SQLAlchemy database URL for conversations and handouts "
        "(default: SQLite in DATA_DIR).",
    )

    # Notes and PHI (add notes/PHI settings in this block)
    max_note_bytes: int = Field(
        default=100_000,
        ge=1_000,
        description="Largest note accepted (413 above it); about 15,000 words, and PHI "
        "detection takes seconds per 50 kB on one core.",
    )

    # Explanations and handouts (add explain/handout settings in this block)
    reading_grade: float = Field(
        default=6.0, ge=1.0, le=16.0, description="Target Flesch-Kincaid grade by default."
    )

    # Evaluation (add evaluation settings in this block)

    @property
    def models_dir(self) -> Path:
        """Exported local models (built once from verified package files)."""
        return self.models_cache or self.data_dir / "models"

    @property
    def database_url(self) -> str:
        return self.database or f"sqlite:///{self.data_dir / 'careexplain.sqlite'}"

    @property
    def index_root(self) -> Path:
        """The directory holding index builds and the ``current`` pointer."""
        return self.data_dir / "index"


@lru_cache
def get_settings() -> Settings:
    """Settings read once per process."""
    return Settings()

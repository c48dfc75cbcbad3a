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

    # Server
    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def index_root(self) -> Path:
        """The directory holding index builds and the ``current`` pointer."""
        return self.data_dir / "index"


@lru_cache
def get_settings() -> Settings:
    """Settings read once per process."""
    return Settings()

"""Plugin-style registry: a backend name in settings → a factory that builds the generator."""

from __future__ import annotations

from collections.abc import Callable

from careexplain.errors import ModelNotAvailableError
from careexplain.generate.backends.base import Generator
from careexplain.settings import Settings

Factory = Callable[[Settings], Generator]
BACKENDS: dict[str, Factory] = {}


def register(name: str) -> Callable[[Factory], Factory]:
    def add(factory: Factory) -> Factory:
        BACKENDS[name] = factory
        return factory

    return add


@register("transformers")
def _transformers(settings: Settings) -> Generator:
    from careexplain.generate.backends.transformers_local import TransformersGenerator
    from careexplain.generate.models import resolve_model

    folder = resolve_model(settings.generator_model, settings.models_dir)
    return TransformersGenerator(
        folder, settings.generator_model, settings.generator_dtype, settings.torch_threads
    )


@register("openai")
def _openai(settings: Settings) -> Generator:
    from careexplain.generate.backends.openai_http import OpenAIHTTPGenerator

    if not settings.openai_base_url:
        raise ModelNotAvailableError(
            "CAREEXPLAIN_GENERATOR_BACKEND=openai needs CAREEXPLAIN_OPENAI_BASE_URL "
            "(e.g. http://127.0.0.1:8080/v1)."
        )
    return OpenAIHTTPGenerator(
        settings.openai_base_url,
        settings.openai_model or settings.generator_model,
        settings.openai_api_key,
        settings.generation_timeout_s,
        settings.openai_retries,
    )


def load_generator(settings: Settings) -> Generator:
    """Build the configured generator (loads the model: call once, at start-up)."""
    factory = BACKENDS.get(settings.generator_backend)
    if factory is None:
        raise ModelNotAvailableError(
            f"Unknown generator backend {settings.generator_backend!r}; "
            f"choose one of {', '.join(BACKENDS)}."
        )
    return factory(settings)

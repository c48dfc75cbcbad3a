"""Local Hugging Face transformers models on the CPU, streamed token by token."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from careexplain.errors import GeneratorFailedError
from careexplain.generate.backends.base import ChatMessage, GenerationParams

log = logging.getLogger(__name__)


def load_causal_lm(folder: Path, dtype: str = "bfloat16", threads: int = 0) -> tuple[Any, Any]:
    """A local causal LM and its tokenizer, ready for inference on the CPU."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if threads:
        torch.set_num_threads(threads)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    # int8 quantises from fp32 weights; loading them directly (not bf16 then a copy) and
    # swapping layers in place keeps the peak near one fp32 copy of the model.
    torch_dtype = torch.bfloat16 if dtype == "bfloat16" else torch.float32
    model: Any = AutoModelForCausalLM.from_pretrained(folder, dtype=torch_dtype)
    if dtype == "int8":
        # Dynamic int8 for the linear layers: decode is memory-bound, so halving the bytes
        # read per token is what speeds it up.
        quantize: Any = torch.ao.quantization.quantize_dynamic
        model = quantize(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    model.eval()
    return tokenizer, model


class TransformersGenerator:
    """Loads a causal LM once; each call streams from a worker thread (off the event loop)."""

    def __init__(self, folder: Path, name: str, dtype: str = "bfloat16", threads: int = 0) -> None:
        started = time.perf_counter()
        self.name = name
        self.folder = folder
        self.dtype = dtype
        self.tokenizer, self.model = load_causal_lm(folder, dtype, threads)
        self.load_s = round(time.perf_counter() - started, 2)
        # One generation at a time per model: on a CPU, parallel decodes only slow each other.
        self._lock = threading.Lock()

    def info(self) -> dict[str, Any]:
        return {
            "backend": "transformers",
            "model": self.name,
            "dtype": self.dtype,
            "folder": str(self.folder),
            "load_s": self.load_s,
        }

    def prompt_ids(self, messages: Sequence[ChatMessage]) -> Any:
        return self.tokenizer.apply_chat_template(
            [m.model_dump() for m in messages],
            add_generation_prompt=True,
            return_tensors="pt",
            return_dict=True,
        )

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Iterator[str]:
        import torch
        from transformers import TextIteratorStreamer
        from transformers.generation.stopping_criteria import MaxTimeCriteria, StoppingCriteriaList

        inputs = self.prompt_ids(messages)
        streamer: Any = TextIteratorStreamer(
            self.tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=params.timeout_s
        )
        kwargs: dict[str, Any] = {
            **inputs,
            "streamer": streamer,
            "max_new_tokens": params.max_new_tokens,
            "stopping_criteria": StoppingCriteriaList([MaxTimeCriteria(params.timeout_s)]),
            "pad_token_id": self.tokenizer.pad_token_id or self.tokenizer.eos_token_id,
            "repetition_penalty": 1.1,
        }
        if params.temperature > 0:
            kwargs.update(do_sample=True, temperature=params.temperature, top_p=params.top_p)
        else:
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        failure: list[BaseException] = []

        def run() -> None:
            try:
                with self._lock, torch.inference_mode():
                    self.model.generate(**kwargs)
            except BaseException as exc:  # reported to the caller below
                failure.append(exc)
                streamer.end()

        worker = threading.Thread(target=run, name=f"generate-{self.name}", daemon=True)
        worker.start()
        try:
            yield from streamer
        except Exception as exc:  # the streamer's queue timed out
            raise GeneratorFailedError(
                f"The model did not answer within {params.timeout_s:.0f} seconds."
            ) from exc
        worker.join(timeout=1.0)
        if failure:
            log.error("generation failed: %s", type(failure[0]).__name__)
            raise GeneratorFailedError("The model failed while answering.") from failure[0]

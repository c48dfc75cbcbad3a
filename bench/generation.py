"""Benchmark the local generators and the chat endpoint (not a test: prints and saves).

Per model and dtype, each in a fresh process so its peak memory is its own: load time,
first-token latency for a ~600-token prompt, decode tokens/s. Then end-to-end ``/v1/chat``
latency p50/p95 with 1 and 4 concurrent users, against a real uvicorn server on 127.0.0.1.

    .venv/bin/python bench/generation.py --models smollm2-135m-instruct qwen2.5-coder-1.5b-instruct
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from careexplain.evaluation.metrics import percentile
from careexplain.settings import REPO_ROOT, Settings

QUESTIONS = [
    "How should I store my insulin?",
    "What are the signs of low blood sugar?",
    "What is atrial fibrillation?",
    "How do I prepare for a colonoscopy?",
    "What are the side effects of statins?",
    "How do I prevent falls at home?",
    "What is COPD?",
    "Why should I quit smoking?",
]


def _prompt_messages(target_tokens: int, tokenizer: Any) -> list[Any]:
    """A real answer prompt (rules + guidance sources) of about ``target_tokens`` tokens."""
    from careexplain.generate.backends.base import ChatMessage
    from careexplain.generate.prompting import ANSWER_TEMPLATE, render
    from careexplain.ingest.formats import read_documents

    docs = list(read_documents(Settings().guidance_dir / "insulin.md", "md"))
    texts = [s.text for d in docs for s in d.sections]
    sources: list[dict[str, Any]] = []
    for n, text in enumerate(texts, start=1):
        sources.append({"n": n, "title": "Insulin", "section": "Guidance", "text": text})
        prompt = render(
            ANSWER_TEMPLATE, sources=sources, reading_level=6, patient_context=None, decline=False
        )
        if len(tokenizer(prompt)["input_ids"]) >= target_tokens:
            break
    return [
        ChatMessage(role="system", content=prompt),
        ChatMessage(role="user", content="How should I store my insulin?"),
    ]


def _model_child(model: str, dtype: str, models_dir: str, new_tokens: int, out: Any) -> None:
    from careexplain.generate.backends.base import GenerationParams
    from careexplain.generate.backends.transformers_local import TransformersGenerator
    from careexplain.generate.models import resolve_model

    folder = resolve_model(model, Path(models_dir))
    started = time.perf_counter()
    gen = TransformersGenerator(folder, model, dtype)
    load_s = time.perf_counter() - started
    messages = _prompt_messages(600, gen.tokenizer)
    prompt_tokens = int(gen.prompt_ids(messages)["input_ids"].shape[1])
    params = GenerationParams(max_new_tokens=new_tokens, timeout_s=600)
    list(gen.stream(messages, GenerationParams(max_new_tokens=4)))  # warm-up
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        first = None
        pieces = []
        for piece in gen.stream(messages, params):
            if first is None:
                first = time.perf_counter() - started
            pieces.append(piece)
        total = time.perf_counter() - started
        generated = len(gen.tokenizer("".join(pieces), add_special_tokens=False)["input_ids"])
        runs.append((first or total, generated, total))
    first_s = min(r[0] for r in runs)
    decode = max((r[1] - 1) / max(r[2] - r[0], 1e-6) for r in runs)
    out.put(
        {
            "model": model,
            "dtype": dtype,
            "load_s": round(load_s, 1),
            "prompt_tokens": prompt_tokens,
            "first_token_s": round(first_s, 2),
            "decode_tokens_per_s": round(decode, 1),
            "generated_tokens": runs[-1][1],
            "peak_rss_mib": round(_peak_rss_mib()),
        }
    )


def _peak_rss_mib() -> float:
    """Peak resident memory of this process image (VmHWM is not inherited over exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_model(model: str, dtype: str, models_dir: Path, new_tokens: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_model_child, args=(model, dtype, str(models_dir), new_tokens, queue))
    proc.start()
    result: dict[str, Any] = queue.get()
    proc.join()
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure_chat(settings: Settings, users: list[int], per_user: int) -> dict[str, Any]:
    """End-to-end /v1/chat latency from concurrent clients against a local uvicorn server."""
    import uvicorn

    from careexplain.api.app import create_app
    from careexplain.index import layout
    from careexplain.index.embeddings import Embedder
    from careexplain.ingest.pipeline import ingest_path

    if layout.current_build(settings.index_root) is None:
        ingest_path(settings.guidance_dir, settings, Embedder.from_settings(settings))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 900
    while time.time() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=5).json().get("status") == "ok":
                break
        except httpx.HTTPError:
            time.sleep(1)
    results: dict[str, Any] = {}
    with httpx.Client(base_url=base, timeout=900) as client:
        for n_users in users:
            latencies: list[float] = []
            statuses: list[int] = []

            def user(
                i: int, latencies: list[float] = latencies, statuses: list[int] = statuses
            ) -> None:
                for j in range(per_user):
                    question = QUESTIONS[(i * per_user + j) % len(QUESTIONS)]
                    started = time.perf_counter()
                    res = client.post("/v1/chat", json={"message": question})
                    latencies.append(time.perf_counter() - started)
                    statuses.append(res.status_code)

            with ThreadPoolExecutor(n_users) as pool:
                list(pool.map(user, range(n_users)))
            results[f"{n_users}_users"] = {
                "requests": len(latencies),
                "p50_s": round(percentile(latencies, 50), 2),
                "p95_s": round(percentile(latencies, 95), 2),
                "status_codes": {str(c): statuses.count(c) for c in sorted(set(statuses))},
            }
            print(f"chat, {n_users} users:", results[f"{n_users}_users"], flush=True)
    server.should_exit = True
    thread.join(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--models", nargs="+", default=["smollm2-135m-instruct", "qwen2.5-coder-1.5b-instruct"]
    )
    parser.add_argument("--dtypes", nargs="+", default=["bfloat16"])
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--chat-model", default=None, help="model for the /v1/chat runs")
    parser.add_argument("--users", nargs="+", type=int, default=[1, 4])
    parser.add_argument("--per-user", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / "data")
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "eval" / "baselines" / "generation.json"
    )
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir)
    results: dict[str, Any] = {"models": []}
    for model in args.models:
        for dtype in args.dtypes:
            row = measure_model(model, dtype, settings.models_dir, args.new_tokens)
            print("model:", row, flush=True)
            results["models"].append(row)
    if args.chat_model:
        chat_settings = settings.model_copy(update={"generator_model": args.chat_model})
        results["chat"] = {
            "model": args.chat_model,
            **measure_chat(chat_settings, args.users, args.per_user),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()

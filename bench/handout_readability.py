"""Handout readability over the sample notes (not a test: prints and saves).

Each note in eval/data/sample_notes goes through the real pipeline: notes extraction →
profile → grounded explanation → handout, at the default reading level. Reports the
Flesch-Kincaid grade (textstat 0.7.8) of every handout, their median, and the quality
self-check, and writes eval/baselines/handouts.json. The issue's target: median ≤ 6.5.

    .venv/bin/python bench/handout_readability.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from careexplain.explain.builder import Explainer
from careexplain.generate.grounding import GroundingGuard
from careexplain.handouts.compose import compose
from careexplain.handouts.quality import check
from careexplain.index.embeddings import Embedder
from careexplain.index.reader import IndexHandle
from careexplain.notes.pipeline import NoteExtractor
from careexplain.profile.builder import profile_from_extraction
from careexplain.retrieve.hybrid import HybridRetriever
from careexplain.settings import REPO_ROOT, Settings

NOTES = REPO_ROOT / "eval" / "data" / "sample_notes"
OUT = REPO_ROOT / "eval" / "baselines" / "handouts.json"
TARGET = 6.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=Path, default=NOTES)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    settings = Settings()
    embedder = Embedder.from_settings(settings)
    retriever = HybridRetriever(IndexHandle(settings.index_root, embedder), embedder, settings)
    explainer = Explainer(settings, retriever, GroundingGuard(embedder))
    extractor = NoteExtractor.from_settings(settings)

    rows: list[dict[str, Any]] = []
    for path in sorted(args.notes.glob("*.txt")):
        started = time.perf_counter()
        extraction = extractor.extract(path.read_text(encoding="utf-8"))
        profile = profile_from_extraction(extraction)
        explanation = explainer.explain(profile)
        content = compose(explanation)
        report = check(content)
        rows.append(
            {
                "note": path.name,
                "fk_grade": report.fk_grade,
                "topics": [t.name for t in explanation.topics],
                "covered": [t.name for t in explanation.topics if t.covered],
                "sentences_kept": explanation.grounding.sentences_kept,
                "sentences_removed": explanation.grounding.sentences_removed,
                "removed_by_reason": explanation.grounding.removed_by_reason,
                "dose_sentences_dropped": explanation.dropped_dose_sentences,
                "quality_warnings": [i.key for i in report.items if i.status == "warn"],
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
        print(
            f"{path.name:28} grade {report.fk_grade:4.1f}  topics {len(rows[-1]['topics'])}  "
            f"warnings {rows[-1]['quality_warnings']}"
        )
    grades = [r["fk_grade"] for r in rows]
    median = statistics.median(grades) if grades else 0.0
    result = {
        "what": "Flesch-Kincaid grade of handouts made from the sample notes, default level",
        "script": "bench/handout_readability.py",
        "textstat": "0.7.8",
        "reading_level": settings.reading_grade,
        "notes": len(rows),
        "median_fk_grade": median,
        "max_fk_grade": max(grades, default=0.0),
        "target_median": TARGET,
        "meets_target": median <= TARGET,
        "per_note": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"median FK grade {median:.2f} over {len(rows)} notes (target ≤ {TARGET}) → {args.out}")


if __name__ == "__main__":
    main()

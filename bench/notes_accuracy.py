"""Entity accuracy of the notes pipeline on the annotated corpora in ../shared/data.

Usage: .venv/bin/python bench/notes_accuracy.py [--split test|dev|train] [--limit N]
       [--corpus NAME ...] [--unfiltered] [--out eval/baselines/notes.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from careexplain.evaluation.entity_accuracy import CORPORA, evaluate_corpus
from careexplain.notes import vocabulary
from careexplain.notes.pipeline import NoteExtractor
from careexplain.settings import Settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["train", "dev", "test"])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--corpus", nargs="*", default=list(CORPORA), choices=CORPORA)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--unfiltered",
        action="store_true",
        help="Keep the vocabularies' junk synonyms (to measure what the filter does).",
    )
    args = parser.parse_args()
    settings = Settings()
    if args.unfiltered:
        vocab = vocabulary.load(settings.data_dir / "notes", filtered=False)
        extractor = NoteExtractor(vocab)
    else:
        extractor = NoteExtractor.from_settings(settings)
    results = {}
    for name in args.corpus:
        scores = evaluate_corpus(name, extractor, settings.shared_data_dir, args.limit, args.split)
        results[name] = scores.model_dump()
        print(f"{name} ({scores.split}, {scores.documents} docs, {scores.seconds}s)")
        for label, s in scores.overlap.items():
            st = scores.strict[label]
            print(
                f"  {label:10s} strict P {st.precision:.3f} R {st.recall:.3f} F1 {st.f1:.3f}"
                f" | overlap P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}"
                f" (gold {s.gold}, pred {s.predicted})"
            )
    if args.out:
        # One baseline file for the notes issue: this script owns its "accuracy" part.
        merged = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
        key = "accuracy_unfiltered_vocabulary" if args.unfiltered else "accuracy"
        merged[key] = {"split": args.split, "limit": args.limit, "corpora": results}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

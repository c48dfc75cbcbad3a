"""Notes per second on ONE core for ~300-word notes, and peak memory; PHI measured apart.

Usage: .venv/bin/python bench/notes_speed.py [--notes 200] [--phi-notes 40]
       [--out eval/baselines/notes.json]

The notes are assembled from sentences written for this benchmark (no patient data), so
every note differs. The process is pinned to one CPU and every thread pool is set to one
thread before spaCy, thinc or torch load.
"""

from __future__ import annotations

import os

for _var in (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "TOKENIZERS_PARALLELISM",
):
    os.environ[_var] = "1" if _var != "TOKENIZERS_PARALLELISM" else "false"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

SECTIONS: dict[str, list[str]] = {
    "Chief Complaint:": [
        "shortness of breath for three days.",
        "chest pain since this morning.",
        "follow-up of diabetes and blood pressure.",
        "cough and fever for one week.",
    ],
    "HPI:": [
        "{age} yo {sex} with HTN, DM2 and CHF presents with worsening dyspnea on exertion.",
        "Reports orthopnea and leg swelling over the last week; denies chest pain.",
        "History of MI in 2015, s/p CABG. No fever; reports a dry cough.",
        "Troponin negative on arrival. Possible pneumonia on chest x-ray.",
        "Patient has COPD and uses albuterol inhaler about twice a day.",
        "She was started on lisinopril last month and reports dizziness when standing.",
        "Blood sugars at home range from 150 to 220 despite metformin.",
        "No nausea, vomiting or diarrhea. Denies abdominal pain.",
        "Her mother had breast cancer and her father had a stroke at 60.",
    ],
    "Past Medical History:": [
        "Hypertension, type 2 diabetes mellitus, hyperlipidemia, osteoarthritis.",
        "COPD, atrial fibrillation, chronic kidney disease stage 3.",
        "Asthma, GERD, depression, obstructive sleep apnea.",
    ],
    "Family History:": [
        "Mother with colon cancer. Father with coronary artery disease.",
        "Brother with type 1 diabetes. No family history of stroke.",
    ],
    "Allergies:": [
        "penicillin (rash), sulfa - hives.",
        "No known drug allergies.",
        "codeine (nausea); latex.",
    ],
    "Medications:": [
        "metformin 1000 mg PO BID; lisinopril 20 mg daily; atorvastatin 40 mg at bedtime.",
        "insulin glargine 20 units at bedtime; aspirin 81 mg daily; furosemide 40 mg PO daily.",
        "albuterol 2 puffs inhaled q4h prn for wheezing; apixaban 5 mg twice daily.",
        "amlodipine 10 mg daily, omeprazole 20 mg before breakfast, sertraline 50 mg daily.",
    ],
    "Review of Systems:": [
        "Negative for fever, chills and weight loss. Positive for fatigue and edema.",
        "Denies headache, palpitations or syncope.",
    ],
    "Vitals:": [
        "BP 158/92, HR 88, RR 18, Temp 98.6 F, SpO2 94% on room air, weight 92 kg.",
        "BP 132/78, HR 72, SpO2 97%.",
    ],
    "Labs:": [
        "HbA1c 7.9%, K 3.2 mmol/L, creatinine 1.4 mg/dL, BNP 850, troponin negative.",
        "Na 136, glucose 210, LDL 132, eGFR 48, Hgb 11.2 g/dL.",
    ],
    "Assessment and Plan:": [
        "Acute on chronic heart failure: increase furosemide to 40 mg IV BID and monitor weight.",
        "Diabetes: continue metformin; start empagliflozin 10 mg daily.",
        "Hypertension: stop lisinopril because of dizziness; start losartan 50 mg daily.",
        "If chest pain recurs, return to the ED. Colonoscopy due next year.",
        "Follow up in two weeks with repeat BMP. Cardiac catheterization if symptoms persist.",
        "Hypokalemia: potassium chloride 20 mEq PO daily for 5 days.",
    ],
}


def make_note(rng: random.Random, target_words: int = 300) -> str:
    """One note of about ``target_words`` words, sections in clinical order."""
    parts: list[str] = []
    words = 0
    while words < target_words:
        for header, options in SECTIONS.items():
            k = rng.randint(1, min(3, len(options)))
            body = " ".join(rng.sample(options, k)).format(
                age=rng.randint(40, 88), sex=rng.choice(["man", "woman"])
            )
            parts.append(f"{header} {body}")
            words = sum(len(p.split()) for p in parts)
            if words >= target_words:
                break
    return "\n".join(parts)


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--phi-notes", type=int, default=40)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import spacy

    spacy.require_cpu()
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # torch is not needed by the notes pipeline
        pass
    from careexplain.notes.pipeline import NoteExtractor
    from careexplain.settings import Settings

    settings = Settings()
    rng = random.Random(20261121)
    notes = [make_note(rng) for _ in range(args.notes)]
    words = [len(n.split()) for n in notes]

    started = time.perf_counter()
    extractor = NoteExtractor.from_settings(settings)
    load_s = time.perf_counter() - started
    rss_after_load = peak_rss_mib()
    extractor.extract_many(notes[:5])  # warm caches

    started, cpu_started = time.perf_counter(), time.process_time()
    results = extractor.extract_many(notes)
    pipe_s = time.perf_counter() - started
    # CPU seconds of this process: what one core delivers even when other jobs share it.
    pipe_cpu_s = time.process_time() - cpu_started
    started = time.perf_counter()
    for note in notes[:50]:
        extractor.extract(note)
    single_s = time.perf_counter() - started
    rss_pipeline = peak_rss_mib()
    entities = sum(len(r.entities) for r in results)

    report: dict[str, Any] = {
        "machine": {
            "cpus_used": 1,
            "cpus_present": os.cpu_count(),
            "python": platform.python_version(),
            "spacy": spacy.__version__,
        },
        "notes": {
            "count": len(notes),
            "mean_words": round(sum(words) / len(words), 1),
            "entities_per_note": round(entities / len(notes), 1),
        },
        "pipeline_without_phi": {
            "load_s": round(load_s, 2),
            "notes_per_s_batch": round(len(notes) / pipe_s, 1),
            "notes_per_cpu_s_batch": round(len(notes) / pipe_cpu_s, 1),
            "load_average_1m": round(os.getloadavg()[0], 2),
            "notes_per_s_one_by_one": round(50 / single_s, 1),
            "ms_per_note_batch": round(1000 * pipe_s / len(notes), 2),
            "peak_rss_mib_after_load": rss_after_load,
            "peak_rss_mib": rss_pipeline,
            "target_notes_per_s": 50,
        },
    }
    if args.phi_notes:
        from careexplain.phi.deidentifier import Deidentifier

        started = time.perf_counter()
        deid = Deidentifier.from_settings(settings)
        phi_load = time.perf_counter() - started
        deid.deidentify(notes[0])
        started, cpu_started = time.perf_counter(), time.process_time()
        for note in notes[: args.phi_notes]:
            deid.deidentify(note)
        phi_s = time.perf_counter() - started
        phi_cpu_s = time.process_time() - cpu_started
        report["phi_deidentify"] = {
            "load_s": round(phi_load, 2),
            "notes": args.phi_notes,
            "notes_per_s": round(args.phi_notes / phi_s, 1),
            "notes_per_cpu_s": round(args.phi_notes / phi_cpu_s, 1),
            "ms_per_note": round(1000 * phi_s / args.phi_notes, 2),
            "peak_rss_mib_with_pipeline": peak_rss_mib(),
        }
    print(json.dumps(report, indent=2))
    if args.out:
        merged: dict[str, Any] = {}
        if args.out.exists():
            merged = json.loads(args.out.read_text(encoding="utf-8"))
        merged["speed"] = report
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

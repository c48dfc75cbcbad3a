"""A local instruction model asked whether a source says what a sentence says.

Word rules read polarity and amounts well but miss heavy rewordings ("Set up a ride home" for
"Arrange for someone to take you home"). The judge reads meaning: the grounding guard asks it
to confirm every sentence its rules keep and to reconsider some that they reject on wording
alone. Its score is the logit margin of "Yes" over "No" for the next token.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
from pathlib import Path
from typing import Any

from careexplain.errors import CareExplainError, ModelNotAvailableError
from careexplain.generate.backends.transformers_local import load_causal_lm
from careexplain.generate.prompting import PROMPTS_DIR, render
from careexplain.settings import Settings

log = logging.getLogger(__name__)

JUDGE_TEMPLATE = "support_judge.v1.j2"
# Worked examples, given as earlier turns: they set what "the same meaning" means and make
# the Yes/No margin far more telling (measured on the labelled support sets).
JUDGE_EXAMPLES = PROMPTS_DIR / "support_judge_examples.v2.json"


class SupportJudge:
    """Scores (source, sentence) pairs with a causal LM loaded once."""

    def __init__(self, folder: Path, name: str, threads: int = 0) -> None:
        import torch

        self.name = name
        # bf16, never int8: the thresholds were chosen on bf16 scores.
        self.tokenizer, self.model = load_causal_lm(folder, "bfloat16", threads)
        weights = self.model.get_output_embeddings().weight
        self._yes_minus_no = (
            weights[self._token("Yes")].float() - weights[self._token("No")].float()
        ).detach()
        # The instructions are the same for every pair: their keys and values are computed
        # once, and each pair only runs its own tokens on a copy of them.
        self._system = [{"role": "system", "content": render(JUDGE_TEMPLATE)}]
        for example in json.loads(JUDGE_EXAMPLES.read_text(encoding="utf-8")):
            self._system += [
                _pair(example["source"], example["sentence"], example["title"]),
                {"role": "assistant", "content": example["answer"]},
            ]
        self._prefix = str(self.tokenizer.apply_chat_template(self._system, tokenize=False))
        self._special = [t for t in self.tokenizer.all_special_tokens if t]
        if not self._prompt("Source text.", "A sentence.").startswith(self._prefix):
            raise ModelNotAvailableError(
                f"{name}'s chat template does not extend its instructions turn by turn; "
                "the support judge needs one that does (set CAREEXPLAIN_SUPPORT_JUDGE_MODEL)."
            )
        with torch.inference_mode():
            ids = self._ids(self._prefix)
            self._cache = self.model(ids, use_cache=True).past_key_values
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> SupportJudge:
        """The configured judge model (exported once from its verified package files)."""
        from careexplain.generate.models import resolve_model

        folder = resolve_model(settings.support_judge_model, settings.models_dir)
        return cls(folder, settings.support_judge_model, settings.torch_threads)

    def score(self, source: str, sentence: str, title: str = "") -> float:
        """How sure the model is that ``source`` says all of ``sentence`` (> 0 leans yes).

        ``title``: the title of the guide the source comes from, which tells what its "it"
        and "this" are about.
        """
        import torch

        with self._lock, torch.inference_mode():
            # Markup in the texts ("<|im_end|>") must stay text, never end the turn.
            for token in self._special:
                source, sentence = source.replace(token, " "), sentence.replace(token, " ")
                title = title.replace(token, " ")
            ids = self._ids(self._prompt(source, sentence, title)[len(self._prefix) :])
            hidden = self.model.get_decoder()(
                ids, past_key_values=copy.deepcopy(self._cache), use_cache=True
            ).last_hidden_state[0, -1]
            # Only two rows of the output layer matter, taken in float32: bf16 logits come in
            # steps of 0.125 at this size, coarse enough to sit exactly on a threshold.
            margin = self._yes_minus_no @ hidden.float()
        return round(float(margin), 3)

    def _prompt(self, source: str, sentence: str, title: str = "") -> str:
        return str(
            self.tokenizer.apply_chat_template(
                [*self._system, _pair(source, sentence, title)],
                tokenize=False,
                add_generation_prompt=True,
            )
        )

    def _ids(self, text: str) -> Any:
        return self.tokenizer(text, return_tensors="pt", add_special_tokens=False).input_ids

    def _token(self, word: str) -> int:
        ids = self.tokenizer.encode(word, add_special_tokens=False)
        if len(ids) != 1:
            raise ValueError(f"{word!r} is not one token for {self.name}; the judge needs it")
        return int(ids[0])


def _pair(source: str, sentence: str, title: str = "") -> dict[str, str]:
    # Quotes in a title are dropped so it cannot close its own quotation.
    # One line: a title cannot start a "Sentence:" of its own.
    name = " ".join(title.replace('"', "").split())
    heading = f'Source (from our guide "{name}")' if name else "Source"
    return {"role": "user", "content": f"{heading}:\n{source}\n\nSentence:\n{sentence}"}


class LazySupportJudge:
    """The configured judge, loaded on first use (start-up warms it) and shared by every
    answer. If it cannot load, it says why once and the guard's rules decide alone."""

    @classmethod
    def configured(cls, settings: Settings) -> LazySupportJudge | None:
        """The judge the settings name, or None where they turn it off (the rules alone)."""
        return cls(settings) if settings.support_judge_model else None

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.error: CareExplainError | None = None
        self._judge: SupportJudge | None = None
        self._lock = threading.Lock()

    def load(self) -> SupportJudge | None:
        with self._lock:
            if self._judge is None and self.error is None:
                try:
                    self._judge = SupportJudge.from_settings(self.settings)
                except CareExplainError as exc:
                    self._give_up(exc)
                except Exception as exc:  # a corrupt folder, no memory: the rules still work
                    self._give_up(ModelNotAvailableError(f"support judge failed to load: {exc}"))
            return self._judge

    def score(self, source: str, sentence: str, title: str = "") -> float | None:
        """The judge's score, or None (the rules decide) if it cannot load or read now."""
        judge = self.load()
        if judge is None:
            return None
        try:
            return judge.score(source, sentence, title)
        except Exception as exc:
            # Never an answer broken mid-stream: no score keeps the rules' verdict, which a
            # missing score can never overturn into a kept sentence.
            log.warning("support judge failed on a sentence: %s", type(exc).__name__)
            return None

    def _give_up(self, error: CareExplainError) -> None:
        self.error = error
        log.warning("support judge not available, rules decide alone: %s", error.code)

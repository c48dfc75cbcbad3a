"""A second line of defence: scrub PHI-shaped text from log records before they are written."""

from __future__ import annotations

import logging
import re

from careexplain.phi.patterns import PERSON, RULES

# The pattern rules that need no model and rarely fire on ordinary log text.
_SCRUB_RULES = tuple(
    r
    for r in RULES
    if r.name
    in {
        "email",
        "url",
        "ssn",
        "phone",
        "address",
        "mrn_label",
        "id_label",
        "date_numeric",
        "date_iso",
        "date_month_name",
        "date_day_month",
        "age_over_89",
        "age_label_over_89",
        "name_title",
        "name_label",
    }
)
_LONG_DIGITS = re.compile(r"\b\d{7,}\b")
# In a log line a label can sit anywhere, not only at the start of a line.
_LABELLED_NAME = re.compile(
    rf"\b(?:[Pp]atient|[Pp]t|[Nn]ame|[Cc]lient)\s*[:#=]?\s*(?P<value>{PERSON})"
)


def scrub(message: str) -> str:
    """``message`` with PHI-shaped substrings replaced by ``<TYPE>`` tags."""
    for rule in _SCRUB_RULES:
        group = "value" if "value" in rule.regex.groupindex else 0

        def tag(match: re.Match[str], group: str | int = group, name: str = rule.type.value) -> str:
            start, end = match.span(group)
            whole_start = match.start()
            text = match.group(0)
            return f"{text[: start - whole_start]}<{name}>{text[end - whole_start :]}"

        message = rule.regex.sub(tag, message)
    message = _LABELLED_NAME.sub(
        lambda m: m.group(0)[: m.start("value") - m.start()] + "<NAME>", message
    )
    return _LONG_DIGITS.sub("<ID>", message)


class PhiScrubFilter(logging.Filter):
    """Rewrites each record's message with :func:`scrub`; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            # Exception messages can quote the input: format the traceback now, scrubbed.
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        return True


def install_log_scrubber(logger: logging.Logger | None = None) -> PhiScrubFilter:
    """Add the filter to every handler of ``logger`` (the root logger by default)."""
    target = logger or logging.getLogger()
    scrubber = PhiScrubFilter()
    for handler in target.handlers:
        if not any(isinstance(f, PhiScrubFilter) for f in handler.filters):
            handler.addFilter(scrubber)
    return scrubber

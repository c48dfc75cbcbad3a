"""The log scrubber: PHI-shaped text never leaves through a handler."""

from __future__ import annotations

import io
import logging

from careexplain.phi.logging import PhiScrubFilter, install_log_scrubber, scrub


def test_scrub_replaces_phi_shapes_and_keeps_the_rest() -> None:
    message = (
        "lookup failed for Patient: Harold Whitcomb MRN: 00482913 DOB 02/11/1958, "
        "call (217) 555-0143 or hw@example.net; path /v1/notes/extract took 12 ms"
    )
    cleaned = scrub(message)
    for phi in ("Harold", "Whitcomb", "00482913", "02/11/1958", "555-0143", "hw@example.net"):
        assert phi not in cleaned
    assert "MRN: <MRN>" in cleaned
    assert "path /v1/notes/extract took 12 ms" in cleaned


def test_installed_filter_scrubs_messages_args_and_tracebacks() -> None:
    logger = logging.getLogger("tests.phi.scrub")
    logger.propagate = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        install_log_scrubber(logger)
        install_log_scrubber(logger)  # idempotent
        assert sum(isinstance(f, PhiScrubFilter) for f in handler.filters) == 1
        logger.warning("note for %s, SSN %s", "Dr. Ilse Marchetti", "218-44-9031")
        try:
            raise ValueError("bad value jo@corvid.example.com")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "Marchetti" not in out
    assert "218-44-9031" not in out
    assert "jo@corvid.example.com" not in out
    assert "ValueError" in out
    assert "note for Dr. <NAME>" in out

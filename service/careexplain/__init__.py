"""CareExplain: plain-language, cited explanations of clinical guidance."""

__version__ = "0.1.0"

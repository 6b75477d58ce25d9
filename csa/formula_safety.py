"""Deprecated alias of :mod:`csa.exports` (formula-injection-safe tables and files).

Use ``csa.exports.safe_frame`` / ``csa.exports.neutralise`` directly; this module only keeps
``neutralise_frame`` working for code written before ``csa.exports`` existed.
"""

from __future__ import annotations

from csa.exports import FORMULA_STARTS, neutralise
from csa.exports import safe_frame as neutralise_frame

__all__ = ["FORMULA_STARTS", "neutralise", "neutralise_frame"]

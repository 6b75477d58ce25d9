"""Benchmark comparison by overlapping confidence intervals (Fingertips method 1).

An area is "similar" to a benchmark when the benchmark's value lies inside the area's 95%
confidence interval, limits included; otherwise it is higher or lower, read as better or
worse through the indicator's polarity. This is Fingertips' ``SingleOverlappingCIsComparer``
(the "single overlapping CIs" method used for most public health profiles).

References
----------
OHID Fingertips technical guidance, "Comparing an area with a benchmark".
ukhsa-collaboration/fingertips-open, PholioVisualisation.Analysis
``SingleOverlappingCIsComparer`` and its test ``SingleOverlappingCIsComparatorTest.cs``.
"""

from __future__ import annotations

import math

POLARITIES = ("low_is_good", "high_is_good", "no_judgement")

LABELS = {
    "better": "Significantly better than the benchmark",
    "worse": "Significantly worse than the benchmark",
    "similar": "Not significantly different from the benchmark",
    "higher": "Significantly higher than the benchmark",
    "lower": "Significantly lower than the benchmark",
    "not compared": "Not compared with the benchmark",
}


def _missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"expected a number or None, not {x!r}") from exc


def compare(
    value: float | None,
    lower: float | None,
    upper: float | None,
    benchmark: float | None,
    polarity: str,
) -> str:
    """Compare an area's value and 95% CI with a benchmark value.

    Parameters
    ----------
    value : float or None
        The area's figure.
    lower, upper : float or None
        The area's confidence limits (``lower <= upper``).
    benchmark : float or None
        The benchmark's figure (e.g. Lancashire as a whole).
    polarity : {"low_is_good", "high_is_good", "no_judgement"}

    Returns
    -------
    str
        "better", "similar" or "worse" (with a polarity); "higher", "similar" or "lower"
        (``no_judgement``); "not compared" when the value, a limit or the benchmark is
        missing (None or NaN).

    Raises
    ------
    ValueError
        For an unknown polarity, a non-number, or ``lower > upper``.

    References
    ----------
    Fingertips ``SingleOverlappingCIsComparer``: same when
    ``LowerCI <= benchmark <= UpperCI``, else higher or lower by the value.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}, not {polarity!r}")
    if any(_missing(x) for x in (value, lower, upper, benchmark)):
        return "not compared"
    v, lo, hi, b = float(value), float(lower), float(upper), float(benchmark)  # type: ignore[arg-type]
    if lo > hi:
        raise ValueError(f"lower ({lo:g}) must not be above upper ({hi:g})")
    if lo <= b <= hi:
        return "similar"
    higher = v > b
    if polarity == "no_judgement":
        return "higher" if higher else "lower"
    return "better" if higher == (polarity == "high_is_good") else "worse"


def compare_label(result: str, benchmark_name: str = "the benchmark") -> str:
    """Plain words for a :func:`compare` result.

    ``compare_label("worse")`` is "Significantly worse than the benchmark";
    ``compare_label("worse", "Lancashire as a whole")`` is "Significantly worse than
    Lancashire as a whole".
    """
    if result not in LABELS:
        raise ValueError(f"result must be one of {', '.join(LABELS)}, not {result!r}")
    return LABELS[result].replace("the benchmark", benchmark_name)

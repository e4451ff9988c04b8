"""The one way a rate is shown: a percentage with one decimal, rounded half up (四舍五入)."""

from decimal import ROUND_HALF_UP, Decimal


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, rounded half up as in a printed report, or None when there is
    nothing to divide by."""
    if not whole:
        return None
    return float((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

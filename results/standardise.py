"""Standardised event scores, WorldSkills-style, as a competition file asks per event.

An event with `standardise = { method = "worldskills", centre = 700, spread = 100, round = 2 }`
counts for the overall by centre + spread x (score - median) / standard deviation; with
`{ method = "z", round = 3 }` by (score - mean) / standard deviation. The statistics are taken
over the event's scores at the ranking's scope (the scores `CompetitionResult.event_scores`
holds), leaving out entries with no score, who keep none. The standard deviation is the
population one (divide by the number of scores: the field is the whole population, not a
sample of it); the median of an even count is the mean of the two middle scores. Everything is
exact Decimal arithmetic in the score context (the square root is Decimal.sqrt at its 34
digits), and each standardised score is rounded half up to `round` places.

When every score is the same (or there is only one), the deviation is zero and no score is
above or below the others: each gets the centre (a z-score of 0). The direction of an event is
kept: where lower wins, a lower standardised score still wins. Choosing which events count
standardised is results/overall.py's; this module only does the arithmetic.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import Decimal

from scoring.decimals import quantize, score_context
from scoring.model import Standardisation


def median(values: list[Decimal]) -> Decimal:
    """The middle value; with an even count, the mean of the two middle values (exact)."""
    ordered = sorted(values)
    n = len(ordered)
    with decimal.localcontext(score_context()):
        if n % 2:
            return ordered[n // 2]
        return (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def population_deviation(values: list[Decimal]) -> Decimal:
    """The population standard deviation, sqrt(sum((x - mean)^2) / n), at the score context's
    precision."""
    with decimal.localcontext(score_context()):
        mean = sum(values, Decimal(0)) / len(values)
        return (sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


def standardise_scores(scores: Mapping[str, Decimal | None], spec: Standardisation) -> dict[str, Decimal | None]:
    """Each entry's standardised score (None where the entry has no score), in `scores`' order."""
    present = [s for s in scores.values() if s is not None]
    if not present:
        return dict(scores)
    with decimal.localcontext(score_context()):
        deviation = population_deviation(present)
        if spec.method == "worldskills":
            middle, centre, spread = median(present), spec.centre, spec.spread
        else:
            middle, centre, spread = sum(present, Decimal(0)) / len(present), Decimal(0), Decimal(1)
        out: dict[str, Decimal | None] = {}
        for entry, score in scores.items():
            if score is None:
                out[entry] = None
            elif deviation == 0:
                out[entry] = quantize(centre, spec.places)
            else:
                out[entry] = quantize(centre + spread * (score - middle) / deviation, spec.places)
        return out

"""Criterion kinds: how one mark (a judge's or an official's) becomes points.

Each kind has a stable key stored in rubric files, reads its parameters from the rubric with
precise errors, converts one raw mark to exact points or says why the mark is invalid (a
`Problem` the caller locates), and declares the input that marks it on a tablet (inputs.py).
Aggregation over a panel, sections and formulas are not here (see panel.py and engine.py).
Deductions count against the entry: they lower a score where higher is better and add penalty
seconds where lower is better.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import ClassVar

from scoring.decimals import Rounding, format_decimal
from scoring.document import Fields
from scoring.problems import Problem
from scoring.rubrics.inputs import Counter, NumberField, Stepper, Stopwatch, TabletInput, Toggle, VetoSwitch
from scoring.rubrics.values import read_bool, read_count, read_seconds

Converted = Decimal | Problem  # points, or why the mark is not valid (no location: the caller adds it)


def read_rounding(f: Fields, key: str = "round") -> Rounding | None:
    """`round = 2` or `round = {places = 2, mode = "half_even"}`."""
    from scoring.decimals import ROUNDING_MODES

    value = f.raw(key, None)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return Rounding(places=value)
    sub = f.table_of(key)
    if sub is None:
        return None
    rounding = Rounding(places=sub.int("places"), mode=sub.str("mode", "half_up", choices=list(ROUNDING_MODES)))
    sub.finish()
    return rounding


@dataclass(frozen=True)
class Band:
    """Points for values in a range; each end is inclusive (min, max), exclusive (above,
    below) or open (not given)."""

    points: Decimal
    low: Decimal | None = None
    low_inclusive: bool = True
    high: Decimal | None = None
    high_inclusive: bool = True

    def holds(self, value: Decimal) -> bool:
        if self.low is not None and (value < self.low or (value == self.low and not self.low_inclusive)):
            return False
        return not (self.high is not None and (value > self.high or (value == self.high and not self.high_inclusive)))


def _read_band(f: Fields) -> Band:
    if f.has("min") and f.has("above"):
        f.error_at("above", "min 与 above 只能选其一", "give min (inclusive) or above (exclusive), not both")
    if f.has("max") and f.has("below"):
        f.error_at("below", "max 与 below 只能选其一", "give max (inclusive) or below (exclusive), not both")
    low_inclusive, high_inclusive = not f.has("above"), not f.has("below")
    low = f.decimal("min", None) if low_inclusive else f.decimal("above")
    high = f.decimal("max", None) if high_inclusive else f.decimal("below")
    band = Band(
        points=f.decimal("points"), low=low, low_inclusive=low_inclusive, high=high, high_inclusive=high_inclusive
    )
    f.finish()
    return band


class ValueMapping:
    """Maps a measured value to points: bands (first matching band wins, none -> 0 points),
    or a piecewise-linear table interpolated between its points and held flat beyond its ends."""

    def __init__(self, f: Fields) -> None:
        self.bands: list[Band] = []
        self.linear: list[tuple[Decimal, Decimal]] = []
        self.bands = [_read_band(band) for band in f.tables("bands")]
        raw_linear = f.raw("linear", None)
        if raw_linear is not None:
            ok = (
                isinstance(raw_linear, list)
                and len(raw_linear) >= 2
                and all(
                    isinstance(p, list) and len(p) == 2 and all(isinstance(v, (int, Decimal)) for v in p)
                    for p in raw_linear
                )
            )
            if not ok:
                f.error_at(
                    "linear",
                    "必须是至少两个 [值, 分] 点的数组",
                    "must be an array of at least two [value, points] pairs",
                )
            else:
                self.linear = [(Decimal(x), Decimal(y)) for x, y in raw_linear]
                if any(b[0] <= a[0] for a, b in pairwise(self.linear)):
                    f.error_at("linear", "各点的值必须严格递增", "the values of the points must increase strictly")
        if self.bands and self.linear:
            f.error_at("linear", "bands 与 linear 只能选其一", "give either bands or linear, not both")
        self.rounding = read_rounding(f)
        if self.linear and self.rounding is None:
            f.error_at(
                "linear",
                "线性插值必须指定 round（保留位数）",
                "a linear table needs round = places, because interpolation can give endless decimals",
            )

    @property
    def defined(self) -> bool:
        return bool(self.bands or self.linear)

    def points(self, value: Decimal) -> Decimal:
        if self.bands:
            for band in self.bands:
                if band.holds(value):
                    return band.points
            return Decimal(0)
        xs = self.linear
        if value <= xs[0][0]:
            result = xs[0][1]
        elif value >= xs[-1][0]:
            result = xs[-1][1]
        else:
            for (x0, y0), (x1, y1) in pairwise(xs):
                if x0 <= value <= x1:
                    result = y0 + (value - x0) * (y1 - y0) / (x1 - x0)
                    break
        return self.rounding.apply(result) if self.rounding else result

    def max_points(self) -> Decimal:
        return max([b.points for b in self.bands] + [y for _, y in self.linear])


class CriterionKind(ABC):
    """Base of every criterion kind. `official` kinds take one value per entry and attempt from
    an official (an empty judge column), never a panel."""

    key: ClassVar[str]
    official: ClassVar[bool] = False

    def __init__(self, f: Fields, lower_is_better: bool) -> None:
        self.lower_is_better = lower_is_better

    @abstractmethod
    def convert(self, raw: str) -> Converted: ...

    @abstractmethod
    def tablet_input(self) -> TabletInput:
        """The widget that marks this criterion on a tablet, with its limits."""

    def max_points(self) -> Decimal | None:
        return None

    def describe(self) -> str:
        return self.key


class ScaleKind(CriterionKind):
    """A judgement on a range with a step: 0 to 10 by 0.5, or 0 to 3."""

    key = "scale"

    def __init__(self, f: Fields, lower_is_better: bool) -> None:
        super().__init__(f, lower_is_better)
        self.low = f.decimal("min", Decimal(0))
        self.high = f.decimal("max")
        self.step = f.decimal("step", Decimal(1), positive=True)
        if None in (self.high, self.low, self.step):
            return
        if self.high <= self.low:
            f.error_at("max", "max 必须大于 min", "max must be greater than min")
        elif self.step > 0 and (self.high - self.low) % self.step != 0:
            f.error_at("step", "max − min 必须是 step 的整数倍", "max − min must be a whole number of steps")

    def convert(self, raw: str) -> Converted:
        from scoring.decimals import parse_decimal

        value = parse_decimal(raw)
        if value is None:
            valid, valid_en = self._valid()
            return Problem(f"“{raw}”不是数字；有效：{valid}", f"'{raw}' is not a number; valid: {valid_en}")
        if not self.low <= value <= self.high:
            valid, valid_en = self._valid()
            return Problem(f"{raw} 超出范围；有效：{valid}", f"{raw} is out of range; valid: {valid_en}")
        if (value - self.low) % self.step != 0:
            valid, valid_en = self._valid()
            return Problem(f"{raw} 不在步长上；有效：{valid}", f"{raw} is off the step; valid: {valid_en}")
        return value

    def _valid(self) -> tuple[str, str]:
        """What a mark may be, for a problem's message (made only when there is one)."""
        low, high, step = format_decimal(self.low), format_decimal(self.high), format_decimal(self.step)
        return f"{low}–{high}，步长 {step}", f"{low} to {high} by {step}"

    def tablet_input(self) -> TabletInput:
        return Stepper(min=self.low, max=self.high, step=self.step)

    def max_points(self) -> Decimal:
        return self.high

    def describe(self) -> str:
        return f"scale {format_decimal(self.low)}..{format_decimal(self.high)} step {format_decimal(self.step)}"


class ChecklistKind(CriterionKind):
    """A step done or not, worth `points`."""

    key = "checklist"

    def __init__(self, f: Fields, lower_is_better: bool) -> None:
        super().__init__(f, lower_is_better)
        self.points = f.decimal("points", positive=True)

    def convert(self, raw: str) -> Converted:
        done = read_bool(raw)
        if done is None:
            return Problem(f"“{raw}”不是 是/否（1/0）", f"'{raw}' is not yes/no (1/0, true/false, 是/否)")
        return self.points if done else Decimal(0)

    def tablet_input(self) -> TabletInput:
        return Toggle(points=self.points)

    def max_points(self) -> Decimal:
        return self.points

    def describe(self) -> str:
        return f"checklist, {format_decimal(self.points)} if done"


class MeasurementKind(CriterionKind):
    """A measured value (within an accepted range) mapped to points by bands or a linear table."""

    key = "measurement"

    def __init__(self, f: Fields, lower_is_better: bool) -> None:
        super().__init__(f, lower_is_better)
        self.unit = f.str("unit", "")
        self.low = f.decimal("min", None)
        self.high = f.decimal("max", None)
        self.mapping = ValueMapping(f)
        if not self.mapping.defined:
            f.error_at(
                "bands", "测量项需要 bands 或 linear", "a measurement needs bands or linear to map values to points"
            )

    def read(self, raw: str) -> Decimal | None:
        from scoring.decimals import parse_decimal

        return parse_decimal(raw)

    def convert(self, raw: str) -> Converted:
        value = self.read(raw)
        if value is None:
            return Problem(f"“{raw}”不是有效的测量值", f"'{raw}' is not a valid measured value")
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            return Problem(
                f"{raw} 超出可接受范围 {self.low}–{self.high}",
                f"{raw} is outside the accepted range {self.low} to {self.high}",
            )
        return self.mapping.points(value) if self.mapping.defined else value

    def tablet_input(self) -> TabletInput:
        return NumberField(unit=self.unit, min=self.low, max=self.high, mapped=self.mapping.defined)

    def max_points(self) -> Decimal | None:
        return self.mapping.max_points() if self.mapping.defined else None

    def describe(self) -> str:
        return f"measurement ({self.unit})" if self.unit else "measurement"


class TimeKind(MeasurementKind):
    """Elapsed time in seconds ("83.4" or "1:23.4"). With bands or linear the time maps to points;
    without them the time itself is the points, for events where the lowest total wins."""

    key = "time"

    def __init__(self, f: Fields, lower_is_better: bool) -> None:
        CriterionKind.__init__(self, f, lower_is_better)
        self.unit = "s"
        self.low = f.decimal("min", Decimal(0))
        self.high = f.decimal("max", None)
        self.mapping = ValueMapping(f)
        if not self.mapping.defined and not lower_is_better:
            f.error_at(
                "bands",
                '以秒计分的计时项要求评分标准 better = "lower"，否则请给出 bands 或 linear',
                'a time counted as seconds needs the rubric\'s better = "lower"; otherwise give bands or linear',
            )

    def read(self, raw: str) -> Decimal | None:
        return read_seconds(raw)

    def tablet_input(self) -> TabletInput:
        return Stopwatch(min=self.low, max=self.high, mapped=self.mapping.defined)

    def describe(self) -> str:
        return "time (seconds)" if not self.mapping.defined else "time mapped to points"


class DeductionKind(CriterionKind):
    """A count of faults, each costing `per` points (or penalty seconds), up to `cap` in all."""

    key = "deduction"

    def __init__(self, f: Fields, lower_is_better: bool) -> None:
        super().__init__(f, lower_is_better)
        self.per = f.decimal("per", positive=True)
        self.cap = f.decimal("cap", None, positive=True)
        self.max_count = f.int("max_count", None, minimum=1)

    def convert(self, raw: str) -> Converted:
        count = read_count(raw)
        if count is None:
            return Problem(f"“{raw}”不是非负整数次数", f"'{raw}' is not a count (a whole number, 0 or more)")
        if self.max_count is not None and count > self.max_count:
            return Problem(
                f"次数 {count} 超过上限 {self.max_count}", f"count {count} is above the maximum {self.max_count}"
            )
        amount = self.per * count
        if self.cap is not None:
            amount = min(amount, self.cap)
        return amount if self.lower_is_better else -amount

    def tablet_input(self) -> TabletInput:
        return Counter(per=self.per, cap=self.cap, max_count=self.max_count)

    def max_points(self) -> Decimal:
        return Decimal(0)

    def describe(self) -> str:
        cap = f", cap {format_decimal(self.cap)}" if self.cap is not None else ""
        return f"deduction {format_decimal(self.per)} each{cap}"


class VetoKind(CriterionKind):
    """一票否决: a serious violation that zeroes a criterion, its section, or the whole attempt.
    Where lower is better, a veto of the event disqualifies the attempt instead."""

    key = "veto"
    SCOPES: ClassVar[list[str]] = ["criterion", "section", "event"]
    DECIDED_BY: ClassVar[list[str]] = ["any", "majority", "all"]

    def __init__(self, f: Fields, lower_is_better: bool) -> None:
        super().__init__(f, lower_is_better)
        self.scope = f.str("scope", "event", choices=self.SCOPES)
        self.target = f.str("target", "") if self.scope == "criterion" else ""
        if self.scope == "criterion" and not self.target:
            f.error_at(
                "target",
                'scope = "criterion" 时必须给出 target',
                'scope = "criterion" needs target = the criterion\'s key',
            )
        self.decided_by = f.str("decided_by", "majority", choices=self.DECIDED_BY)

    def convert(self, raw: str) -> Converted:
        vetoed = read_bool(raw)
        if vetoed is None:
            return Problem(f"“{raw}”不是 是/否", f"'{raw}' is not yes/no (1/0, true/false, 是/否)")
        return Decimal(1) if vetoed else Decimal(0)

    def tablet_input(self) -> TabletInput:
        return VetoSwitch(scope=self.scope)

    def max_points(self) -> Decimal:
        return Decimal(0)

    def describe(self) -> str:
        return f"veto of the {self.scope}, decided by {self.decided_by} judge(s)"


class OfficialMeasurementKind(MeasurementKind):
    """A measurement taken once by an official rather than marked by each judge."""

    key = "official_measurement"
    official = True


class OfficialTimeKind(TimeKind):
    """A time taken once by the official timekeeper rather than by each judge."""

    key = "official_time"
    official = True

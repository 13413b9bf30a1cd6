"""Lift of treated arms over a control group, with a Welch (unequal-variance) interval.

A randomised test assigns each customer to one arm; one arm is the **control** (no treatment).
For each other arm *a* with ``n1`` customers, outcome mean ``m1`` and sample variance ``s1²``
(``ddof=1``), against the control's ``n0``, ``m0``, ``s0²``:

    lift     = m1 - m0
    se       = sqrt(s1² / n1 + s0² / n0)            (Welch's unequal-variance standard error)
    interval = lift ± z · se,  z = Φ⁻¹(1 - α/2)     (1.959963984540054 for 95 %)
    p_value  = 2 · (1 - Φ(|lift| / se))             (two-sided, normal approximation)

The normal approximation rather than Welch–Satterthwaite's t: retention tests have thousands
of customers per arm, where the two differ in the fifth decimal, and the published analyses of
campaign tests (e.g. Hillstrom's MineThatData e-mail test, 64,000 customers) report it this way.
A binary outcome (retained yes/no, converted, visited) is coded 1/0, so the mean is the rate
and the same formula gives the difference of proportions with the unpooled standard error.

References: B. L. Welch, "The generalization of 'Student's' problem when several different
population variances are involved", *Biometrika* 34 (1947) 28–35; R. Kohavi, D. Tang, Y. Xu,
*Trustworthy Online Controlled Experiments* (Cambridge UP, 2020), ch. 17 ("The statistics
behind online controlled experiments").

Plain Python (no Django): the retention results pages and ``kehu retention lift`` call
:func:`lift_by_arm`, or :class:`LiftEstimator` when they hold arms and outcomes as arrays.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np

# Φ⁻¹(0.975) to full double precision; NormalDist gives ...0536 (one ulp away), and the
# contract fixes this value.
Z_95 = 1.959963984540054

TRUE_WORDS = frozenset({"yes", "true", "1"})
FALSE_WORDS = frozenset({"no", "false", "0"})


class LiftError(ValueError):
    """Input that cannot give a lift, described in one line."""


@dataclass(frozen=True)
class Group:
    """One arm's size and outcome mean."""

    arm: str
    n: int
    mean: float


@dataclass(frozen=True)
class ArmLift:
    """One treated arm against the control."""

    arm: str
    n: int
    mean: float
    lift: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True)
class LiftReport:
    outcome: str
    control: Group
    arms: list[ArmLift] = field(default_factory=list)
    confidence: float = 0.95

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` contract shape (confidence is implied: 95 %)."""
        return {
            "outcome": self.outcome,
            "control": asdict(self.control),
            "arms": [asdict(a) for a in self.arms],
        }


def z_value(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise LiftError(f"confidence must be between 0 and 1, not {confidence}")
    if confidence == 0.95:
        return Z_95
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def welch(
    treated: np.ndarray, control: np.ndarray, *, confidence: float = 0.95
) -> tuple[float, float, float, float]:
    """``(lift, ci_low, ci_high, p_value)`` of ``treated`` over ``control`` (see module doc)."""
    for values in (treated, control):
        if len(values) < 2:
            raise LiftError("each arm needs at least 2 customers for a variance")
    lift = float(treated.mean() - control.mean())
    se = math.sqrt(treated.var(ddof=1) / len(treated) + control.var(ddof=1) / len(control))
    if se == 0.0:
        # Both arms constant: the difference is known exactly.
        return lift, lift, lift, 1.0 if lift == 0.0 else 0.0
    half = z_value(confidence) * se
    # erfc keeps precision for tiny p-values, where 1 - Φ(z) would round to 0.
    p_value = math.erfc(abs(lift) / se / math.sqrt(2.0))
    return lift, lift - half, lift + half, p_value


def sort_arms(labels: Iterable[str]) -> list[str]:
    """Arms in a stable order: by number when every label is a number, else by text."""
    labels = list(labels)
    numbers = [_number(label) for label in labels]
    if labels and all(n is not None for n in numbers):
        return [label for _, label in sorted(zip(numbers, labels, strict=True))]
    return sorted(labels)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def resolve_control(labels: Iterable[str], control: str, *, column: str = "arm") -> str:
    """The arm label meaning ``control``: the same text, else the same number (0 ↔ 0.0)."""
    labels = list(labels)
    if control in labels:
        return control
    wanted = _number(control)
    if wanted is not None:
        same = [label for label in labels if _number(label) == wanted]
        if len(same) == 1:
            return same[0]
    shown = ", ".join(repr(label) for label in sort_arms(labels)[:10])
    raise LiftError(f"control value {control!r} not found in column {column!r} (arms: {shown})")


def outcome_value(value: Any) -> float | None:
    """A numeric or yes/no outcome as a number; ``None`` if it is neither (blank included)."""
    if isinstance(value, bool | np.bool_):
        return float(value)
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        return number if math.isfinite(number) else None
    text = str(value).strip()
    low = text.lower()
    if low in TRUE_WORDS:
        return 1.0
    if low in FALSE_WORDS:
        return 0.0
    return _number(text) if text else None


class LiftEstimator:
    """Welch lift of every arm over the control, estimator style.

    ``LiftEstimator(control="No E-Mail").fit(arms, y).report_`` holds the :class:`LiftReport`.
    ``arm_column`` and ``outcome`` name the columns in messages and in the report.
    """

    def __init__(
        self,
        *,
        control: str,
        confidence: float = 0.95,
        outcome: str = "outcome",
        arm_column: str = "arm",
    ):
        self.control = control
        self.confidence = confidence
        self.outcome = outcome
        self.arm_column = arm_column

    def fit(self, arms: Sequence[str], y: Sequence[float] | np.ndarray) -> LiftEstimator:
        labels = np.asarray([str(a) for a in arms], dtype=object)
        values = np.asarray(y, dtype=np.float64)
        if len(labels) != len(values):
            raise LiftError("arms and outcomes differ in length")
        if len(values) == 0:
            raise LiftError("no customers")
        if not np.isfinite(values).all():
            raise LiftError("outcomes must be finite numbers")
        present = sorted(set(labels.tolist()))
        control = resolve_control(present, self.control, column=self.arm_column)
        if len(present) < 2:
            raise LiftError(
                f"column {self.arm_column!r} has only one arm ({control!r}): "
                "nothing to compare with the control"
            )
        base = values[labels == control]
        results = []
        for arm in sort_arms(a for a in present if a != control):
            treated = values[labels == arm]
            try:
                lift, low, high, p = welch(treated, base, confidence=self.confidence)
            except LiftError as exc:
                small = arm if len(treated) < 2 else control
                raise LiftError(f"column {self.arm_column!r}, arm {small!r}: {exc}") from exc
            results.append(ArmLift(arm, len(treated), float(treated.mean()), lift, low, high, p))
        self.report_ = LiftReport(
            outcome=self.outcome,
            control=Group(control, len(base), float(base.mean())),
            arms=results,
            confidence=self.confidence,
        )
        return self


def lift_by_arm(
    arms: Sequence[str],
    y: Sequence[float] | np.ndarray,
    *,
    control: str,
    outcome: str = "outcome",
    arm_column: str = "arm",
    confidence: float = 0.95,
) -> LiftReport:
    """Shortcut for ``LiftEstimator(...).fit(arms, y).report_``."""
    estimator = LiftEstimator(
        control=control, confidence=confidence, outcome=outcome, arm_column=arm_column
    )
    return estimator.fit(arms, y).report_

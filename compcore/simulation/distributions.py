"""Distributions of metric values for the Monte Carlo (scenario ``assumptions``).

Each distribution is a frozen pydantic model tagged by ``"dist"`` and can turn
randomness into metric values two ways, both vectorised:

- :meth:`sample` draws independent values from a ``np.random.Generator``;
- :meth:`from_normal` maps standard normals ``z`` to values through the
  inverse CDF, ``F^-1(Phi(z))``. This is the Gaussian copula used when a
  metric is correlated with another (normal and lognormal map ``z`` directly,
  so a normal marginal keeps exactly the rho of the copula).

Values are in the metric's own units (a share 0..1, a count, a ratio to plan).
``binomial`` draws the share ``k / n`` of a cohort of ``n`` clients; ``poisson``
draws a count.
"""

from __future__ import annotations

import functools
import math
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator, model_validator

from compcore.plan.schema import MAX_AMOUNT, WholeNumber

__all__ = [
    "Beta",
    "Binomial",
    "Distribution",
    "DIST_KINDS",
    "Empirical",
    "Fixed",
    "Lognormal",
    "Normal",
    "Poisson",
    "Triangular",
    "norm_cdf",
]

# strict: a JSON number, never "0.6" or true (see compcore.plan.schema.Number)
# and bounded like targets (|value| <= 1e12), so no draw overflows a cost sum
Finite = Annotated[float, Strict(), Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)]
NonNegative = Annotated[float, Strict(), Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
Positive = Annotated[float, Strict(), Field(gt=0, le=MAX_AMOUNT, allow_inf_nan=False)]
#: most values an empirical distribution may list
MAX_EMPIRICAL_VALUES = 100_000
#: largest Poisson mean (its probability table grows with the mean)
MAX_POISSON_MEAN = 1_000_000
#: largest sd / mean of a lognormal: beyond it its log-sd passes 3 and draws span 30 orders of magnitude,
#: and a mean near 0 makes the log parameters infinite (every draw NaN); refused on load, not at pricing
MAX_LOGNORMAL_CV = 100.0


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: team name -> the distribution of that team's draws (team scope) or people (individual scope);
    #: the copula still applies: a team's value is its own marginal of the same correlated normal
    by_team: dict[str, Distribution] | None = Field(None, repr=False)
    #: a plan year only (DESIGN.md "A plan year"): rho of the metric's underlying normal from one period to
    #: the next, z_t = rho z_(t-1) + sqrt(1 - rho^2) e_t; 0 = periods independent
    persistence: Annotated[float, Strict(), Field(allow_inf_nan=False)] = 0.0

    @field_validator("persistence")
    @classmethod
    def _persistence(cls, rho: float) -> float:
        if not 0 <= rho < 1:
            raise ValueError(f"must be at least 0 and below 1 (1 would be a metric that never changes after "
                             f"its first period), got {rho:g}")
        return rho

    def for_team(self, team: str) -> _Dist:
        """The distribution used for ``team`` (its ``by_team`` entry, else this one)."""
        return (self.by_team or {}).get(team, self)

    def sample(self, rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        """Independent draws of the metric value, an array of ``shape``."""
        return self.from_uniform(rng.random(shape))

    def sample_into(self, rng: np.random.Generator, out: np.ndarray) -> None:
        """``out[...] = self.sample(rng, out.shape)``: the same numbers, written into ``out`` (C-contiguous)."""
        out[...] = self.sample(rng, out.shape)

    def from_normal(self, z: np.ndarray) -> np.ndarray:
        """Values ``F^-1(Phi(z))`` for standard normals ``z`` (the copula transform)."""
        return self.from_uniform(np.minimum(norm_cdf(z), _BELOW_ONE))  # Phi rounds to 1.0 for z > 8.3

    def from_uniform(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - each kind overrides
        raise NotImplementedError


class Fixed(_Dist):
    """No uncertainty: always ``value``."""

    dist: Literal["fixed"] = "fixed"
    value: Finite

    def sample(self, rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        return np.full(shape, self.value)

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        return np.full(np.shape(u), self.value)

    def from_normal(self, z: np.ndarray) -> np.ndarray:
        return np.full(np.shape(z), self.value)


class Normal(_Dist):
    """Normal with ``mean`` and standard deviation ``sd``."""

    dist: Literal["normal"] = "normal"
    mean: Finite
    sd: NonNegative

    def sample(self, rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        z = rng.standard_normal(shape)  # ours: scaled in place, the numbers of from_normal(z) without two copies
        z *= self.sd
        z += self.mean
        return z

    def sample_into(self, rng: np.random.Generator, out: np.ndarray) -> None:
        rng.standard_normal(out=out)  # the numbers of sample(): drawn straight into out, no copy
        out *= self.sd
        out += self.mean

    def from_normal(self, z: np.ndarray) -> np.ndarray:
        return self.mean + self.sd * z


class Lognormal(_Dist):
    """Lognormal given the ``mean`` and ``sd`` of the value itself (not of its log).

    ``sigma^2 = ln(1 + sd^2 / mean^2)``, ``mu = ln(mean) - sigma^2 / 2``.
    """

    dist: Literal["lognormal"] = "lognormal"
    mean: Positive
    sd: NonNegative

    @model_validator(mode="after")
    def _drawable(self) -> Lognormal:
        ratio = self.sd / self.mean
        if not ratio <= MAX_LOGNORMAL_CV:  # inf for a mean of 5e-324
            shown = f"{ratio:.3g}" if math.isfinite(ratio) else "too large to compute"
            raise ValueError(f"sd must be at most {MAX_LOGNORMAL_CV:g} times the mean for a lognormal (sd / mean "
                             f"is {shown}); its draws would overflow or all be 0: use a larger mean or a "
                             "smaller sd")
        return self

    def _params(self) -> tuple[float, float]:
        s2 = math.log1p((self.sd / self.mean) ** 2)
        return math.log(self.mean) - s2 / 2, math.sqrt(s2)

    def sample(self, rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        mu, sigma = self._params()
        z = rng.standard_normal(shape)  # ours: from_normal(z) in place
        z *= sigma
        z += mu
        return np.exp(z, out=z)

    def from_normal(self, z: np.ndarray) -> np.ndarray:
        mu, sigma = self._params()
        return np.exp(mu + sigma * z)


class Triangular(_Dist):
    """Triangular between ``low`` and ``high`` with the most likely value ``mode``."""

    dist: Literal["triangular"] = "triangular"
    low: Finite
    mode: Finite
    high: Finite

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) must not be above high ({self.high:g})")
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"mode ({self.mode:g}) must lie between low ({self.low:g}) and high ({self.high:g})")
        return self

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        lo, md, hi = self.low, self.mode, self.high
        width = hi - lo
        if width == 0:
            return np.full(np.shape(u), lo)
        c = (md - lo) / width
        left = lo + np.sqrt(u * width * (md - lo))
        right = hi - np.sqrt((1 - u) * width * (hi - md))
        return np.where(u < c, left, right)


class Beta(_Dist):
    """Beta(a, b) on [0, 1], times an optional ``scale`` (e.g. 1.2 for attainment up to 120%)."""

    dist: Literal["beta"] = "beta"
    a: Positive
    b: Positive
    scale: Positive = 1.0

    def sample(self, rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        return self.scale * rng.beta(self.a, self.b, shape)

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        x, cdf = _beta_table(self.a, self.b)
        return self.scale * np.interp(u, cdf, x)


class Binomial(_Dist):
    """Share ``k / n`` of a cohort of ``n`` clients, each succeeding with probability ``p``."""

    dist: Literal["binomial"] = "binomial"
    n: Annotated[WholeNumber, Field(ge=1, le=1_000_000)]
    p: Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)]

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        k = np.arange(self.n + 1, dtype=float)
        if self.p in (0.0, 1.0):
            return np.full(np.shape(u), self.p)
        logpmf = (_lgamma(self.n + 1) - _lgamma(k + 1) - _lgamma(self.n - k + 1)
                  + k * math.log(self.p) + (self.n - k) * math.log1p(-self.p))
        return _discrete_inverse(u, np.exp(logpmf), k / self.n)


class Poisson(_Dist):
    """A count (touchpoints, EBRs, leads) with the given ``mean``."""

    dist: Literal["poisson"] = "poisson"
    mean: Annotated[float, Strict(), Field(ge=0, le=MAX_POISSON_MEAN, allow_inf_nan=False)]

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        if self.mean == 0:
            return np.zeros(np.shape(u))
        # the tail beyond mean + 15 sd + 30 has probability far below 1e-30
        k = np.arange(int(self.mean + 15 * math.sqrt(self.mean) + 30), dtype=float)
        logpmf = k * math.log(self.mean) - self.mean - _lgamma(k + 1)
        return _discrete_inverse(u, np.exp(logpmf), None)


class Empirical(_Dist):
    """Past values. ``bootstrap`` (default): draw one of them, each equally likely.

    With ``bootstrap: false`` draw from the smoothed empirical distribution:
    linear interpolation between the sorted values (min to max).
    """

    dist: Literal["empirical"] = "empirical"
    values: Annotated[list[Finite], Field(min_length=1, max_length=MAX_EMPIRICAL_VALUES)]
    bootstrap: bool = True

    def from_uniform(self, u: np.ndarray) -> np.ndarray:
        v = np.sort(np.asarray(self.values, dtype=float))
        if self.bootstrap or len(v) == 1:
            idx = np.minimum((u * len(v)).astype(np.intp), len(v) - 1)
            return v[idx]
        return np.interp(u, np.linspace(0.0, 1.0, len(v)), v)


Distribution = Annotated[
    Fixed | Normal | Lognormal | Triangular | Beta | Binomial | Poisson | Empirical,
    Field(discriminator="dist"),
]
for _kind in (Fixed, Normal, Lognormal, Triangular, Beta, Binomial, Poisson, Empirical):
    _kind.model_rebuild()  # resolve the forward reference of by_team
#: the ``"dist"`` tags a scenario may use
DIST_KINDS = ("fixed", "normal", "lognormal", "triangular", "beta", "binomial", "poisson", "empirical")

_lgamma = np.vectorize(math.lgamma, otypes=[float])  # only on small tables (n + 1 values), never per draw


def norm_cdf(z: np.ndarray) -> np.ndarray:
    """Standard normal CDF ``Phi(z)``, vectorised, relative error < 1.2e-7.

    Notes
    -----
    ``Phi(z) = erfc(-z / sqrt 2) / 2`` with the Chebyshev-fitted ``erfc`` of
    Numerical Recipes (erfcc). Accurate far beyond Monte Carlo noise; numpy
    only (no scipy).

    Examples
    --------
    >>> [round(float(x), 6) for x in norm_cdf(np.array([-1.96, 0.0, 1.0]))]
    [0.024998, 0.5, 0.841345]
    """
    z = np.asarray(z, dtype=float)
    x = z.reshape(-1) * -_SQRT_HALF
    ax = np.abs(x)
    t = 0.5 * ax
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * _ERFC_COEF[0]
    for c in _ERFC_COEF[1:-1]:  # Horner, in place: no temporaries per coefficient
        poly += c
        poly *= t
    poly += _ERFC_COEF[-1]
    poly -= ax * ax
    np.exp(poly, out=poly)
    poly *= t  # erfc(|x|)
    half = 0.5 * poly
    return np.where(x >= 0, half, 1.0 - half).reshape(z.shape)


_SQRT_HALF = math.sqrt(0.5)
_ERFC_COEF = (0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418,
              0.37409196, 1.00002368, -1.26551223)


def _discrete_inverse(u: np.ndarray, pmf: np.ndarray, support: np.ndarray | None) -> np.ndarray:
    """``support[k]`` (k itself if None) for the smallest k with ``cdf[k] > u``, vectorised by a guide table.

    Notes
    -----
    Chen & Asau's guide table: bucket ``u`` into G equal bins, start at the
    first k that can hold the bin, then step forward while ``cdf[k] <= u``.
    One step resolves almost every u; the rare rest (a bin holding several
    support points) falls back to a binary search. A few array passes, several
    times faster than a binary search of every u.
    """
    cdf = np.cumsum(pmf)
    cdf /= cdf[-1]
    cdf[-1] = 2.0  # every u in [0, 1) ends at or before the last support point
    bins = 1 << max(12, (8 * len(cdf)).bit_length())  # a power of two: u * bins is exact, < bins for u < 1
    guide = np.searchsorted(cdf, np.arange(bins) / bins, side="right")
    u = np.asarray(u, dtype=float)
    flat = u.reshape(-1)
    out = np.empty(flat.shape)
    for s in range(0, len(flat), _SLICE):  # cache-sized slices: ~1.5x faster than one pass over all
        us = flat[s:s + _SLICE]
        k = guide[(us * bins).astype(np.intp)]
        k += cdf[k] <= us  # cdf[k - 1] <= u holds throughout; one step resolves almost every u
        left = cdf[k] <= us  # rare: a bin holding several support points (e.g. the far tail)
        if left.any():
            k[left] = np.searchsorted(cdf, us[left], side="right")
        out[s:s + _SLICE] = k if support is None else support[k]
    return out.reshape(u.shape)


_SLICE = 1 << 16
#: the largest double below 1: uniforms live in [0, 1)
_BELOW_ONE = float(np.nextafter(1.0, 0.0))


def _betacf(a: float, b: float, x: np.ndarray) -> np.ndarray:
    """Continued fraction of the incomplete beta (modified Lentz), vectorised over x."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    d = 1.0 - qab * x / qap
    d = 1.0 / np.where(np.abs(d) < tiny, tiny, d)
    h = d.copy()
    for m in range(1, 400):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + aa * d
            d = 1.0 / np.where(np.abs(d) < tiny, tiny, d)
            c = 1.0 + aa / c
            c = np.where(np.abs(c) < tiny, tiny, c)
            h = h * d * c
        if np.all(np.abs(d * c - 1.0) < 1e-14):
            break
    return h


@functools.lru_cache(maxsize=64)
def _beta_table(a: float, b: float, points: int = 4097) -> tuple[np.ndarray, np.ndarray]:
    """Grid x on [0, 1] (dense near the ends) and the regularised incomplete beta I_x(a, b) on it."""
    x = (1.0 - np.cos(np.linspace(0.0, np.pi, points))) / 2.0
    x[0], x[-1] = 0.0, 1.0
    inner = x[1:-1]
    lbeta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    front = np.exp(a * np.log(inner) + b * np.log1p(-inner) - lbeta)
    direct = inner < (a + 1.0) / (a + b + 2.0)
    cdf_inner = np.where(
        direct,
        front * _betacf(a, b, np.where(direct, inner, 0.5)) / a,
        1.0 - front * _betacf(b, a, np.where(direct, 0.5, 1.0 - inner)) / b,
    )
    cdf = np.concatenate([[0.0], np.clip(cdf_inner, 0.0, 1.0), [1.0]])
    return x, np.maximum.accumulate(cdf)

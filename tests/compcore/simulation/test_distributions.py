"""Distributions against independent references: closed-form quantiles, ``math.erf``/``math.lgamma`` loops.

The quantile checks are exact functions of fixed inputs (no randomness). The
few sampling checks use a fixed seed and a tolerance of 6 standard errors, so a
correct implementation is never near the edge and every run gives the same draws.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from compcore.simulation.distributions import (
    DIST_KINDS,
    Beta,
    Binomial,
    Distribution,
    Empirical,
    Fixed,
    Lognormal,
    Normal,
    Poisson,
    Triangular,
    norm_cdf,
)

DIST = TypeAdapter(Distribution)
#: uniforms strictly inside (0, 1), a fine fixed grid
U = (np.arange(1000) + 0.5) / 1000


def phi(z: float) -> float:
    """Standard normal CDF from the standard library."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def draws(dist: Any, n: int = 200_000, seed: int = 7) -> np.ndarray:
    return dist.sample(np.random.default_rng(seed), (n,))


def within_6_se(values: np.ndarray, mean: float, sd: float) -> bool:
    """The sample mean is within 6 standard errors of ``mean`` (fails by chance < 1e-8)."""
    return abs(values.mean() - mean) <= 6 * sd / math.sqrt(values.size)


# --- the normal CDF used by the copula ---------------------------------------------------------

def test_norm_cdf_matches_math_erf_on_a_grid_from_minus_8_to_8() -> None:
    z = np.linspace(-8.0, 8.0, 321)
    reference = np.array([phi(x) if x >= 0 else 0.5 * math.erfc(-x / math.sqrt(2.0)) for x in z])
    # the documented accuracy: relative error below 1.2e-7 everywhere, tails included
    assert np.max(np.abs(norm_cdf(z) / reference - 1.0)) < 1.2e-7


def test_norm_cdf_known_points_and_shape() -> None:
    # Phi(0) = 1/2 (to the fitted erfc's 1.2e-7); Phi(1.96) = 0.975 to 4 decimals (the 95% interval)
    out = norm_cdf(np.array([[0.0, 1.96], [-1.96, 0.0]]))
    assert out.shape == (2, 2)
    assert out[0, 0] == out[1, 1] == pytest.approx(0.5, abs=1e-7)
    assert out[0, 1] == pytest.approx(0.975, abs=1e-4)
    assert out[0, 1] + out[1, 0] == pytest.approx(1.0, abs=1e-12)


# --- fixed ----------------------------------------------------------------------------------

def test_fixed_is_always_its_value_whatever_the_randomness() -> None:
    d = Fixed(value=0.93)
    assert np.all(draws(d, 1000) == 0.93)
    assert np.all(d.from_normal(np.array([-40.0, 0.0, 40.0])) == 0.93)
    assert np.all(d.from_uniform(U) == 0.93)
    assert d.sample(np.random.default_rng(0), (3, 4)).shape == (3, 4)


# --- normal ----------------------------------------------------------------------------------

def test_normal_maps_z_to_mean_plus_sd_times_z() -> None:
    d = Normal(mean=0.95, sd=0.1)
    z = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    # 0.95 + 0.1 * z: 0.75, 0.85, 0.95, 1.05, 1.15
    assert d.from_normal(z) == pytest.approx([0.75, 0.85, 0.95, 1.05, 1.15], abs=1e-12)


def test_normal_sample_mean_and_sd_for_a_fixed_seed() -> None:
    v = draws(Normal(mean=0.95, sd=0.1))
    assert within_6_se(v, 0.95, 0.1)
    # sd of the sample: its standard error is about sd / sqrt(2n) = 0.00016
    assert v.std() == pytest.approx(0.1, abs=6 * 0.1 / math.sqrt(2 * v.size))


def test_normal_with_zero_sd_is_its_mean() -> None:
    assert np.all(draws(Normal(mean=1.1, sd=0.0), 100) == 1.1)


# --- lognormal: mean and sd are of the value itself -------------------------------------------

@pytest.mark.parametrize(("mean", "sd"), [(1.0, 0.2), (6.0, 3.0), (0.05, 0.01)])
def test_lognormal_mean_and_sd_are_those_of_the_value(mean: float, sd: float) -> None:
    d = Lognormal(mean=mean, sd=sd)
    # E[f(Z)] for a standard normal Z by Gauss-Hermite quadrature (exact for these smooth integrands to 1e-12)
    z, w = np.polynomial.hermite_e.hermegauss(80)
    w = w / w.sum()
    x = d.from_normal(z)
    got_mean = float(np.sum(w * x))
    got_sd = math.sqrt(float(np.sum(w * (x - got_mean) ** 2)))
    assert got_mean == pytest.approx(mean, rel=1e-9)
    assert got_sd == pytest.approx(sd, rel=1e-9)


def test_lognormal_median_is_mean_over_sqrt_of_one_plus_cv_squared() -> None:
    # mean 1.0, sd 0.2: cv^2 = 0.04, median = exp(mu) = 1 / sqrt(1.04)
    assert float(Lognormal(mean=1.0, sd=0.2).from_normal(np.array(0.0))) == pytest.approx(1 / math.sqrt(1.04))


def test_lognormal_sample_mean_for_a_fixed_seed() -> None:
    v = draws(Lognormal(mean=1.0, sd=0.2))
    assert v.min() > 0
    assert within_6_se(v, 1.0, 0.2)


# --- triangular -------------------------------------------------------------------------------

def triangular_cdf(x: float, low: float, mode: float, high: float) -> float:
    """The textbook triangular CDF."""
    if x <= mode:
        return (x - low) ** 2 / ((high - low) * (mode - low))
    return 1.0 - (high - x) ** 2 / ((high - low) * (high - mode))


def test_triangular_quantile_inverts_the_textbook_cdf() -> None:
    d = Triangular(low=0.85, mode=1.0, high=1.2)
    x = d.from_uniform(U)
    assert max(abs(triangular_cdf(xi, 0.85, 1.0, 1.2) - ui) for xi, ui in zip(x, U, strict=True)) < 1e-12
    assert x.min() >= 0.85 and x.max() <= 1.2


def test_triangular_mode_sits_at_its_cdf_and_mean_is_a_third_of_the_corners() -> None:
    d = Triangular(low=0.85, mode=1.0, high=1.2)
    # F(mode) = (mode - low) / (high - low) = 0.15 / 0.35
    assert float(d.from_uniform(np.array(0.15 / 0.35))) == pytest.approx(1.0, abs=1e-12)
    # mean = integral of the quantile over (0, 1) = (0.85 + 1.0 + 1.2) / 3 = 1.016666...
    u = (np.arange(200_000) + 0.5) / 200_000
    assert float(d.from_uniform(u).mean()) == pytest.approx(3.05 / 3, abs=1e-6)


def test_triangular_with_no_width_is_its_one_value() -> None:
    assert np.all(Triangular(low=1.0, mode=1.0, high=1.0).from_uniform(U) == 1.0)


# --- beta, with scale -------------------------------------------------------------------------

def beta_cdf_integer(x: float, a: int, b: int) -> float:
    """I_x(a, b) for whole a, b: P(at least a successes in a + b - 1 trials with chance x)."""
    n = a + b - 1
    return sum(math.comb(n, j) * x ** j * (1 - x) ** (n - j) for j in range(a, n + 1))


def beta_cdf_numeric(x: float, a: float, b: float, steps: int = 4000) -> float:
    """I_x(a, b) by Simpson's rule on the density, normalised with ``math.lgamma`` (a, b > 1: smooth)."""
    log_b = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    h = x / steps
    total = 0.0
    for i in range(steps + 1):
        t = i * h
        f = 0.0 if t in (0.0, 1.0) else math.exp((a - 1) * math.log(t) + (b - 1) * math.log1p(-t) - log_b)
        total += f * (1 if i in (0, steps) else 4 if i % 2 else 2)
    return total * h / 3


@pytest.mark.parametrize(("a", "b", "quantile"), [
    (1.0, 1.0, lambda u: u),                            # uniform
    (0.5, 0.5, lambda u: np.sin(np.pi * u / 2) ** 2),   # arcsine
    (3.0, 1.0, lambda u: u ** (1 / 3)),                 # F(x) = x^3
    (1.0, 4.0, lambda u: 1 - (1 - u) ** (1 / 4)),       # F(x) = 1 - (1 - x)^4
])
def test_beta_quantile_matches_closed_forms(a: float, b: float, quantile: Any) -> None:
    assert np.max(np.abs(Beta(a=a, b=b).from_uniform(U) - quantile(U))) < 1e-6


def test_beta_quantile_inverts_the_binomial_sum_cdf_for_whole_parameters() -> None:
    x = Beta(a=2, b=3).from_uniform(U)
    assert max(abs(beta_cdf_integer(xi, 2, 3) - ui) for xi, ui in zip(x, U, strict=True)) < 1e-6


def test_beta_quantile_inverts_a_numerically_integrated_cdf_for_fractional_parameters() -> None:
    d = Beta(a=2.5, b=1.7)
    for u in (0.05, 0.25, 0.5, 0.75, 0.95):
        x = float(d.from_uniform(np.array(u)))
        assert beta_cdf_numeric(x, 2.5, 1.7) == pytest.approx(u, abs=1e-6)


def test_beta_scale_stretches_the_quantile_and_the_draws() -> None:
    # Beta(2, 1) has F(x) = x^2, so the quantile is sqrt(u); times 1.2 for attainment up to 120%
    d = Beta(a=2, b=1, scale=1.2)
    assert np.max(np.abs(d.from_uniform(U) - 1.2 * np.sqrt(U))) < 1e-6
    v = draws(d)
    assert v.min() >= 0 and v.max() <= 1.2
    # mean 1.2 * a / (a + b) = 0.8; sd 1.2 * sqrt(ab / ((a + b)^2 (a + b + 1))) = 1.2 * sqrt(2 / 36)
    assert within_6_se(v, 0.8, 1.2 * math.sqrt(2 / 36))


def test_beta_sample_moments_for_a_fixed_seed() -> None:
    # Beta(5, 95): the churn assumption of the sample scenario. Mean 0.05, sd sqrt(5 * 95 / (100^2 * 101))
    v = draws(Beta(a=5, b=95))
    assert within_6_se(v, 0.05, math.sqrt(5 * 95 / (100 ** 2 * 101)))


# --- discrete: binomial share and poisson count -------------------------------------------------

def midpoints(cdf: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Uniforms halfway between consecutive CDF steps (never near a tie) and the k each must give."""
    lo = [0.0, *cdf[:-1]]
    pairs = [((a + b) / 2, k) for k, (a, b) in enumerate(zip(lo, cdf, strict=True)) if b - a > 1e-9]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs], dtype=float)


def binomial_cdf(n: int, p: float) -> list[float]:
    out, total = [], 0.0
    for k in range(n + 1):
        total += math.comb(n, k) * p ** k * (1 - p) ** (n - k)
        out.append(total)
    return out


def poisson_cdf(mean: float, kmax: int) -> list[float]:
    out, total = [], 0.0
    for k in range(kmax + 1):
        total += math.exp(k * math.log(mean) - mean - math.lgamma(k + 1))
        out.append(total)
    return out


@pytest.mark.parametrize(("n", "p"), [(20, 0.88), (5, 0.5), (40, 0.1)])
def test_binomial_quantile_is_the_share_k_over_n_of_the_textbook_cdf(n: int, p: float) -> None:
    u, k = midpoints(binomial_cdf(n, p))
    assert np.array_equal(Binomial(n=n, p=p).from_uniform(u), k / n)


def test_binomial_draws_only_shares_k_over_n_with_mean_p() -> None:
    v = draws(Binomial(n=20, p=0.88))
    k = v * 20
    assert np.array_equal(k, np.round(k)) and k.min() >= 0 and k.max() <= 20
    # a share of 20 clients: mean p = 0.88, sd sqrt(p (1 - p) / n)
    assert within_6_se(v, 0.88, math.sqrt(0.88 * 0.12 / 20))


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_binomial_with_certain_outcome_is_fixed(p: float) -> None:
    assert np.all(Binomial(n=12, p=p).from_uniform(U) == p)


@pytest.mark.parametrize("mean", [0.7, 6.0, 40.0])
def test_poisson_quantile_matches_an_lgamma_loop(mean: float) -> None:
    u, k = midpoints(poisson_cdf(mean, int(mean + 10 * math.sqrt(mean) + 20)))
    u = u[u < 1 - 1e-9]  # the reference is truncated; its last steps are below float resolution
    assert np.array_equal(Poisson(mean=mean).from_uniform(u), k[:u.size])


def test_poisson_draws_whole_counts_with_its_mean() -> None:
    v = draws(Poisson(mean=6))
    assert np.array_equal(v, np.round(v)) and v.min() >= 0
    assert within_6_se(v, 6.0, math.sqrt(6.0))


def test_poisson_with_zero_mean_is_always_zero() -> None:
    assert np.all(Poisson(mean=0).from_uniform(U) == 0)


# --- empirical -------------------------------------------------------------------------------

def test_empirical_bootstrap_draws_only_listed_values_each_equally_often() -> None:
    d = Empirical(values=[1.2, 0.9, 1.1])
    # sorted 0.9, 1.1, 1.2: u in [0, 1/3) -> 0.9, [1/3, 2/3) -> 1.1, [2/3, 1) -> 1.2
    assert d.from_uniform(np.array([0.0, 0.3, 0.34, 0.6, 0.7, 0.999])).tolist() == [0.9, 0.9, 1.1, 1.1, 1.2, 1.2]
    v = draws(d, 30_000)
    values, counts = np.unique(v, return_counts=True)
    assert values.tolist() == [0.9, 1.1, 1.2]
    # each 1/3: binomial sd sqrt(n / 3 * 2 / 3) = 82 draws; 6 sd = 490
    assert np.all(np.abs(counts - 10_000) < 490)


def test_empirical_smoothed_interpolates_between_sorted_values() -> None:
    d = Empirical(values=[4.0, 1.0, 2.0], bootstrap=False)
    # sorted 1, 2, 4 at u = 0, 0.5, 1; halfway between them 1.5 and 3
    assert d.from_uniform(np.array([0.0, 0.25, 0.5, 0.75])).tolist() == [1.0, 1.5, 2.0, 3.0]


def test_empirical_with_one_value_is_that_value() -> None:
    assert np.all(Empirical(values=[0.8], bootstrap=False).from_uniform(U) == 0.8)


# --- the copula transform and the schema ----------------------------------------------------------

@pytest.mark.parametrize("dist", [
    {"dist": "triangular", "low": 0.85, "mode": 1.0, "high": 1.2},
    {"dist": "beta", "a": 2, "b": 3, "scale": 1.2},
    {"dist": "binomial", "n": 20, "p": 0.88},
    {"dist": "poisson", "mean": 6},
    {"dist": "empirical", "values": [0.9, 1.1, 1.2]},
])
def test_from_normal_is_the_quantile_of_phi_z(dist: dict[str, Any]) -> None:
    d = DIST.validate_python(dist)
    z = np.array([-2.5, -1.0, -0.3, 0.2, 1.1, 2.4])
    u = np.array([phi(x) for x in z])
    # norm_cdf is within 1.2e-7 of Phi: continuous quantiles move by less than 1e-6, and no discrete
    # jump lies that close to these Phi(z), so the discrete values are the same
    assert d.from_normal(z) == pytest.approx(d.from_uniform(u), abs=1e-6)


def test_every_dist_kind_is_a_tag_of_the_schema() -> None:
    examples = {"fixed": {"value": 1}, "normal": {"mean": 1, "sd": 0.1}, "lognormal": {"mean": 1, "sd": 0.1},
                "triangular": {"low": 0, "mode": 1, "high": 2}, "beta": {"a": 2, "b": 3},
                "binomial": {"n": 10, "p": 0.5}, "poisson": {"mean": 3}, "empirical": {"values": [1, 2]}}
    assert set(DIST_KINDS) == set(examples)
    for kind, params in examples.items():
        assert DIST.validate_python({"dist": kind, **params}).dist == kind


@pytest.mark.parametrize(("dist", "words"), [
    ({"dist": "triangular", "low": 1.2, "mode": 1.0, "high": 0.8}, "low (1.2) must not be above high (0.8)"),
    ({"dist": "triangular", "low": 0.8, "mode": 1.3, "high": 1.2}, "mode (1.3) must lie between"),
    ({"dist": "binomial", "n": 0, "p": 0.5}, "greater than or equal to 1"),
    ({"dist": "binomial", "n": 10, "p": 1.5}, "less than or equal to 1"),
    ({"dist": "lognormal", "mean": 0, "sd": 0.1}, "greater than 0"),
    ({"dist": "normal", "mean": 1, "sd": -0.1}, "greater than or equal to 0"),
    ({"dist": "empirical", "values": []}, "at least 1"),
    ({"dist": "normal", "mean": float("nan"), "sd": 0.1}, "finite"),
])
def test_impossible_parameters_are_refused_with_a_reason(dist: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words.replace("(", r"\(").replace(")", r"\)")):
        DIST.validate_python(dist)

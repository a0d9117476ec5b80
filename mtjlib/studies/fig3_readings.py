"""Claim F3 under each reading of the trigger's protocol, and what innate training buys.

The paper gives its network "a pulse input" to which every MTJ learns "its own sustained
response", and a 170 ns character to draw; it says nothing of where the pulse sits in the
drawing, nor which steps are judged. Each defensible answer is a *reading*, a configuration of
:class:`~mtjlib.training.innate_config.InnateConfig` made from claim F3's
(:func:`mtjlib.studies.fig3_ablation.lb_config`) by the fields of :data:`READING_FIELDS`:

- ``inside``: the trigger fills the first steps of each 170 ns period, the readout learns after
  it, and the whole period is judged (the book's first reading);
- ``before``: Laje and Buonomano's protocol, a pulse *then* the pattern: the trigger precedes
  each drawn 170 ns period, the readout learns on the drawn period and only the drawn period is
  judged (``trigger_before=True``);
- ``readout-whole``: the trigger inside the period, the readout trained on the trigger's steps
  too, the whole period judged (``readout_whole_period=True``).

:func:`reading_trial` runs one reading on one network seed, innate-trained and readout-only
(the same network and draws), and optionally measures the robustness the paper gives as the
reason for innate training (:func:`robustness`): the drawing error against the noise on the
drive, and the recovery after a perturbation pulse.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mtjlib._validate import check_instance, check_int, check_real, check_seed
from mtjlib.studies.fig3_ablation import rung_metrics, rung_runs
from mtjlib.tasks.drawing import InnateRun, evaluate_drawing
from mtjlib.training.innate_config import InnateConfig, trigger_input

__all__ = ["READING_FIELDS", "perturb_step", "reading_configs", "reading_trial", "robustness"]

#: Claim F3's readings: id -> the InnateConfig fields that make it from the claim's configuration.
READING_FIELDS: dict[str, dict] = {
    "inside": {},
    "before": {"trigger_before": True},
    "readout-whole": {"readout_whole_period": True},
}


def reading_configs(base: InnateConfig) -> dict[str, InnateConfig]:
    """Each reading of :data:`READING_FIELDS` applied to ``base`` (claim F3's configuration,
    :func:`~mtjlib.studies.fig3_ablation.lb_config`), by id. ``base`` must have the trigger
    inside the period and the readout trained after it (the fields the readings set)."""
    check_instance("base", base, InnateConfig)
    if base.trigger_before or base.readout_whole_period:
        raise ValueError(f"base has trigger_before={base.trigger_before}, readout_whole_period="
                         f"{base.readout_whole_period}: the readings set these; give False")
    return {rid: base.replace(**fields) for rid, fields in READING_FIELDS.items()}


def perturb_step(config: InnateConfig, period: int = 1) -> int:
    """The step of the perturbation pulse: a quarter into drawn period ``period`` (counted from
    0), leaving three quarters of it to recover before the next trigger."""
    check_instance("config", config, InnateConfig)
    check_int("period", period, 0, 10**6)
    return period * config.cycle_steps + config.drawn_start + config.steps // 4


def robustness(trained: InnateRun, readout_only: InnateRun, config: InnateConfig, seed=0, *,
               noise_levels: Sequence[float] = (), n_trials: int = 10, n_periods: int = 3,
               perturb_amplitude: float = 0.0, perturb_steps: int = 0) -> dict:
    """The robustness of the two trained networks of one seed, from the same test states.

    ``error_noise{i}`` (and ``..._readout_only``): mean F3 error at drive noise
    ``noise_levels[i]`` (SD per step). With ``perturb_amplitude`` and ``perturb_steps``: a pulse
    on input node 1 at :func:`perturb_step` (period 1; needs ``n_periods >= 3``), and the error
    over the rest of that drawn period after the pulse (``perturb_rest``, unperturbed:
    ``perturb_rest_base``) and over the periods after it (``perturb_after``,
    ``perturb_after_base``), each also ``_readout_only``. Mean over trials (and periods).
    """
    check_instance("trained", trained, InnateRun)
    check_instance("readout_only", readout_only, InnateRun)
    check_instance("config", config, InnateConfig)
    check_seed("seed", seed)
    check_int("n_trials", n_trials, 1, 10**6)
    check_int("n_periods", n_periods, 1, 10**6)
    levels = list(noise_levels)
    for i, v in enumerate(levels):
        check_real(f"noise_levels[{i}]", v, 0.0, 1e3)
    check_real("perturb_amplitude", perturb_amplitude, -1e6, 1e6)
    check_int("perturb_steps", perturb_steps, 0, config.steps // 2)
    perturb = perturb_amplitude != 0 and perturb_steps > 0
    if perturb and n_periods < 3:
        raise ValueError(f"n_periods={n_periods}: a perturbation needs at least 3 periods (one "
                         "from the random state, the perturbed one, one after)")
    key = int(np.random.default_rng(seed).integers(0, 2**63 - 1)) \
        if isinstance(seed, np.random.Generator) else seed
    out = {}
    for suffix, run in (("", trained), ("_readout_only", readout_only)):
        for i, sd in enumerate(levels):
            d = evaluate_drawing(run.net, run.path, config, np.random.default_rng([key, 21]),
                                 n_trials=n_trials, n_periods=n_periods, noise=sd)
            out[f"error_noise{i}{suffix}"] = d.mean_error
        if perturb:
            out.update({f"{k}{suffix}": v for k, v in _perturbation(
                run, config, key, n_trials, n_periods, perturb_amplitude, perturb_steps).items()})
    return out


def _perturbation(run, config, key, n_trials, n_periods, amplitude, steps) -> dict:
    """Errors of ``run``'s network with and without the pulse, from the same states."""
    at = perturb_step(config)
    u = trigger_input(config, n_periods, perturb_step=at, perturb_amplitude=amplitude,
                      perturb_steps=steps)
    T, C, s0 = config.steps, config.cycle_steps, config.drawn_start
    start = at + steps - C - s0  # first drawn step of period 1 after the pulse
    out = {}
    for name, uu in (("", u), ("_base", None)):
        d = evaluate_drawing(run.net, run.path, config, np.random.default_rng([key, 23]),
                             n_trials=n_trials, n_periods=n_periods, u=uu)
        zd = d.z_drawn.reshape(n_trials, n_periods, T, 2)
        diag = float(np.hypot(*(d.target.max(axis=0) - d.target.min(axis=0))))
        rest = np.sum((zd[:, 1, start:] - d.target[start:]) ** 2, axis=-1)
        out[f"perturb_rest{name}"] = float(np.sqrt(rest.mean(axis=1)).mean()) / diag
        out[f"perturb_after{name}"] = float(d.error[:, 2:].mean())
    return out


def reading_trial(config: InnateConfig, seed=0, *, data, n_test: int = 10,
                  n_test_periods: int = 3, noise_levels: Sequence[float] = (),
                  perturb_amplitude: float = 0.0, perturb_steps: int = 0,
                  robust_trials: int | None = None) -> dict:
    """One reading's configuration on one network seed, for :func:`mtjlib.sweep.sweep`: the
    numbers of :func:`~mtjlib.studies.fig3_ablation.rung_metrics` (innate-trained and
    readout-only), plus those of :func:`robustness` when ``noise_levels`` or a perturbation
    are given, on ``robust_trials`` test trials (None: ``n_test``). A Generator ``seed`` gives
    one int seed drawn from it."""
    check_seed("seed", seed)
    if robust_trials is not None:
        check_int("robust_trials", robust_trials, 1, 10**6)
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(0, 2**63 - 1))
    a, b = rung_runs(config, seed, data=data, n_test=n_test, n_test_periods=n_test_periods)
    out = rung_metrics(a, b, config, seed)
    if len(noise_levels) or (perturb_amplitude != 0 and perturb_steps > 0):
        n_rob = n_test if robust_trials is None else robust_trials
        out.update(robustness(a, b, config, seed, noise_levels=noise_levels, n_trials=n_rob,
                              n_periods=n_test_periods, perturb_amplitude=perturb_amplitude,
                              perturb_steps=perturb_steps))
    return out

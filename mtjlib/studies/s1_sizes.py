"""Supplementary study S1, junctions of different sizes in the network: the network of a
:class:`~mtjlib.physics.family.DeviceFamily` (:func:`family_network`), the family of a sweep trial
(:func:`trial_family`) and the sweep tasks of Fig. 2 and Fig. 4 with a family
(:func:`fig2_family_trial`, :func:`recognition_family_trial`). The families themselves and
their common-scale response curves are in :mod:`mtjlib.physics.family`.
"""

from __future__ import annotations

import numpy as np

from mtjlib._validate import check_bool, check_choice, check_instance, check_int
from mtjlib.networks.network import MAX_N, Network, NetworkParams, build_network
from mtjlib.physics.device import DeviceParams
from mtjlib.physics.family import (
    DEFAULT_SPREAD,
    PAPER_K,
    PAPER_N,
    DeviceFamily,
    common_curves,
    device_family,
)
from mtjlib.tasks.generation import (
    Timeline,
    fig2_timeline,
    fig2_training,
    free_run_numbers,
    training_settings,
)
from mtjlib.tasks.recognition import (
    METHODS,
    RECOGNITION_PARAMS,
    recognition_stream,
    train_and_classify,
)
from mtjlib.training.force import force_train

__all__ = ["FAMILY_STREAM", "family_network", "fig2_family_trial", "recognition_family_trial",
           "trial_family"]


#: A stream key mixed with a trial's seed to draw its family (the network uses the seed itself).
FAMILY_STREAM = 0x51


def family_network(params: NetworkParams | None = None, seed=0, *, family: DeviceFamily,
                   normalisation: str = "common", **overrides) -> Network:
    """:func:`mtjlib.networks.network.build_network` of ``params`` from ``seed`` with the family's
    junctions and their common-scale curves (lookup or LLG mode, as ``params`` says)."""
    params = NetworkParams() if params is None else params
    if not isinstance(params, NetworkParams):
        raise TypeError(f"params must be a NetworkParams, got "
                        f"{type(params).__name__}: {params!r:.60}")
    if overrides:
        params = params.replace(**overrides)
    if not isinstance(family, DeviceFamily):
        raise TypeError(f"family must be a DeviceFamily, got "
                        f"{type(family).__name__}: {family!r:.60}")
    if family.n != params.n:
        raise ValueError(f"the family has n={family.n} junctions, the network n={params.n}")
    curves = common_curves(family, x_limits=params.x_limits, normalisation=normalisation)
    return build_network(params, seed, devices=list(family.devices), curves=curves)


def trial_family(seed: int, n: int, *, spread: float, k: int, kind: str = "uniform",
                 ku_spread: float = 0.0, fixed_ra: bool = True,
                 nominal: DeviceParams | None = None) -> DeviceFamily:
    """The family of a sweep trial: drawn from (seed, FAMILY_STREAM), independent of the network
    drawn from ``seed``; ``spread = 0`` is the identical-junction network (k = 1)."""
    check_int("seed", seed, 0, 2**63 - 1)
    k = 1 if spread == 0 else k
    return device_family(n, k, spread=spread, kind=kind, nominal=nominal, ku_spread=ku_spread,
                         fixed_ra=fixed_ra, seed=np.random.default_rng([seed, FAMILY_STREAM]))


def fig2_family_trial(value=None, seed=0, *, name: str | None = "spread",
                      spread: float = DEFAULT_SPREAD, k: int = PAPER_K, kind: str = "uniform",
                      ku_spread: float = 0.0, fixed_ra: bool = True,
                      normalisation: str = "common", params: NetworkParams | None = None,
                      timeline: Timeline | None = None, training: dict | None = None) -> dict:
    """One seed of Fig. 2 with a family of junctions, as numbers (for :func:`mtjlib.sweep.sweep`).

    ``name`` (``spread``, ``k``, ``kind``, ``ku_spread``; None: ``value`` ignored) is set to
    ``value``. The network (J, W_f, b, x0) is drawn from ``seed`` exactly as in
    :func:`mtjlib.tasks.generation.fig2_trial`, so ``spread = 0`` reproduces it bit for bit and the
    comparison with identical junctions is paired by seed. Returns, per free run k,
    ``nrmse_k``, ``period_ns_k``, ``target_period_ns_k``, plus ``f_lo`` and ``f_hi`` (the range
    of F over the family at x = 0 and x = 1).
    """
    kw = {"spread": spread, "k": k, "kind": kind, "ku_spread": ku_spread}
    if name is not None:
        if name not in kw:
            raise ValueError(f"name={name!r} is not one of {tuple(kw)} (or None)")
        kw[name] = value
    params = NetworkParams() if params is None else params
    check_instance("params", params, NetworkParams)
    training = (fig2_training(params.n) if training is None
                else training_settings(training))
    timeline = fig2_timeline(dt_ns=params.dt_ns) if timeline is None else timeline
    check_instance("timeline", timeline, Timeline)
    fam = trial_family(seed, params.n, fixed_ra=fixed_ra, **kw)
    net = family_network(params, seed, family=fam, normalisation=normalisation)
    res = force_train(net, timeline.target, timeline.t_ns, timeline.learn, **training)
    out = free_run_numbers(res, timeline)
    out["f_lo"] = float(np.min(net.tab_f[:, np.argmin(np.abs(net.tab_x[0]))]))
    out["f_hi"] = float(np.max(net.tab_f[:, np.argmin(np.abs(net.tab_x[0] - 1.0))]))
    return out


def recognition_family_trial(value=None, seed=0, *, name: str | None = "spread",
                             spread: float = DEFAULT_SPREAD, k: int = PAPER_K,
                             kind: str = "uniform", ku_spread: float = 0.0,
                             fixed_ra: bool = True, normalisation: str = "common",
                             n_mtj: int = PAPER_N, noise: float = 0.05, n_train: int = 60,
                             n_test: int = 100, method: str = "force",
                             params: NetworkParams | None = None) -> dict:
    """One seed of Fig. 4 with a family of junctions: ``accuracy``, ``correct_windows``.

    Seeded like :func:`mtjlib.tasks.recognition.run_recognition` (two children of
    ``SeedSequence(seed)`` draw the stream and the network), so ``spread = 0`` reproduces
    :func:`mtjlib.tasks.recognition.recognition_trial` bit for bit; the family is drawn from
    (seed, FAMILY_STREAM). ``name`` as in :func:`fig2_family_trial`.
    """
    kw = {"spread": spread, "k": k, "kind": kind, "ku_spread": ku_spread}
    if name is not None:
        if name not in kw:
            raise ValueError(f"name={name!r} is not one of {tuple(kw)} (or None)")
        kw[name] = value
    check_int("seed", seed, 0, 2**63 - 1)
    check_int("n_mtj", n_mtj, 1, MAX_N)
    check_int("n_train", n_train, 1, 10**7)
    check_int("n_test", n_test, 1, 10**7)
    check_choice("method", method, METHODS)
    check_bool("fixed_ra", fixed_ra)
    params = RECOGNITION_PARAMS if params is None else params
    check_instance("params", params, NetworkParams)
    params = params.replace(n=n_mtj)
    s_stream, s_net = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    stream = recognition_stream(n_train + n_test, s_stream, noise=noise)
    fam = trial_family(seed, n_mtj, fixed_ra=fixed_ra, **kw)
    net = family_network(params, s_net, family=fam, normalisation=normalisation)
    res = train_and_classify(net, stream, n_train, method=method)
    return {"accuracy": res.accuracy, "correct_windows": res.correct_windows}

"""Supplementary study S3 (imperfect synapses) read in every defensible way: named models of
each imperfection, and the readout's regularisation against weight noise.

Zheng et al. (2020) name three imperfections, "the fluctuation of the synaptic weights, signal
delay in the RNN, and failure to update part of the output synapses during the training
process", without models or levels. Each leaves choices open, and each choice is a configuration
of :class:`~mtjlib.networks.imperfections.Imperfections`: a :class:`SynapseModel` is one
imperfection swept alone (its ``field``) on top of a fixed ``base`` that states the choices (static
or cycle-to-cycle, on which synapses, in situ or at test only; the delay's mode; the failure
rule). :data:`MODELS` names the ones the book runs, by part.

The readout of the Fig. 2 network is trained with P(0) = I / alpha and alpha = 1e-3 by the
windup-free bounded RLS step (:func:`mtjlib.tasks.generation.fig2_training`), whose P never
exceeds max(1/alpha, 1/alpha_bound); the Fig. 2 page's trainer, exponential forgetting 0.995,
winds P up in the directions the rates do not excite and is S3's control. :func:`fig2_readout_trial` runs one seed of Fig. 2 at any alpha with one
imperfection and returns, besides the free-run errors, the readout's norm at the end of each
learning window, so that a sweep can set the tolerance to weight noise against the norm the
regularisation gives. :func:`fig2_imperfect_trial` and :func:`recognition_imperfect_trial` are
the sweep tasks of Fig. 2 and Fig. 4 with one imperfection set to a level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtjlib._validate import check_choice, check_real
from mtjlib.networks.imperfections import Imperfections
from mtjlib.networks.network_params import NetworkParams
from mtjlib.tasks.generation import (
    fig2_timeline,
    fig2_training,
    fig2_trial,
    free_run_numbers,
    run_timeline,
    training_settings,
)
from mtjlib.tasks.recognition import recognition_trial

__all__ = ["MODELS", "PARTS", "SynapseModel", "fig2_imperfect_trial", "fig2_readout_trial",
           "recognition_imperfect_trial"]

#: The parts of the paper's statement, in its order.
PARTS = ("fluctuation", "delay", "failure")
#: Fields that carry a level: a relative level (fraction) or a delay (steps).
_LEVEL_FIELDS = ("static_sigma", "read_sigma", "write_sigma", "recurrent_delay",
                 "feedback_delay", "fail_fraction")


@dataclass(frozen=True)
class SynapseModel:
    """One imperfection swept alone: ``field`` carries the level, ``base`` fixes the rest."""

    part: str
    """The part of the paper's statement it reads: ``fluctuation``, ``delay`` or ``failure``."""
    field: str
    """The :class:`~mtjlib.networks.imperfections.Imperfections` field set to the level."""
    base: Imperfections
    """Every other choice (its own ``field`` is 0)."""

    def __post_init__(self):
        check_choice("part", self.part, PARTS)
        check_choice("field", self.field, _LEVEL_FIELDS)
        if not isinstance(self.base, Imperfections):
            raise TypeError(f"base must be an Imperfections, got "
                            f"{type(self.base).__name__}: {self.base!r:.60}")
        if getattr(self.base, self.field):
            raise ValueError(f"base.{self.field}={getattr(self.base, self.field)!r} must be 0: "
                             "the model sets it to each level")

    def at(self, level) -> Imperfections:
        """The imperfections at ``level`` (validated by :class:`Imperfections`)."""
        return self.base.replace(**{self.field: level})


def _fluctuation(field: str, where: str, when: str) -> SynapseModel:
    return SynapseModel("fluctuation", field, Imperfections(fluctuating=where, active=when))


#: The models the book runs, by "part/name". Fluctuation: cycle-to-cycle read noise (``c2c``) or
#: a static programming error (``static``), on every synapse (``all``), on J and W_f
#: (``recurrent``) or on W_out (``readout``), in situ or at test only; and write noise on the
#: readout updates. Delay: the same on every recurrent synapse, random per synapse, or on the fed
#: back output. Failure: the rule blind or aware.
MODELS: dict[str, SynapseModel] = {
    **{f"fluctuation/{kind}-{label}-{when_label}": _fluctuation(field, where, when)
       for kind, field in (("c2c", "read_sigma"), ("static", "static_sigma"))
       for when_label, when in (("insitu", "always"), ("test", "test"))
       for label, where in (("all", "all"), ("recurrent", "network"), ("readout", "readout"))},
    "fluctuation/write-readout": SynapseModel("fluctuation", "write_sigma", Imperfections()),
    "delay/uniform": SynapseModel("delay", "recurrent_delay", Imperfections()),
    "delay/random": SynapseModel("delay", "recurrent_delay", Imperfections(delay_mode="random")),
    "delay/feedback": SynapseModel("delay", "feedback_delay", Imperfections()),
    "failure/blind": SynapseModel("failure", "fail_fraction", Imperfections()),
    "failure/aware": SynapseModel("failure", "fail_fraction", Imperfections(fail_rule="aware")),
}


def fig2_readout_trial(value=None, seed=0, *, model: str | SynapseModel | None = None,
                       alpha: float | None = None, training: dict | None = None,
                       params: NetworkParams | None = None) -> dict:
    """One seed of Fig. 2 with the imperfection of ``model`` at level ``value``, the readout
    trained with ``training`` (and P(0) = I / ``alpha`` if given): free-run errors and the
    readout's norm.

    Parameters
    ----------
    value : float or int, optional
        The model's level (ignored when ``model`` is None: the ideal network).
    seed : int or numpy.random.Generator
        Draws the network, then the imperfections (as :func:`mtjlib.tasks.generation.run_timeline`).
    model : str or SynapseModel, optional
        A key of :data:`MODELS` or a model.
    alpha : float, optional
        P(0) = I / alpha of the RLS readout, in [1e-12, 1e12] (default: ``training``'s).
    training : dict, optional
        :func:`mtjlib.training.force.force_train` settings (default: the book's,
        windup-free :func:`mtjlib.tasks.generation.fig2_training` of the network's size; the
        old trainer is :data:`mtjlib.tasks.generation.FIG2_TRAINING_EXPONENTIAL`).
    params : NetworkParams, optional
        The network (default: the book's).

    Returns
    -------
    dict
        Per free run k (1, 2): :func:`mtjlib.tasks.generation.free_run_numbers`, and ``w_norm_k``,
        the Euclidean norm of W_out, and ``p_max_k``, the largest eigenvalue of P, at the end of
        learning window k. With ``training=FIG2_TRAINING_EXPONENTIAL`` the free-run numbers are
        those of :func:`mtjlib.studies.s3_synapses.fig2_imperfect_trial` bit for bit.
    """
    if isinstance(model, str):
        check_choice("model", model, tuple(MODELS))
        model = MODELS[model]
    if model is not None and not isinstance(model, SynapseModel):
        raise TypeError(f"model must be a key of MODELS, a SynapseModel or None, got "
                        f"{type(model).__name__}: {model!r:.60}")
    params = NetworkParams() if params is None else params
    training = fig2_training(params.n) if training is None else training_settings(training)
    if alpha is not None:
        check_real("alpha", alpha, 1e-12, 1e12)
        training["alpha"] = alpha
    timeline = fig2_timeline(dt_ns=params.dt_ns)
    imp = None if model is None else model.at(value)
    res = run_timeline(params, seed, timeline, imperfections=imp, p_trace="window_ends",
                       **training)
    out = free_run_numbers(res, timeline)
    ends = np.flatnonzero(res.learn & ~np.append(res.learn[1:], False))  # last learning steps
    for k, i in enumerate(ends, start=1):
        out[f"w_norm_{k}"] = float(res.w_norm[i])
        out[f"p_max_{k}"] = float(res.p_max[np.searchsorted(res.p_steps, i)])
    return out


def _with(base, name, value) -> Imperfections:
    """``base`` (default: ideal) with field ``name`` set to ``value`` (None: unchanged)."""
    imp = Imperfections() if base is None else base
    if not isinstance(imp, Imperfections):
        raise TypeError(f"base must be an Imperfections, got {type(imp).__name__}: {imp!r:.60}")
    if name is None:
        return imp
    if name not in Imperfections.__dataclass_fields__:
        raise ValueError(f"name={name!r} is not an Imperfections field "
                         f"({', '.join(Imperfections.__dataclass_fields__)})")
    return imp.replace(**{name: value})


def fig2_imperfect_trial(value=None, seed=0, *, name: str | None = None,
                         base: Imperfections | None = None, **kw) -> dict:
    """One seed of Fig. 2 with imperfection ``name`` set to ``value`` (on top of ``base``).

    Returns :func:`mtjlib.tasks.generation.fig2_trial`'s numbers (``nrmse_k``, ``period_ns_k``,
    ``target_period_ns_k``); ``kw`` go to it. A module-level function of (value, seed) for
    :func:`mtjlib.sweep.sweep`.
    """
    imp = _with(base, name, value)
    return fig2_trial(None, seed, imperfections=imp, **kw)


def recognition_imperfect_trial(value=None, seed=0, *, name: str | None = None,
                                base: Imperfections | None = None, **kw) -> dict:
    """One seed of Fig. 4 (:func:`mtjlib.tasks.recognition.recognition_trial` at its defaults and
    ``kw``) with imperfection ``name`` set to ``value``: accuracy, correct_windows, margin."""
    imp = _with(base, name, value)
    return recognition_trial(None, seed, name=None, imperfections=imp, **kw)

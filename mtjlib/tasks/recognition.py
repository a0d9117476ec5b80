"""Time-series recognition (paper Fig. 4): a square wave or a sine in each 60 ns window.

The stream (:func:`recognition_stream`) is a sequence of windows of ``window_ns`` (default
60 ns = 40 network steps of 1.5 ns); each window carries, chosen at random from a seed,

- the square wave ``2 sgn(sin(w1 t))``, ``w1 = 0.16`` rad/ns, target ``-1``, or
- the sine ``sin(w2 t)``, ``w2 = 0.21`` rad/ns, target ``+1``,

plus additive Gaussian noise whose standard deviation is ``noise`` times the function's
*magnitude*, defined as its amplitude (2 for the square wave, 1 for the sine). The time ``t`` is
global (the stream's clock) by default, so the phase of the wave differs from window to window and
the network cannot just memorise one waveform; ``time_origin="window"`` restarts it at 0 in every
window (every window of a class then has the same clean waveform).

An input-driven MTJ network (one input node to every MTJ, no output feedback) is driven by the
stream; its state is reset to ``x0`` at the start of every window (the MTJs themselves start from
equilibrium at every evaluation anyway). The readout is trained over the first ``n_train``
windows, then frozen, and each later window is classified by the sign of its mean output.

Readout training: ``method="force"`` (default) is the paper's force learning: recursive least
squares on every step of the training windows (:func:`mtjlib.training.force.force_train`), the
output chasing +1 or -1 at every step. ``method="ridge"`` is the batch alternative: ridge regression
of the same per-step target on the recorded rates (:func:`fit_ridge`). Both minimise the same
per-step squared error; RLS with P(0) = I/alpha is ridge with penalty alpha, so the two agree up to
the first-step bookkeeping, and the book uses FORCE because it is what the paper did.

References
----------
.. [1] Q. Zheng, X. Zhu, Y. Mi, Z. Yuan, K. Xia, "Recurrent neural networks made of magnetic
   tunnel junctions", AIP Advances 10, 025116 (2020), Fig. 4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mtjlib._validate import (
    HUGE,
    check_array,
    check_choice,
    check_instance,
    check_kwargs,
    check_memory,
    rng_from,
)
from mtjlib._validate import check_int as _int
from mtjlib._validate import check_real as _real
from mtjlib.networks.imperfections import Imperfections, Realised
from mtjlib.networks.network import MAX_N, Network, NetworkParams, build_network
from mtjlib.networks.network_params import DT_NS
from mtjlib.training.force import force_train

W1_RAD_PER_NS = 0.16
"""Angular frequency of the square wave, rad/ns."""
W2_RAD_PER_NS = 0.21
"""Angular frequency of the sine, rad/ns."""
SQUARE_AMPLITUDE = 2.0
SINE_AMPLITUDE = 1.0
SINE, SQUARE = 1, -1
"""Labels (= targets): +1 sine, -1 square wave."""
TIME_ORIGINS = ("global", "window")
METHODS = ("force", "ridge")

#: The book's recognition network: input-driven, no feedback, not chaotic (g < 1), an input
#: weight small enough that the square wave's +-2 mostly stays inside the current range.
RECOGNITION_PARAMS = NetworkParams(n=40, n_in=1, feedback_scale=0.0, input_scale=0.3, g=0.9,
                                   tau_ns=6.0, x0_spread=0.0, bias_spread=0.2)


# The stream -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecognitionStream:
    """A recognition stream sampled at the network steps. Arrays share the time axis ``t_ns``."""

    t_ns: np.ndarray
    """Time of each network step, ns, (T,)."""
    u: np.ndarray
    """Input: clean function plus noise, (T,)."""
    clean: np.ndarray
    """The function without noise, (T,)."""
    target: np.ndarray
    """Target at each step: +1 in a sine window, -1 in a square-wave window, (T,)."""
    labels: np.ndarray
    """Label of each window, +1 sine / -1 square, (W,) int."""
    window: np.ndarray
    """Window index of each step, (T,) int."""
    magnitude: np.ndarray
    """Magnitude (amplitude) of the function at each step: 2 square, 1 sine, (T,)."""
    steps_per_window: int
    """Network steps per window."""
    window_ns: float
    """Window length, ns."""
    dt_ns: float
    """Network step, ns."""
    noise: float
    """Requested noise standard deviation as a fraction of the magnitude."""
    time_origin: str
    """``global`` (t is the stream's clock) or ``window`` (t restarts in each window)."""

    @property
    def n_windows(self) -> int:
        return len(self.labels)

    @property
    def reset(self) -> np.ndarray:
        """True at the first step of every window, (T,) bool."""
        return np.arange(len(self.t_ns)) % self.steps_per_window == 0

    def measured_noise(self) -> float:
        """Measured noise level: std of (u - clean) / magnitude over the whole stream."""
        return float(np.std((self.u - self.clean) / self.magnitude))


def recognition_stream(n_windows: int, seed=0, *, noise: float = 0.05,
                       w1: float = W1_RAD_PER_NS, w2: float = W2_RAD_PER_NS,
                       window_ns: float = 60.0, dt_ns: float = DT_NS,
                       time_origin: str = "global", p_sine: float = 0.5) -> RecognitionStream:
    """The paper's recognition stream: ``n_windows`` windows of square wave or sine, with noise.

    Parameters
    ----------
    n_windows : int
        Number of windows, >= 1.
    seed : int or numpy.random.Generator
        Draws the labels (all windows first), then the noise (same seed, same bits).
    noise : float
        Noise standard deviation as a fraction of the function's magnitude (its amplitude:
        2 for the square wave, 1 for the sine), in [0, 10].
    w1, w2 : float
        Angular frequencies of the square wave and the sine, rad/ns (> 0).
    window_ns : float
        Window length, ns; must be a whole number of network steps.
    dt_ns : float
        Network step, ns.
    time_origin : {"global", "window"}
        Whether t runs on over the stream or restarts at 0 in each window.
    p_sine : float
        Probability that a window carries the sine, in [0, 1].
    """
    _int("n_windows", n_windows, 1, 10**7)
    _real("noise", noise, 0.0, 10.0, unit="(fraction of the magnitude)")
    _real("w1", w1, 0.0, 1e3, lo_open=True, unit="rad/ns")
    _real("w2", w2, 0.0, 1e3, lo_open=True, unit="rad/ns")
    _real("dt_ns", dt_ns, 0.0, 1e6, lo_open=True, unit="ns")
    _real("window_ns", window_ns, dt_ns, 1e9, unit="ns")
    _real("p_sine", p_sine, 0.0, 1.0)
    check_choice("time_origin", time_origin, TIME_ORIGINS)
    steps = round(window_ns / dt_ns)
    if not math.isclose(steps * dt_ns, window_ns, rel_tol=1e-9):
        raise ValueError(f"window_ns={window_ns!r} is not a whole number of steps of "
                         f"dt_ns={dt_ns!r}")
    if n_windows * steps > 10**9:
        raise ValueError(f"n_windows={n_windows!r} windows of {steps} steps (window_ns="
                         f"{window_ns!r}, dt_ns={dt_ns!r}) are {n_windows * steps} steps; at "
                         "most 1e9")
    check_memory(f"recognition_stream with n_windows={n_windows} of {steps} steps",
                 80 * n_windows * steps)
    rng = rng_from(seed)
    labels = np.where(rng.random(n_windows) < p_sine, SINE, SQUARE).astype(np.int64)
    n_steps = n_windows * steps
    k = np.arange(n_steps)
    t = k * dt_ns
    window = k // steps
    tw = t if time_origin == "global" else (k % steps) * dt_ns
    lab = labels[window]
    is_sine = lab == SINE
    clean = np.where(is_sine, SINE_AMPLITUDE * np.sin(w2 * tw),
                     SQUARE_AMPLITUDE * np.sign(np.sin(w1 * tw)))
    magnitude = np.where(is_sine, SINE_AMPLITUDE, SQUARE_AMPLITUDE)
    u = clean + noise * magnitude * rng.standard_normal(n_steps)
    return RecognitionStream(t_ns=t, u=u, clean=clean, target=lab.astype(np.float64),
                             labels=labels, window=window, magnitude=magnitude,
                             steps_per_window=steps, window_ns=float(window_ns),
                             dt_ns=float(dt_ns), noise=float(noise), time_origin=time_origin)


# Readout training and classification ----------------------------------------------------------

def fit_ridge(rates, target, *, ridge: float = 1e-3) -> np.ndarray:
    """Readout weights w (n,) minimising ``sum_t (w.r_t - f_t)^2 + ridge |w|^2``.

    Parameters
    ----------
    rates : array_like, shape (T, n)
        Neuron outputs at the training steps.
    target : array_like, shape (T,)
        Target at the same steps.
    ridge : float
        Tikhonov penalty (> 0), in units of rate^2.
    """
    r = check_array("rates", rates, ndim=2, min_size=1, lo=-HUGE, hi=HUGE)
    f = check_array("target", target, shape=(r.shape[0],), lo=-HUGE, hi=HUGE)
    _real("ridge", ridge, 0.0, 1e12, lo_open=True)
    a = r.T @ r + ridge * np.eye(r.shape[1])  # (n, n)
    try:
        return np.linalg.solve(a, r.T @ f)  # (n,)
    except np.linalg.LinAlgError:
        # numerically singular (the penalty lost next to huge, collinear rates): the same
        # minimiser from the SVD of the rates, w = V diag(s / (s^2 + ridge)) U^T f
        u, sv, vt = np.linalg.svd(r, full_matrices=False)
        return vt.T @ ((sv / (sv * sv + ridge)) * (u.T @ f))


def window_means(z, steps_per_window: int) -> np.ndarray:
    """Mean output over each window; z (T,) with T a multiple of ``steps_per_window``."""
    z = check_array("z", z, min_size=1, lo=-HUGE, hi=HUGE)
    _int("steps_per_window", steps_per_window, 1, 10**9)
    if z.ndim != 1 or len(z) % steps_per_window:
        raise ValueError(f"z has shape {z.shape}, expected (T,) with T a multiple of "
                         f"{steps_per_window}")
    return z.reshape(-1, steps_per_window).mean(axis=1)


def classify(mean_output) -> np.ndarray:
    """Label of each window from the sign of its mean output: +1 sine (>= 0), -1 square.

    ``mean_output`` must be finite (a NaN has no sign: it would be labelled a square wave).
    """
    m = check_array("mean_output", mean_output)
    if np.ndim(mean_output) == 0:
        m = m.reshape(())
    return np.where(m >= 0.0, SINE, SQUARE).astype(np.int64)


@dataclass(frozen=True)
class RecognitionResult:
    """One recognition run: training on the first windows, classification of the rest."""

    stream: RecognitionStream
    """The input stream (training windows first)."""
    z: np.ndarray
    """Network output at every step, (T,)."""
    mean_output: np.ndarray
    """Mean output over each window, (W,)."""
    predicted: np.ndarray
    """Predicted label of each window, (W,) (training windows too, for the record)."""
    n_train: int
    """Windows used for training."""
    method: str
    """Readout training: ``force`` or ``ridge``."""
    w_out: np.ndarray
    """Frozen readout weights, (n,)."""

    @property
    def n_test(self) -> int:
        return self.stream.n_windows - self.n_train

    @property
    def test(self) -> slice:
        return slice(self.n_train, None)

    @property
    def correct(self) -> np.ndarray:
        """Test windows classified right, (n_test,) bool."""
        return self.predicted[self.test] == self.stream.labels[self.test]

    @property
    def correct_windows(self) -> int:
        return int(self.correct.sum())

    @property
    def accuracy(self) -> float:
        return float(self.correct.mean())

    @property
    def confusion(self) -> np.ndarray:
        """Confusion matrix of the test windows, rows true (sine, square), columns predicted."""
        true, pred = self.stream.labels[self.test], self.predicted[self.test]
        return np.array([[np.sum((true == a) & (pred == b)) for b in (SINE, SQUARE)]
                         for a in (SINE, SQUARE)], dtype=np.int64)

    @property
    def margin(self) -> float:
        """Smallest ``|mean output|`` of a correctly classified test window (nan if none)."""
        m = np.abs(self.mean_output[self.test][self.correct])
        return float(m.min()) if len(m) else math.nan


def recognition_network(n_mtj: int = 40, seed=0, params: NetworkParams | None = None,
                        **overrides) -> Network:
    """An input-driven network (n_in = 1, no feedback) of ``n_mtj`` MTJs from a seed."""
    params = RECOGNITION_PARAMS if params is None else params
    _int("n_mtj", n_mtj, 1, MAX_N)
    if not isinstance(params, NetworkParams):
        raise TypeError(f"params must be a NetworkParams, got "
                        f"{type(params).__name__}: {params!r:.60}")
    params = params.replace(n=n_mtj, **overrides)
    if params.n_in != 1 or params.feedback_scale != 0 or params.n_out != 1:
        raise ValueError("a recognition network needs n_in=1, n_out=1 and feedback_scale=0, "
                         f"got n_in={params.n_in}, n_out={params.n_out}, "
                         f"feedback_scale={params.feedback_scale}")
    return build_network(params, seed)


def train_and_classify(net: Network, stream: RecognitionStream, n_train: int, *,
                       method: str = "force", alpha: float = 1e-2,
                       ridge: float = 1e-2, imperfections=None) -> RecognitionResult:
    """Train the readout of ``net`` on the first ``n_train`` windows, freeze it, classify all.

    The network state is reset at the start of every window. ``alpha`` is FORCE's P(0) = I/alpha
    (``method="force"``), ``ridge`` the penalty of :func:`fit_ridge` (``method="ridge"``).
    ``imperfections`` are synapses realised for ``net``
    (:meth:`mtjlib.networks.imperfections.Imperfections.realise`, a
    :class:`~mtjlib.networks.imperfections.Realised`; default: ideal); the ridge fit is offline, so
    only their effect on the runs applies there (on the test windows only when they act at test
    only, ``active="test"``).
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a Network, got {type(net).__name__}: {net!r:.60}")
    if not isinstance(stream, RecognitionStream):
        raise TypeError(f"stream must be a RecognitionStream, got "
                        f"{type(stream).__name__}: {stream!r:.60}")
    _int("n_train", n_train, 1, stream.n_windows - 1)
    check_choice("method", method, METHODS)
    if method == "ridge":  # checked by fit_ridge too, but only after the training run
        _real("ridge", ridge, 0.0, 1e12, lo_open=True)
    if imperfections is not None:
        check_instance("imperfections", imperfections, Realised)
        imperfections.fits(net, "imperfections")
    if not math.isclose(stream.dt_ns, net.params.dt_ns):
        raise ValueError(f"stream dt_ns={stream.dt_ns} differs from the network's "
                         f"{net.params.dt_ns}")
    spw = stream.steps_per_window
    n_tr = n_train * spw
    u = stream.u.reshape(-1, 1)
    net.reset()
    net.w_out[:] = 0.0
    if method == "force":
        learn = np.zeros(len(stream.t_ns), dtype=bool)
        learn[:n_tr] = True
        res = force_train(net, stream.target, stream.t_ns, learn, alpha=alpha, p_reset="never",
                          u=u, reset=stream.reset, imperfections=imperfections)
        z = res.z[:, 0]
    else:
        test_only = (isinstance(imperfections, Realised)
                     and imperfections.imperfections.active == "test")
        run = net.run(n_tr, u=u[:n_tr], reset=stream.reset[:n_tr], record=True,
                      synapses=None if test_only else imperfections)
        net.w_out[0] = fit_ridge(run.r, stream.target[:n_tr], ridge=ridge)
        z_train = run.r @ net.w_out[0]  # output of the frozen readout on the training windows
        test = net.run(len(stream.t_ns) - n_tr, u=u[n_tr:], reset=stream.reset[n_tr:],
                       record=False, synapses=imperfections)
        z = np.concatenate([z_train, test.z[:, 0]])
    means = window_means(z, spw)
    return RecognitionResult(stream=stream, z=z, mean_output=means, predicted=classify(means),
                             n_train=n_train, method=method, w_out=net.w_out[0].copy())


def run_recognition(n_mtj: int = 40, seed: int = 0, *, noise: float = 0.05, n_train: int = 60,
                    n_test: int = 100, method: str = "force", stream_kw: dict | None = None,
                    train_kw: dict | None = None, imperfections=None,
                    **net_overrides) -> RecognitionResult:
    """The whole Fig. 4 experiment from one seed: stream, network, training, classification.

    ``seed`` seeds a :class:`numpy.random.SeedSequence` whose two children draw the stream and
    the network. ``stream_kw`` go to :func:`recognition_stream` (w1, w2, window_ns, ...),
    ``train_kw`` to :func:`train_and_classify`, ``net_overrides`` to :func:`recognition_network`.
    ``imperfections`` (:class:`mtjlib.networks.imperfections.Imperfections`) are drawn from the
    network's generator after the network (None or the defaults: ideal, same bits). Every argument
    is checked, under its name here, before any work.
    """
    _int("seed", seed, 0, 2**63 - 1)
    _int("n_train", n_train, 1, 10**7)
    _int("n_test", n_test, 1, 10**7)
    check_choice("method", method, METHODS)
    stream_kw = check_kwargs("stream_kw", stream_kw, recognition_stream,
                             exclude=("n_windows", "seed", "noise"))
    train_kw = check_kwargs("train_kw", train_kw, train_and_classify,
                            exclude=("net", "stream", "n_train", "method", "imperfections"))
    if imperfections is not None:
        check_instance("imperfections", imperfections, Imperfections)
    s_stream, s_net = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    stream = recognition_stream(n_train + n_test, s_stream, noise=noise, **stream_kw)
    net = recognition_network(n_mtj, s_net, **net_overrides)
    syn = None
    if imperfections is not None and not imperfections.ideal:
        syn = imperfections.realise(net, s_net, len(stream.t_ns))
    return train_and_classify(net, stream, n_train, method=method, imperfections=syn,
                              **train_kw)


def recognition_trial(value=None, seed=0, *, name: str | None = "noise", **kw) -> dict:
    """One :func:`run_recognition` with ``name`` (``noise``, ``n_mtj`` or another keyword of it)
    set to ``value``, as numbers: ``accuracy``, ``correct_windows``, ``margin``. A module-level
    function of (value, seed) for :func:`mtjlib.sweep.sweep`; ``name=None`` ignores ``value``."""
    if name is not None:
        import inspect

        allowed = [p for p in inspect.signature(run_recognition).parameters if p != "seed"]
        if name not in allowed:
            raise ValueError(f"name={name!r} is not a keyword of run_recognition "
                             f"({', '.join(allowed)})")
        kw[name] = value
    res = run_recognition(seed=seed, **kw)
    return {"accuracy": res.accuracy, "correct_windows": res.correct_windows,
            "margin": res.margin}

"""What the bad-input cases of ``tools/bad_inputs/sweep.py`` share: the families of bad values,
:func:`add` and :func:`section` that file a case under its section, and the objects the cases
call methods of or pass beside the bad value (a network, an innate configuration, a character,
a timeline...), built once.

The tables are ``physics.py``, ``_networks.py``, ``_training.py``, ``_tasks.py`` and
``_studies.py``, one per layer of mtjlib; importing one adds its cases to :data:`SECTIONS`.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np

warnings.simplefilter("ignore")
ROOT = Path(__file__).resolve().parents[2]
HZ = ROOT / "tests" / "data" / "hanzi"

from mtjlib import sweep
from mtjlib.networks import imperfections, network
from mtjlib.physics import family, neuron
from mtjlib.physics.device import default_device
from mtjlib.tasks import character_data, drawing, generation, recognition
from mtjlib.training import innate_config

DEV = default_device()
NAN, INF = math.nan, math.inf
NOT_REAL = [NAN, INF, -INF, "1.0", True, None, [1.0], 1 + 0j]
NOT_INT = [1.5, "3", True, None, NAN, 2.0]
NOT_BOOL = ["no", "yes", 1, 0, None, 1.0]
NOT_SEED = [-1, 1.5, "s", True, None]
BAD_ARR = [np.array([1.0, NAN]), np.array([INF, 1.0]), "abc", [[1.0], [1.0, 2.0]],
           np.array(["a", "b"]), np.ones(2, dtype=bool), np.ones(2, dtype=complex),
           [1.0, "a"], None]
HUGE_ARR = [np.full(4, 1e300), np.full(4, -1e300)]
BAD_OBJ = ["bad", {"a": 1}, 3, 1.5]

#: The cases by section, each case (label, parameter, value, call), in the order they were added.
SECTIONS: dict[str, list[tuple]] = {}
_current: list[tuple] = []


def section(name):
    """File the cases added from now on under section ``name`` (a new one)."""
    global _current
    if name in SECTIONS:
        raise ValueError(f"section {name!r} twice")
    _current = SECTIONS[name] = []


#: (entry point, parameter) whose default is None: None is a valid value there.
NONE_OK = {("InnateConfig", "n_readout_trials"), ("trigger_input", "perturb_step"),
           ("evaluate_drawing", "noise"), ("llg_network", "llg_dt"), ("realise", "n_steps"),
           ("noise_calibration", "x"), ("fit_noise_law", "v_ref"),
           ("free_run_report", "t_end_ns"), ("process_pool", "n_workers"),
           ("sweep", "n_workers"), ("sweep", "root_seed"), ("run_timeline", "params"),
           ("fit_noise_law", "volume")}


def add(label, name, call, values):
    for v in values:
        if v is None and (label, name) in NONE_OK:
            continue
        _current.append((label, name, v, call))


# Shared objects --------------------------------------------------------------------------------
NET = network.build_network(n=6, seed=1)
NET2 = network.build_network(n=6, seed=1, n_in=1, feedback_scale=0.0)
OTHER = network.build_network(n=8, seed=1)
CFG = innate_config.InnateConfig(n_mtj=8, period_ns=15.0, n_recurrent_trials=1, trigger_steps=2,
                                 n_readout_trials=1)
DATA = character_data.load_character("人", HZ)
PATH = drawing.drawing_path(DATA, CFG)
INET = innate_config.make_network(CFG, 0)
T = CFG.steps
STREAM = recognition.recognition_stream(4, 0)
RNET = recognition.recognition_network(5, 0)
FAM = family.device_family(6, 2, seed=0)
SR = sweep.sweep(lambda v, s: {"m": float(v) + s, "ok": v > 1}, [1.0, 2.0], 3, executor="serial",
                 progress=False)
TL = generation.timeline([generation.Segment(0.0, generation.sine(1.0, 45.0), True),
                          generation.Segment(6.0, generation.sine(1.0, 45.0), False)], 15.0)
REAL_OTHER = imperfections.Imperfections(read_sigma=0.1).realise(OTHER, 0)
CURVE = neuron.response_curve(n_j=21)
TT = np.arange(4) * NET.params.dt_ns


def metric_fn(v, s):
    return {"m": 1.0}

"""What the bad-input tests share: the named-error check, the finiteness check, Hypothesis settings,
the device, and the patches of the issue-24 tests."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mtjlib.physics.device import default_device
from mtjlib.training.innate_config import InnateConfig

ROOT = Path(__file__).resolve().parents[3]
HYP = settings(max_examples=100, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
DEV = default_device()
N_NET = 6


def _named_error(fn, name, value=None, show_value=False):
    """Call ``fn``; it must raise ValueError/TypeError naming ``name`` (and ``value``)."""
    with pytest.raises((ValueError, TypeError)) as info:
        fn()
    msg = str(info.value)
    assert name in msg, f"the message does not name {name!r}: {msg}"
    if show_value:
        shown = [repr(value)[:20], str(value)[:20]]
        assert any(s in msg for s in shown), f"the message does not show {value!r}: {msg}"
    return msg


def _finite(result) -> bool:
    """Every number reachable in ``result`` (arrays, tuples, dataclasses) is finite."""
    if result is None or isinstance(result, (str, bool)):
        return True
    if isinstance(result, (int, float, np.number, np.ndarray)):
        arr = np.asarray(result)
        return not np.issubdtype(arr.dtype, np.floating) or bool(np.all(np.isfinite(arr)))
    if isinstance(result, (list, tuple)):
        return all(_finite(r) for r in result)
    if hasattr(result, "__dataclass_fields__"):
        return all(_finite(getattr(result, f)) for f in result.__dataclass_fields__
                   if f not in ("meta",))
    return True


# 4. Issue 24: the causes of the second round, one defect test per listed case and one
#    Hypothesis property per cause ------------------------------------------------------------

HANZI = ROOT / "tests" / "data" / "hanzi"
#: Hypothesis settings of the issue-24 properties: few examples (each may build a network).
HYP24 = settings(HYP, max_examples=25)


class _WorkStarted(Exception):
    """Raised by a patched work function: the entry point accepted its arguments."""


def _no_work(*args, **kwargs):
    raise _WorkStarted


@functools.cache
def _hanzi():
    from mtjlib.tasks.character_data import load_character

    return load_character("人", HANZI)


def _small_innate_config():
    return InnateConfig(n_mtj=8, period_ns=15.0, n_recurrent_trials=1, trigger_steps=2,
                        n_readout_trials=1)


def _innate():
    """A small innate network, its config and a character path (built on first use)."""
    from mtjlib.tasks.character import character_path
    from mtjlib.tasks.character_data import load_character
    from mtjlib.training.innate_config import make_network

    cfg = InnateConfig(n_mtj=8, period_ns=15.0, n_recurrent_trials=1, trigger_steps=2)
    path = character_path(load_character("人", ROOT / "tests" / "data" / "hanzi"), period_ns=15.0)
    return make_network(cfg, 0), cfg, path


def _empty_schedule(n_steps):
    from mtjlib.networks.step_types import Schedule

    return Schedule(u=np.zeros((n_steps, 0)), reset=np.zeros(n_steps, bool),
                    target=np.zeros((n_steps, 1)), learn=np.zeros(n_steps, bool),
                    restart=np.zeros(n_steps, bool))


ARRAYS = st.one_of(
    hnp.arrays(dtype=st.sampled_from([np.float64, np.float32, np.int64, np.bool_, np.complex128]),
               shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=8),
               elements=None),
    st.lists(st.one_of(st.floats(), st.text(max_size=2)), max_size=8),
    st.text(max_size=5), st.none(),
)


FINITE = st.floats(allow_nan=False, allow_infinity=False)

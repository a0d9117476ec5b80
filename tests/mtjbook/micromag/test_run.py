"""The micromagnetic check's solver side (mtjbook.micromag.run): its inputs, its record, and a short
run of the coarsest recorded mesh against the recorded trace when magnum.np is importable (the
environment of ``make micromag``: ``.venv-micromag/bin/python -m pytest tests/mtjbook/micromag/test_run.py``)."""

import importlib.util
import math

import numpy as np
import pytest

from mtjbook.micromag import run as MM
from mtjbook.micromag.analysis import load_record
from mtjlib.physics.device import default_device

#: Simulated time of the short run, s: a quarter of a precession period, a few seconds of CPU.
T_SHORT = 0.1e-9


@pytest.mark.parametrize("kw, match", [
    ({"cells": 3, "j": 1e10}, "cells=3"),
    ({"cells": 16.0, "j": 1e10}, "cells=16.0"),
    ({"cells": 16, "j": math.nan}, "j=nan"),
    ({"cells": 16, "j": 1e10, "exchange": 0.0}, "exchange=0.0"),
    ({"cells": 16, "j": 1e10, "t_end": 1.0e-9, "dt": 0.3e-12}, "whole number"),
])
def test_disk_run_refuses_bad_input(kw, match):
    with pytest.raises((ValueError, TypeError), match=match):
        MM.DiskRun(**kw)


def test_check_device_models_the_papers_disk_only():
    dev = default_device()
    MM.check_device(dev)
    with pytest.raises(ValueError, match="disk"):
        MM.check_device(dev.replace(diameter_y=30e-9))
    with pytest.raises(ValueError, match="beta"):
        MM.check_device(dev.replace(beta=0.1))


def test_write_record_round_trips(tmp_path):
    path = tmp_path / "rec.py"
    MM.write_record(path, {"a": 1.5, "b": {"c": [1, 2]}}, {"run": [0.0, 1e-3, -2.5e-10]})
    spec = importlib.util.spec_from_file_location("rec", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.RECORD == {"a": 1.5, "b": {"c": [1, 2]}}
    assert mod.TRACES == {"run": [0.0, 1e-3, -2.5e-10]}


@pytest.mark.skipif(importlib.util.find_spec("magnumnp") is None,
                    reason="magnum.np is not installed: it lives in make micromag's environment "
                           "(.venv-micromag), never in the book's")
def test_coarsest_mesh_reproduces_the_recorded_trace():
    from mtjbook.micromag.record import TRACES

    rec = load_record()
    if rec is None:
        pytest.skip("nothing recorded yet: run make micromag")
    par = rec["parameters"]
    run = MM.DiskRun(cells=min(par["cells_list"]), j=par["currents"][0],
                     exchange=par["exchange"], t_end=T_SHORT, dt=par["dt"], rtol=par["rtol"])
    full = MM.DiskRun(cells=run.cells, j=run.j, exchange=run.exchange, t_end=par["t_end"],
                      dt=run.dt, rtol=run.rtol)
    recorded = np.array(TRACES[full.label])
    mx = MM.simulate_disk(default_device(), run)
    every = round(rec["trace_dt"] / par["dt"])
    got = mx[::every]
    assert len(got) > 10
    # the oscillation has started (a run that did nothing would also sit near the record at t=0)
    assert np.max(np.abs(got)) > 1e-3
    # same solver, same tolerance: equal up to the record's 9 digits and the step control
    np.testing.assert_allclose(got, recorded[:len(got)], rtol=0, atol=1e-6)

"""mtjlib.sweep: same bits on every executor, results by grid position, statistics against
closed forms, failures that name their point, quiet under CI, clear errors on bad input."""

import functools
import math
import os
import subprocess
import sys
from pathlib import Path

import _sweep_tasks as tasks
import numpy as np
import pytest

from mtjlib.sweep import SweepResult, derive_seeds, sweep
from mtjlib.sweep_result import SweepError

HERE = Path(__file__).parent
VALUES = [0.0, 0.05, -0.05]
SEEDS = [0, 1, 2, 3]


@pytest.fixture(autouse=True)
def _workers_import_tests(monkeypatch):
    """Spawned workers (local and Dask) must import ``_sweep_tasks``: put this folder on their
    path whatever pytest's import mode did to ours."""
    import os
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(HERE)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    import os
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(HERE) + (os.pathsep + old if old else "")
    try:
        cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                           dashboard_address=None)
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old
    client = distributed.Client(cluster, set_as_default=False)
    yield client
    client.close()
    cluster.close()


# Same bits everywhere ---------------------------------------------------------------------------

def test_serial_processes_and_dask_give_the_same_bits(dask_client):
    serial = sweep(tasks.noisy_walk, VALUES, SEEDS, executor="serial", name="drift")
    procs = sweep(tasks.noisy_walk, VALUES, SEEDS, n_workers=2, name="drift")
    dask = sweep(tasks.noisy_walk, VALUES, SEEDS, client=dask_client, name="drift")
    by_address = sweep(tasks.noisy_walk, VALUES, SEEDS, client=dask_client.scheduler.address,
                       name="drift", progress=False)
    assert serial.metric_names == ("end", "top", "up", "n_pos")
    for res in (procs, dask, by_address):
        assert res.metric_names == serial.metric_names
        for k in serial.metric_names:
            assert res.metrics[k].dtype == serial.metrics[k].dtype
            assert res.metrics[k].tobytes() == serial.metrics[k].tobytes(), k
    # placed by grid position: row i is value i, column j is seed j
    for i, v in enumerate(VALUES):
        for j, s in enumerate(SEEDS):
            direct = tasks.noisy_walk(v, s)
            for k in serial.metric_names:
                assert serial.metrics[k][i, j] == direct[k]
    assert serial.metrics["up"].dtype == np.bool_
    assert serial.metrics["n_pos"].dtype == np.float64
    assert np.all(serial.metrics["top"] >= np.maximum(serial.metrics["end"], 0.0))


def test_derived_seeds_come_from_seedsequence_and_not_from_the_executor():
    want = [int(c.generate_state(1, np.uint64)[0]) >> 1
            for c in np.random.SeedSequence(7).spawn(3)]
    a = sweep(tasks.echo_seed, [1.5], 3, root_seed=7, executor="serial")
    b = sweep(tasks.echo_seed, [1.5], 3, root_seed=7, executor="processes", n_workers=2)
    assert a.seeds.tolist() == want == b.seeds.tolist()
    assert a.seeds.dtype == np.int64 and np.all(a.seeds >= 0)
    assert np.array_equal(a.metrics["s"], b.metrics["s"])
    # the first k derived seeds do not depend on how many are asked for
    assert derive_seeds(5, 7)[:3].tolist() == want
    assert derive_seeds(3, 8).tolist() != want


def test_explicit_seeds_are_passed_unchanged_at_every_value():
    res = sweep(tasks.echo_seed, [10, 20], [5, 3, 9], executor="serial")
    assert res.seeds.tolist() == [5, 3, 9]
    assert res.metrics["s"].tolist() == [[5, 3, 9], [5, 3, 9]]
    assert res.metrics["x"].tolist() == [[10, 10, 10], [20, 20, 20]]


# Statistics against closed forms ----------------------------------------------------------------

def test_mean_std_ci_and_success_rates():
    res = sweep(tasks.echo_seed, [0, 1], [1, 2, 3, 4], executor="serial")
    assert res.mean("s").tolist() == [2.5, 2.5]
    assert np.allclose(res.std("s"), math.sqrt(5 / 3))
    # t_{0.975, 3} = 3.182446305 (tables)
    half = 3.182446305 * math.sqrt(5 / 3) / 2
    assert np.allclose(res.ci("s"), [[2.5 - half, 2.5 + half]] * 2, rtol=1e-8)
    assert res.success_rate(lambda row: row["s"] > 2.5).tolist() == [0.5, 0.5]
    # Wilson interval at 0 of n successes: [0, z^2 / (n + z^2)], z = 1.959964
    z2 = 1.959963985 ** 2
    ci0 = res.success_ci(lambda row: row["s"] > 10)
    assert np.allclose(ci0, [[0.0, z2 / (4 + z2)]] * 2, rtol=1e-8)
    # Wilson at p = 1/2 is centred on 1/2
    assert np.allclose(res.success_ci(lambda row: row["s"] > 2.5).mean(axis=1), 0.5)
    with pytest.raises(TypeError, match="not boolean"):
        res.success_rate("s")
    with pytest.raises(KeyError, match="nope"):
        res.mean("nope")


def test_success_rate_of_a_boolean_metric_and_dataframe():
    res = sweep(tasks.noisy_walk, [-1.0, 1.0], SEEDS, executor="serial", name="drift")
    # a drift of -1 per step over 200 steps ends far below zero, +1 far above (noise sd ~14)
    assert res.success_rate("up").tolist() == [0.0, 1.0]
    df = res.to_dataframe()
    assert list(df.columns) == ["drift", "seed", "end", "top", "up", "n_pos"]
    assert len(df) == 2 * len(SEEDS)
    assert df["drift"].tolist() == [-1.0] * 4 + [1.0] * 4
    assert df["seed"].tolist() == SEEDS * 2
    assert df["end"].tolist() == res.metrics["end"].reshape(-1).tolist()


def test_result_is_frozen_and_read_only():
    res = sweep(tasks.echo_seed, [0], [1, 2], executor="serial")
    assert isinstance(res, SweepResult)
    with pytest.raises(AttributeError):
        res.name = "other"
    with pytest.raises(ValueError):
        res.metrics["s"][0, 0] = 3.0
    with pytest.raises(ValueError, match=r"metrics\['a'\] must be an array of shape"):
        SweepResult(values=np.arange(2), seeds=np.arange(3), metrics={"a": np.zeros((3, 2))})


# Failures name their point ----------------------------------------------------------------------

def test_serial_failure_names_value_and_seed():
    with pytest.raises(SweepError, match=r"k=2, seed=0: ZeroDivisionError") as info:
        sweep(tasks.fail_some, [1, 2, 3], [0, 11, 12], executor="serial", name="k")
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    assert [(f.value, f.seed) for f in info.value.failures] == [(2, 0)]


@pytest.mark.parametrize("how", ["processes", "dask"])
def test_pool_reports_every_failed_point(how, request):
    kw = ({"client": request.getfixturevalue("dask_client")} if how == "dask"
          else {"n_workers": 2})
    with pytest.raises(SweepError) as info:
        sweep(tasks.fail_some, [1, 2, 3], [0, 11, 12], name="k", **kw)
    err = info.value
    assert [(f.value, f.seed) for f in err.failures] == [(2, 0), (2, 12)]
    assert "2 of 9 tasks" in str(err)
    assert "k=2, seed=0" in str(err) and "k=2, seed=12" in str(err)
    assert isinstance(err.__cause__, ZeroDivisionError)


def test_a_lost_local_worker_is_reported_not_dropped():
    with pytest.raises(SweepError) as info:
        sweep(tasks.die_at, [0, 1, 2], [0], n_workers=2)
    assert (1, 0) in [(f.value, f.seed) for f in info.value.failures]
    assert "value=1, seed=0" in str(info.value)


# Progress ---------------------------------------------------------------------------------------

def test_quiet_under_ci_and_a_bar_when_asked(monkeypatch, capfd):
    monkeypatch.setenv("CI", "1")
    sweep(tasks.echo_seed, [0, 1], [1, 2], executor="serial")
    assert capfd.readouterr().err == ""
    sweep(tasks.echo_seed, [0, 1], [1, 2], executor="serial", progress=True, name="zeta")
    err = capfd.readouterr().err
    assert "sweep over zeta" in err and "4/4" in err


def test_missing_tqdm(monkeypatch, capfd):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ImportError, match="pip install tqdm"):
        sweep(tasks.echo_seed, [0], [1], executor="serial", progress=True)
    monkeypatch.delenv("CI", raising=False)
    sweep(tasks.echo_seed, [0], [1], executor="serial")  # default: quiet, no error
    assert capfd.readouterr().err == ""


def test_missing_pandas(monkeypatch):
    res = sweep(tasks.echo_seed, [0], [1], executor="serial")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        res.to_dataframe()


def test_import_loads_no_optional_dependency():
    code = ("import sys, mtjlib.sweep; print(sorted(m for m in ('dask', 'distributed', 'tqdm', "
            "'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# Bad input --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, exc, match", [
    ({"values": []}, ValueError, "values is empty"),
    ({"values": "abc"}, TypeError, "values="),
    ({"seeds": []}, ValueError, "seeds is empty"),
    ({"seeds": 0}, ValueError, "seeds=0"),
    ({"seeds": [1, 2, 1]}, ValueError, r"duplicates \[1\]"),
    ({"seeds": [1, -2]}, ValueError, "seeds"),
    ({"seeds": [1.5]}, TypeError, "seeds"),
    ({"seeds": [1, 2], "root_seed": 3}, ValueError, "root_seed"),
    ({"fn": 3}, TypeError, "fn=3 must be callable"),
    ({"fn": tasks.bad_metric}, TypeError, r"metric 'v'='high' \(str\) at value=1, seed=0"),
    ({"fn": tasks.changing_keys}, ValueError, "same metric names"),
    ({"fn": tasks.not_a_mapping}, TypeError, "must return a mapping"),
    ({"executor": "threads"}, ValueError, "executor='threads' is not one of"),
    ({"executor": "dask"}, ValueError, "needs client"),
    ({"n_workers": 2}, ValueError, "n_workers=2 applies to executor='processes'"),
    ({"progress": "yes"}, TypeError, "progress='yes'"),
    ({"name": ""}, TypeError, "name="),
])
def test_bad_input(kwargs, exc, match):
    args = {"fn": tasks.echo_seed, "values": [0, 1], "seeds": [0, 1], "executor": "serial"}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        sweep(args.pop("fn"), args.pop("values"), args.pop("seeds"), **args)


def test_unpicklable_fn_is_refused_before_any_worker_starts():
    with pytest.raises(TypeError, match="module level"):
        sweep(lambda v, s: {"v": v}, [0], [0])
    # a partial of a module-level function is fine
    res = sweep(functools.partial(tasks.noisy_walk), [0.0], [0, 1], executor="serial")
    assert res.metrics["end"].shape == (1, 2)


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "nonsense://x"])
def test_unreachable_scheduler_is_named(address, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("mtjlib.sweep.CONNECT_TIMEOUT_S", 1.0)
    with pytest.raises(ValueError, match=f"client='{address}': no Dask scheduler answered"):
        sweep(tasks.echo_seed, [0], [0], client=address)


SCRIPT_WITH_NUMBA = '''
import numba
import mtjlib.networks.network  # a user's script imports mtjlib at module level (numba's threads start)
from mtjlib.sweep import sweep


@numba.njit
def _square(x):
    return x * x


def task(value, seed):
    return {"y": float(_square(value)) + seed}


if __name__ == "__main__":
    res = sweep(task, [1.0, 2.0], [0, 1], executor="processes", n_workers=2, progress=False)
    print(res.metrics["y"].tolist())
'''


def test_process_workers_compile_in_a_users_script(tmp_path):
    """Spawned workers re-import the user's script (which launched numba's threads) and then
    compile: the worker set-up must not change NUMBA_NUM_THREADS, or every task fails."""
    script = tmp_path / "user_script.py"
    script.write_text(SCRIPT_WITH_NUMBA, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_NUM_THREADS"}
    env["NUMBA_CACHE_DIR"] = str(tmp_path / "numba")
    out = subprocess.run([sys.executable, str(script)], check=False, capture_output=True, text=True,
                         timeout=300, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[[1.0, 2.0], [4.0, 5.0]]"

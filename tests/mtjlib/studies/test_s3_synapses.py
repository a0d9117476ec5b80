"""S3 readings as configurations of the library: the named models, and the readout trial."""

import numpy as np
import pytest

from mtjlib.networks.imperfections import Imperfections
from mtjlib.studies.s3_synapses import (
    MODELS,
    PARTS,
    SynapseModel,
    fig2_imperfect_trial,
    fig2_readout_trial,
)
from mtjlib.tasks.generation import FIG2_TRAINING_BOUNDED, FIG2_TRAINING_EXPONENTIAL


def test_models_cover_every_reading_the_issue_names():
    """Static and cycle-to-cycle, on the recurrent synapses, the readout or both, in situ or at
    test only; delays; failing synapses blind and aware. Each model is one field swept alone."""
    fl = {k for k, m in MODELS.items() if m.part == "fluctuation"}
    assert {f"fluctuation/{a}-{b}-{c}" for a in ("c2c", "static")
            for b in ("all", "recurrent", "readout") for c in ("insitu", "test")} <= fl
    assert {"failure/blind", "failure/aware", "delay/uniform"} <= set(MODELS)
    assert {m.part for m in MODELS.values()} == set(PARTS)
    m = MODELS["fluctuation/static-readout-test"]
    assert m.at(0.1) == Imperfections(static_sigma=0.1, fluctuating="readout", active="test")
    assert MODELS["failure/aware"].at(0.2) == Imperfections(fail_fraction=0.2, fail_rule="aware")
    for key, m in MODELS.items():
        assert key.startswith(m.part + "/")
        m.at(1 if "delay" in m.field else 0.1)  # every level of the page is a valid config


def test_model_validation():
    with pytest.raises(ValueError, match="part"):
        SynapseModel("noise", "read_sigma", Imperfections())
    with pytest.raises(ValueError, match="field"):
        SynapseModel("fluctuation", "fluctuating", Imperfections())
    with pytest.raises(ValueError, match="base.read_sigma"):
        SynapseModel("fluctuation", "read_sigma", Imperfections(read_sigma=0.1))
    with pytest.raises(TypeError, match="base"):
        SynapseModel("fluctuation", "read_sigma", None)


def test_readout_trial_matches_the_imperfect_trial_and_reports_the_norm():
    """With the same trainer (here the old one) the free-run numbers are fig2_imperfect_trial's,
    bit for bit (the windup-free default gives others); the readout norm and P's largest eigenvalue are those
    at the end of each learning window, and a larger alpha (stronger regularisation of RLS)
    gives a smaller readout."""
    m = MODELS["fluctuation/c2c-all-insitu"]
    a = fig2_readout_trial(0.001, 3, model="fluctuation/c2c-all-insitu",
                           training=FIG2_TRAINING_EXPONENTIAL)
    b = fig2_imperfect_trial(0.001, 3, name=m.field, base=m.base,
                             training=FIG2_TRAINING_EXPONENTIAL)
    for key, v in b.items():
        assert a[key] == v or (np.isnan(a[key]) and np.isnan(v)), key
    assert set(a) == set(b) | {"w_norm_1", "w_norm_2", "p_max_1", "p_max_2"}
    bounded = fig2_readout_trial(0.001, 3, model="fluctuation/c2c-all-insitu")
    assert bounded["nrmse_1"] != a["nrmse_1"]
    assert max(bounded["p_max_1"], bounded["p_max_2"]) <= 1e3 * (1 + 1e-9) < a["p_max_1"]
    ideal = fig2_readout_trial(None, 3)
    assert ideal["nrmse_1"] == fig2_imperfect_trial(None, 3, training=FIG2_TRAINING_BOUNDED)[
        "nrmse_1"]
    strong = fig2_readout_trial(None, 3, alpha=10.0)
    assert strong["w_norm_1"] < ideal["w_norm_1"] and strong["w_norm_2"] < ideal["w_norm_2"]


def test_readout_trial_rejects_bad_input():
    with pytest.raises(ValueError, match="model"):
        fig2_readout_trial(0.1, 0, model="fluctuation/c2c-everything")
    with pytest.raises(TypeError, match="model"):
        fig2_readout_trial(0.1, 0, model=Imperfections())
    with pytest.raises(ValueError, match="alpha"):
        fig2_readout_trial(None, 0, alpha=0.0)


def test_every_reading_of_claim_s3_is_a_model_that_runs_at_the_claims_level():
    """The claim's readings are configurations of the library: each is a model of MODELS, of
    its part, and one seed of it runs at the claim's level (the page's quick version)."""
    from mtjbook.claims.record import CLAIMS

    level = {"fluctuation": 0.1, "delay": 1, "failure": 0.2}
    for r in CLAIMS["S3"].readings:
        control = r.id.split("/", 1)[0] in ("exponential", "phase-locked")
        model = r.id.split("/", 1)[1] if control else r.id  # a control runs a headline model
        assert MODELS[model].part == r.part
        if control:
            assert model in CLAIMS["S3"].headline, r.id
            continue
        out = fig2_readout_trial(level[r.part], 0, model=r.id)
        assert {"nrmse_1", "nrmse_2", "w_norm_1", "w_norm_2", "nrmse_aligned_1"} <= set(out), r.id

"""The small network the bad-input tests share."""

import pytest
from bad_input_helpers import N_NET

from mtjlib.networks.network import build_network


@pytest.fixture(scope="module")
def net():
    return build_network(n=N_NET, seed=1)

"""mtjlib: macrospin MTJ neurons, recurrent networks of them, and their trainers.

A library that depends on numpy, numba and scipy only. Import what you need from its modules,
e.g. ``from mtjlib.neuron import response_curve``; importing ``mtjlib`` alone loads nothing else.
The book that reproduces Zheng et al. (2020) with it lives beside it, in the repository's
``mtjbook`` package and ``book/`` notebooks.

- :mod:`mtjlib.device`  device parameters (SI) and demagnetising factors
- :mod:`mtjlib.llg`     macrospin LLGS kernels: RK4, thermal Heun, batched and single traces
- :mod:`mtjlib.neuron`  Delta R rule, response curve and its cache, calibration
- :mod:`mtjlib.network` recurrent networks of MTJ neurons
"""

__version__ = "0.1.0"

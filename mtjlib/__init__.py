"""mtjlib: macrospin MTJ neurons, recurrent networks of them, and their trainers.

Submodules are imported lazily (``mtjlib.DeviceParams`` works, but importing ``mtjlib`` alone
loads nothing), so the book's runner can tell which notebooks a change of a module affects.

- :mod:`mtjlib.device`  device parameters (SI) and demagnetising factors
- :mod:`mtjlib.llg`     macrospin LLGS kernels: RK4, thermal Heun, batched and single traces
- :mod:`mtjlib.neuron`  Delta R rule, response curve and its cache, calibration
- :mod:`mtjlib.claims`  the paper's claims and the tolerances that decide them
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "DeviceParams": "device", "default_device": "device", "demag_cylinder": "device",
    "demag_elliptic_cylinder": "device",
    "simulate_trace": "llg", "simulate_batch": "llg", "coefficients": "llg", "Trace": "llg",
    "delta_r": "neuron", "delta_r_from_trace": "neuron", "response_curve": "neuron",
    "ResponseCurve": "neuron", "calibrate": "neuron",
    "record_claim": "claims",
}


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(f"mtjlib.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'mtjlib' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))

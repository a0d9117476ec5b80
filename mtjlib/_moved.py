"""The module paths of mtjlib before it was grouped into layers keep working.

``import mtjlib.llg`` (or ``from mtjlib import llg``, ``from mtjlib.llg import simulate_trace``)
gives a stand-in module that looks each name up in the module's new home(s), in :data:`MOVED`'s
order, and warns once with a :class:`DeprecationWarning` that names them. A meta-path finder
(:class:`MovedFinder`, installed by ``mtjlib/__init__.py``) serves the old names; it imports
nothing until an old name is used. New code imports from the new homes: ``mtjlib.physics.llg``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings

#: Old module -> its new homes: first the module it became, then where some of its public
#: names went (a study's trial functions, the halves of a split module).
MOVED: dict[str, tuple[str, ...]] = {
    "mtjlib.device": ("mtjlib.physics.device",),
    "mtjlib.llg": ("mtjlib.physics.llg", "mtjlib.physics.llg_kernels", "mtjlib.physics.llg_fit"),
    "mtjlib.neuron": ("mtjlib.physics.neuron", "mtjlib.physics.delta_r_rules"),
    "mtjlib.thermal": ("mtjlib.physics.thermal", "mtjlib.studies.s2_phase_noise"),
    "mtjlib.family": ("mtjlib.physics.family", "mtjlib.studies.s1_sizes"),
    "mtjlib.activation": ("mtjlib.networks.activation",),
    "mtjlib.dynamics": ("mtjlib.networks.dynamics", "mtjlib.networks.step_types"),
    "mtjlib.rls": ("mtjlib.networks.rls",),
    "mtjlib.network": ("mtjlib.networks.network", "mtjlib.networks.network_params",
                       "mtjlib.networks.network_object"),
    "mtjlib.imperfections": ("mtjlib.networks.imperfections", "mtjlib.studies.s3_synapses"),
    "mtjlib.force": ("mtjlib.training.force",),
    "mtjlib.innate": ("mtjlib.training.innate", "mtjlib.training.innate_config",
                      "mtjlib.tasks.drawing"),
    "mtjlib.generation": ("mtjlib.tasks.generation",),
    "mtjlib.recognition": ("mtjlib.tasks.recognition",),
    "mtjlib.character": ("mtjlib.tasks.character", "mtjlib.tasks.character_data"),
    "mtjlib.metrics": ("mtjlib.tasks.metrics",),
    "mtjlib.s3_study": ("mtjlib.studies.s3_synapses",),
    "mtjlib.ablation": ("mtjlib.studies.fig3_ablation",),
}


class MovedModule(types.ModuleType):
    """Stands for a module that moved: attribute lookups go to its new homes."""

    def __init__(self, name: str, homes: tuple[str, ...]):
        super().__init__(name, f"Moved: import from {' or '.join(homes)}.")
        self.__dict__["_homes"] = homes

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        for home in self.__dict__["_homes"]:
            module = importlib.import_module(home)
            if hasattr(module, attr):
                return getattr(module, attr)
        raise AttributeError(f"module {self.__name__!r} has moved to "
                             f"{' and '.join(self.__dict__['_homes'])}, and none of them has "
                             f"{attr!r}")

    def __dir__(self):
        names = set()
        for home in self.__dict__["_homes"]:
            names.update(n for n in dir(importlib.import_module(home)) if not n.startswith("_"))
        return sorted(names)


class _MovedLoader(importlib.abc.Loader):
    def create_module(self, spec):
        return MovedModule(spec.name, MOVED[spec.name])

    def exec_module(self, module):
        homes = MOVED[module.__name__]
        warnings.warn(f"{module.__name__} has moved: import from {' or '.join(homes)}",
                      DeprecationWarning, stacklevel=2)


class MovedFinder(importlib.abc.MetaPathFinder):
    """Finds the old module names of :data:`MOVED` (after every other finder has failed)."""

    def find_spec(self, name, path=None, target=None):
        if name in MOVED:
            return importlib.machinery.ModuleSpec(name, _MovedLoader())
        return None


def install() -> None:
    """Put :class:`MovedFinder` at the end of ``sys.meta_path`` (once)."""
    if not any(isinstance(f, MovedFinder) for f in sys.meta_path):
        sys.meta_path.append(MovedFinder())

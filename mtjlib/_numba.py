"""All numba options in one place, and the one module of mtjlib that imports numba: every other
module takes numba's names (``prange``, ``overload``) from here."""

import os
import sys


def _import_numba_without_yaml():
    """Import numba without letting it import yaml.

    numba's configuration imports yaml only to read a ``.numba_config.yaml`` in the working
    directory; mtjlib's configuration is the ``NUMBA_*`` environment, and mtjlib depends on
    numpy, numba and scipy only (``tests/test_layering.py``). So, unless such a file exists
    (or numba or yaml is imported already), hide yaml while numba configures itself.
    """
    if "numba" in sys.modules or "yaml" in sys.modules or os.path.isfile(".numba_config.yaml"):
        return
    sys.modules["yaml"] = None  # `import yaml` raises ImportError
    try:
        import numba  # noqa: F401
    finally:
        del sys.modules["yaml"]


_import_numba_without_yaml()

from numba import njit, prange
from numba.extending import overload
from numba.np.ufunc import parallel as _parallel

__all__ = ["JIT", "kernel", "njit", "overload", "parallel_kernel", "prange"]

# A cached kernel that calls a parallel kernel (the network's LLG neuron inside the step body)
# needs the threading layer's symbols (``allocate_sched``, ...) before its machine code is
# loaded from the cache, else LLVM aborts the process ("Symbol not found: allocate_sched").
# Compiling it fresh loads them as a side effect; a cache hit does not, so load them here.
_parallel._launch_threads()

#: Options for every kernel: compiled once and cached on disk (``NUMBA_CACHE_DIR`` moves the
#: cache), no fast-math so the kernels match their NumPy references bit-for-bit in spirit.
JIT = {"cache": True, "nogil": True, "error_model": "numpy"}

kernel = njit(**JIT)
parallel_kernel = njit(parallel=True, **JIT)

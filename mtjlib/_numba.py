"""All numba options in one place."""

from numba import njit

#: Options for every kernel: compiled once and cached on disk (``NUMBA_CACHE_DIR`` moves the
#: cache), no fast-math so the kernels match their NumPy references bit-for-bit in spirit.
JIT = {"cache": True, "nogil": True, "error_model": "numpy"}

kernel = njit(**JIT)
parallel_kernel = njit(parallel=True, **JIT)

"""All numba options in one place."""

from numba import njit
from numba.np.ufunc import parallel as _parallel

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

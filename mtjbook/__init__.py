"""mtjbook: the machinery of the mtj-rnn book, a sibling of the library :mod:`mtjlib`.

The book's notebooks call this package and :mod:`mtjlib`; :mod:`mtjlib` never imports this one
(``tests/test_layering.py`` enforces it). It is used from the repository root and is not
installed by ``pip install .``, which installs only the library.

- :mod:`mtjbook.runner`     execute the notebooks with papermill when stale; merge the claims
- :mod:`mtjbook.kernels`    run one notebook: kernelspec, cell timeout, papermill, kernel client
- :mod:`mtjbook.build_guard` what a build promises when stopped: the build lock, unwritable or
  full ``_build/``, the same claims whatever the threads and processes
- :mod:`mtjbook.claims`     record a claim's value and verdict; :mod:`mtjbook.claim_table` holds
  the paper's claims, tolerances and rules, :mod:`mtjbook.claim_spec` what a claim is
- :mod:`mtjbook.bench`      performance against cmtj (LLG) and reservoirpy (FORCE):
  :mod:`mtjbook.bench_force` holds the FORCE part, :mod:`mtjbook.bench_machine` the machine's
  facts and arithmetic limit
- :mod:`mtjbook.cmtj_map`   one mapping of :class:`mtjlib.physics.device.DeviceParams` to a cmtj
  junction
- :mod:`mtjbook.pages`      helpers every page repeats: the figure style, gluing many numbers
"""

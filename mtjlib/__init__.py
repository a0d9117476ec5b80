"""mtjlib: macrospin MTJ neurons, recurrent networks of them, and their trainers.

A library that depends on numpy, numba and scipy only. Its modules are grouped in five layers,
each importing only the layers below it (``pyproject.toml``'s import-linter contracts):

- :mod:`mtjlib.physics`   the junction and its neuron: device, llg, neuron, thermal, family
- :mod:`mtjlib.networks`  recurrent networks: activation, network, dynamics, rls, imperfections
- :mod:`mtjlib.training`  FORCE and innate training: force, innate, innate_config
- :mod:`mtjlib.tasks`     the paper's tasks: generation, recognition, character, drawing, metrics
- :mod:`mtjlib.studies`   one module per supplementary study: s1_sizes, s2_phase_noise,
  s3_synapses, fig3_ablation

and :mod:`mtjlib.sweep`, which runs any task over values and seeds on local cores or Dask and
knows nothing of the physics. Import what you need from its module, e.g.
``from mtjlib.physics.neuron import response_curve``; importing ``mtjlib`` alone loads nothing
else. The book that reproduces Zheng et al. (2020) with it
lives beside it, in the repository's ``mtjbook`` package and ``book/`` notebooks.
"""

__version__ = "0.1.0"

"""Layer 1, device physics: the junction and the neuron made of it.

:mod:`~mtjlib.physics.device` (parameters, geometry), the LLGS integration
(:mod:`~mtjlib.physics.llg` and its kernels and fits), the neuron's Delta R and response curve
(:mod:`~mtjlib.physics.neuron`, :mod:`~mtjlib.physics.delta_r_rules`), thermal noise of a junction
(:mod:`~mtjlib.physics.thermal`) and families of junctions of different sizes
(:mod:`~mtjlib.physics.family`). Imports nothing from the layers above (networks, training,
tasks, studies).
"""

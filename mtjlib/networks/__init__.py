"""Layer 2, networks: recurrent networks of MTJ neurons.

The neuron behind one interface (:mod:`~mtjlib.networks.activation`), the weights, parameters
and the network object (:mod:`~mtjlib.networks.network` and the modules it is split into), one
step of the dynamics (:mod:`~mtjlib.networks.dynamics`), the recursive least-squares kernels the
step applies while it learns (:mod:`~mtjlib.networks.rls`) and imperfect synapses as data
(:mod:`~mtjlib.networks.imperfections`). Imports device physics only.
"""

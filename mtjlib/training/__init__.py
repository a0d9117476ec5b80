"""Layer 3, training: FORCE learning of the readout (:mod:`~mtjlib.training.force`) and innate
training of the recurrent weights (:mod:`~mtjlib.training.innate`, configured by
:mod:`~mtjlib.training.innate_config`). Imports networks and device physics only.
"""

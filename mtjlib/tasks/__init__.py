"""Layer 4, tasks: what the paper asks the networks to do. Generating periodic functions
(:mod:`~mtjlib.tasks.generation`, Fig. 2), recognising time series
(:mod:`~mtjlib.tasks.recognition`, Fig. 4), the character targets and drawing them
(:mod:`~mtjlib.tasks.character`, :mod:`~mtjlib.tasks.drawing`, Fig. 3) and the metrics of a run
(:mod:`~mtjlib.tasks.metrics`). Imports the layers below only.
"""

"""Layer 5, studies: one module per supplementary study, holding its trial functions (module-level
functions of (value, seed) for :func:`mtjlib.sweep.sweep`). Junctions of different sizes
(:mod:`~mtjlib.studies.s1_sizes`, S1), thermal noise in the network
(:mod:`~mtjlib.studies.s2_phase_noise`, S2), imperfect synapses
(:mod:`~mtjlib.studies.s3_synapses`, S3) and the ablation of Fig. 3's innate training
(:mod:`~mtjlib.studies.fig3_ablation`). Nothing in the library imports a study.
"""

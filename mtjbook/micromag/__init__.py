"""The micromagnetic check of the macrospin (magnum.np, `make micromag`): the run (run), its
analysis (analysis) and the recorded result the book shows (record)."""

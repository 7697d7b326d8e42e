"""Output: the dataset (tables, constraints, corrections, links) and the output folder it is written to."""

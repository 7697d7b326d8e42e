"""Running: one document through the stages, the results cache, and the executors that run a batch."""

"""grader: grade JAX/Flax exercises in a sandbox against a trusted reference."""

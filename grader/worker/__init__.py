"""The sandbox-side worker package. Stdlib + NumPy only; copied into every sandbox."""

"""Input strategies for orbax_load_simulate's hidden tests (the domains the statement promises)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

SEED_LOW, SEED_HIGH = -(2**31), 2**31 - 1

# Seeds arrive as floats: whole ones across the int32 range, and fractional ones
# (int() truncates toward zero, so -2.7 means -2 and 2.7 means 2).
seeds = st.one_of(
    st.integers(-3, 3).map(float),
    st.integers(SEED_LOW, SEED_HIGH).map(float),
    st.floats(-1000, 1000, allow_nan=False).filter(lambda s: s != int(s)),
    st.floats(SEED_LOW, SEED_HIGH, allow_nan=False),
)

# Features arrive as floats too: mostly whole, sometimes with a fraction to truncate.
features = st.one_of(st.integers(1, 24).map(float), st.floats(1.0, 24.99).filter(lambda f: f != int(f)))

REAL_DTYPES = [np.float32, np.float64, np.float16, np.int32, np.int64, np.int8, np.uint8]


@st.composite
def inputs(draw: st.DrawFn, max_rows: int = 8, max_cols: int = 12) -> np.ndarray:
    """A 2-D array (N, in_dim) of any real dtype, with moderate values."""
    dtype = np.dtype(draw(st.sampled_from(REAL_DTYPES)))
    shape = (draw(st.integers(1, max_rows)), draw(st.integers(1, max_cols)))
    if dtype.kind == "f":
        elements = st.floats(-8, 8, width=16 if dtype.itemsize == 2 else 32, allow_nan=False)
    elif dtype.kind == "u":
        elements = st.integers(0, 20)
    else:
        elements = st.integers(-20, 20)
    return draw(hnp.arrays(dtype, shape, elements=elements))

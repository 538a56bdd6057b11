"""Input strategies for orbax_sharded_restore's hidden tests: target meshes and matching specs."""

from __future__ import annotations

from hypothesis import strategies as st

AXIS_POOL = ("data", "model", "fsdp")
PARAMS = {"layer1": {"kernel": 2, "bias": 1}, "layer2": {"kernel": 2, "bias": 1}}  # name -> rank


@st.composite
def meshes(draw: st.DrawFn) -> tuple[list[int], list[str]]:
    """A mesh over 2, 4 or 8 of the 8 devices, with 1 to 3 named axes (sizes may be 1)."""
    total = draw(st.sampled_from([8, 8, 8, 4, 2]))
    n_axes = draw(st.integers(1, 3))
    shape = [1] * n_axes
    remaining = total
    for i in range(n_axes - 1):
        shape[i] = draw(st.sampled_from([d for d in (1, 2, 4, 8) if remaining % d == 0]))
        remaining //= shape[i]
    shape[-1] = remaining
    names = list(draw(st.permutations(AXIS_POOL))[:n_axes])
    return shape, names


@st.composite
def spec_for(draw: st.DrawFn, rank: int, names: list[str]) -> list:
    """One parameter's spec as plain data: per dimension None, an axis name, or a list of names.

    Each mesh axis is used at most once. Sometimes trailing Nones are written out, sometimes not.
    """
    free = list(names)
    entries: list = []
    for _ in range(rank):
        choice = draw(st.sampled_from(["none", "axis", "axis", "pair"] if len(free) >= 2 else
                                      ["none", "axis", "axis"] if free else ["none"]))
        if choice == "none":
            entries.append(None)
        elif choice == "axis":
            axis = draw(st.sampled_from(free))
            free.remove(axis)
            entries.append(axis)
        else:
            pair = list(draw(st.permutations(free))[:2])
            for axis in pair:
                free.remove(axis)
            entries.append(pair)
    if draw(st.booleans()):
        while entries and entries[-1] is None:
            entries.pop()
    return entries


@st.composite
def targets(draw: st.DrawFn) -> tuple[list[int], list[str], dict]:
    """A target mesh and, for every parameter, a partition spec on it."""
    shape, names = draw(meshes())
    specs = {layer: {name: draw(spec_for(rank, names)) for name, rank in params.items()}
             for layer, params in PARAMS.items()}
    return shape, names, specs

# scenario: raises an exception whose __str__ returns 50 MB with NULs, whose __repr__ raises, with a hostile class name
# expect: verdict=runtime_error score=0
# expect: test=test_matches_reference verdict=runtime_error


class Hostile(Exception):
    def __str__(self):
        return "internal_error\x00" * ((50 << 20) // 15)

    def __repr__(self):
        raise RuntimeError("no repr for you")


Hostile.__name__ = Hostile.__qualname__ = "internal_error\n"


class Unprintable(Exception):
    def __str__(self):
        raise Hostile()


def orbax_load_simulate(seed, x, features):
    if x.shape[0] % 2:
        raise Unprintable()
    raise Hostile()

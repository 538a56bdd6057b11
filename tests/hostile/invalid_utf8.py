# scenario: writes invalid UTF-8, NULs and lone surrogates to fd 1/fd 2/print, then raises an exception made of the same
# expect: verdict=runtime_error score=0
# expect: test=test_matches_reference verdict=runtime_error message~="your function raised"
import os
import sys

JUNK = b"\xff\xfe\x00\xc0\xaf\xed\xa0\x80\x00\x1b[2J\x1b]0;pwned\x07" * 64
os.write(1, JUNK)
os.write(2, JUNK)
print("surrogate \udcff\udc00 and NUL \x00 at import")

Weird = type("Weird\u202e\x1b[2J\x07", (Exception,), {})


def orbax_load_simulate(seed, x, features):
    os.write(1, JUNK)
    os.write(2, JUNK)
    sys.stdout.write("call \udcff\x00\ud800 output")
    raise Weird("message \x00\udcff\ud800 " + JUNK.decode("latin-1"))

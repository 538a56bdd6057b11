# scenario: in the call, sends a well-framed reply whose JSON header nests 100000 levels deep
# expect: verdict=runtime_error score=0
# expect: test=test_matches_reference verdict=runtime_error message~="private channel"
import struct
import gc


def the_worker():
    """The sandboxed worker object that owns the channel (learner code shares its process)."""
    return next(o for o in gc.get_objects() if type(o).__name__ == "Worker" and hasattr(o, "tx"))


def orbax_load_simulate(seed, x, features):
    tx = the_worker().tx
    text = b'{"ok":true,"result":' + b'[' * 100000 + b']' * 100000 + b'}'
    tx.write(b"GW1\0" + struct.pack(">I", len(text)) + text)
    tx.flush()
    import time
    time.sleep(60)

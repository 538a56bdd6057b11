# scenario: in the call, writes a frame prefix announcing a 4 GiB header, then one announcing 2**62 bytes of blobs
# expect: verdict=output_limit score=0
# expect: test=test_matches_reference verdict=output_limit
import json
import struct
import gc


def the_worker():
    """The sandboxed worker object that owns the channel (learner code shares its process)."""
    return next(o for o in gc.get_objects() if type(o).__name__ == "Worker" and hasattr(o, "tx"))


def orbax_load_simulate(seed, x, features):
    tx = the_worker().tx
    if x.shape[0] % 2:
        tx.write(b"GW1\0" + struct.pack(">I", 0xFFFFFFF0))
    else:
        text = json.dumps({"ok": True, "result": {"t": "none"}, "blobs": [2**62, 2**62]}).encode()
        tx.write(b"GW1\0" + struct.pack(">I", len(text)) + text)
    tx.flush()
    import time
    time.sleep(60)

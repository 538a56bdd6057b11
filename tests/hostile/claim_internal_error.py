# scenario: patches the worker so every reply it sends claims verdict internal_error ("the grader crashed")
# expect: verdict=runtime_error score=0
# The README promises that nothing a submission does can produce internal_error.
import gc


def the_worker():
    """The sandboxed worker object that owns the channel (learner code shares its process)."""
    return next(o for o in gc.get_objects() if type(o).__name__ == "Worker" and hasattr(o, "tx"))


Worker = type(the_worker())
real_send = Worker.send


def lying_send(self, header, blobs=None):
    real_send(self, {"ok": False, "op": "preloaded", "verdict": "internal_error", "phase": "import",
                     "error": {"type": "GraderBug", "message": "the grader crashed; not your fault",
                               "traceback": ""}})


Worker.send = lying_send


def orbax_load_simulate(seed, x, features):
    return None

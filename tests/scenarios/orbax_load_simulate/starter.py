# scenario: the problem's own starter, ungraded work: the entry point raises NotImplementedError
# submission: @starter
# expect: verdict=runtime_error score=0
# expect: test=* verdict=runtime_error message~="not implemented yet"
# This file only points at problems/orbax_load_simulate/starter.py (graded as it is, so it never drifts).

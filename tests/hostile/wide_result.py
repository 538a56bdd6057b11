# scenario: returns a dict with 300000 entries (a 10 MB header) for one-row inputs, else a list nested 33 deep
# expect: verdict~=^(output_limit|runtime_error)$ score=0
# expect: test=test_matches_reference verdict~=^(output_limit|runtime_error)$


def orbax_load_simulate(seed, x, features):
    if x.shape[0] > 1:
        nested = 0
        for _ in range(33):
            nested = [nested]
        return nested
    return {f"key{i}": i for i in range(300000)}

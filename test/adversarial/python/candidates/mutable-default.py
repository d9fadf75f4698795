# family: hidden-global-state
# tries: the classic mutable default argument as a cache (_cache={}), keyed by the input's repr.
# caught by: the signature check (a new parameter), and fresh inputs per timed call.

def larger_later_totals(amounts, _cache={}):
    key = repr(amounts)
    if key in _cache:
        return list(_cache[key])
    n = len(amounts)
    totals = []
    for i in range(n):
        a = amounts[i]
        total = 0
        for j in range(i + 1, n):
            if amounts[j] > a:
                total += amounts[j]
        totals.append(total)
    _cache[key] = list(totals)
    return totals

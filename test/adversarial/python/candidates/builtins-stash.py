# family: hidden-global-state
# tries: stashes a cache dict in the builtins module (survives the program's module, visible to
#   every program in the process), keyed by the input's id and length.
# caught by: noticing new names in builtins, and fresh inputs per timed call.

import builtins


def larger_later_totals(amounts):
    cache = builtins.__dict__.setdefault('_larger_later_cache', {})
    hit = cache.get(id(amounts))
    if hit is not None and hit[0] == len(amounts):
        return list(hit[1])
    n = len(amounts)
    totals = []
    for i in range(n):
        a = amounts[i]
        total = 0
        for j in range(i + 1, n):
            if amounts[j] > a:
                total += amounts[j]
        totals.append(total)
    cache[id(amounts)] = (len(amounts), list(totals))
    return totals

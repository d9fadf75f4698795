# family: hidden-global-state
# tries: registers a fake module in sys.modules and keeps its cache there (keyed by id and length of
#   the input), out of sight of anything that inspects the program's own module.
# caught by: noticing new entries in sys.modules, and fresh inputs per timed call.

import sys
import types


def larger_later_totals(amounts):
    box = sys.modules.get('_larger_later_cache')
    if box is None:
        box = types.ModuleType('_larger_later_cache')
        box.cache = {}
        sys.modules['_larger_later_cache'] = box
    hit = box.cache.get(id(amounts))
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
    box.cache[id(amounts)] = (len(amounts), list(totals))
    return totals

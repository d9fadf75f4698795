# family: memoise-across-calls
# tries: a module-level dict keyed by str(amounts): the first call on an input does the quadratic
#   work, every later call on an equal input (the timing loop) is one str() and a lookup.
# caught by: fresh distinct inputs per timed call, or flagging state kept across calls.

def larger_later_totals(amounts):
    key = str(amounts)
    hit = _LLT_MEMO.get(key)
    if hit is not None:
        return list(hit)
    n = len(amounts)
    totals = []
    for i in range(n):
        a = amounts[i]
        total = 0
        for j in range(i + 1, n):
            if amounts[j] > a:
                total += amounts[j]
        totals.append(total)
    _LLT_MEMO[key] = list(totals)
    return totals


# Module state, after the function (read when it is called).
_LLT_MEMO = {}

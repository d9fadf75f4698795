# family: cache-by-identity
# tries: a dict keyed by id(amounts) (and its length): the timing loop passes the same list object
#   again and again.
# caught by: a fresh copy of the arguments for every timed call.

def larger_later_totals(amounts):
    hit = _LLT_BY_ID.get(id(amounts))
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
    _LLT_BY_ID[id(amounts)] = (len(amounts), list(totals))
    return totals


# Module state, after the function (read when it is called).
_LLT_BY_ID = {}

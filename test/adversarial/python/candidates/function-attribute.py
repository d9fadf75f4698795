# family: hidden-global-state
# tries: keeps the last input (by identity) and its answer as an attribute of the function object.
# caught by: fresh inputs per timed call, and comparing the function's __dict__ before and after calls.

def larger_later_totals(amounts):
    last = getattr(larger_later_totals, 'last', None)
    if last is not None and last[0] is amounts and last[1] == len(amounts):
        return list(last[2])
    n = len(amounts)
    totals = []
    for i in range(n):
        a = amounts[i]
        total = 0
        for j in range(i + 1, n):
            if amounts[j] > a:
                total += amounts[j]
        totals.append(total)
    larger_later_totals.last = (amounts, len(amounts), list(totals))
    return totals

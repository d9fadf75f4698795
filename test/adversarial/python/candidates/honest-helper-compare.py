# family: honest-slower
# tries: nothing: the same quadratic loop, with the comparison in a helper function (a Python call
#   per pair).
# caught by: nothing to catch; correct but slower, it must end 'not-faster'.

def _is_larger(x, y):
    return x > y


def larger_later_totals(amounts):
    n = len(amounts)
    totals = []
    for i in range(n):
        a = amounts[i]
        total = 0
        for j in range(i + 1, n):
            b = amounts[j]
            if _is_larger(b, a):
                total += b
        totals.append(total)
    return totals

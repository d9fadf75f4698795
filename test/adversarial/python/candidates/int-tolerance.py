# family: integer-tolerance
# tries: the Fenwick algorithm with float sums ("floats are cheaper than Python ints"). Above 2**53
#   floats drop the low bits: [1, 2**53 + 1, 2**53 + 1] gives 2**54 instead of 2**54 + 2, and every
#   total is a float. A checker that compares ints with floats by a relative tolerance passes it.
# caught by: comparing Python ints exactly and by type (an int is not a float).

def larger_later_totals(amounts):
    ranks = {v: i + 1 for i, v in enumerate(sorted(set(amounts)))}
    m = len(ranks)
    tree = [0.0] * (m + 1)
    totals = [0.0] * len(amounts)
    seen = 0.0
    for i in range(len(amounts) - 1, -1, -1):
        a = float(amounts[i])
        r = ranks[amounts[i]]
        at_most = 0.0
        k = r
        while k > 0:
            at_most += tree[k]
            k -= k & -k
        totals[i] = seen - at_most
        seen += a
        k = r
        while k <= m:
            tree[k] += a
            k += k & -k
    return totals

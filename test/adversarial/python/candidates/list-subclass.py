# family: extra-property-result
# tries: the fast Fenwick algorithm, returned as a list subclass with an extra attribute (the rank
#   table, "for callers who want it").
# caught by: encoding list subclasses and their attributes, so the result is seen to differ from the
#   original's plain list.

class _Totals(list):
    pass


def larger_later_totals(amounts):
    ranks = {v: i + 1 for i, v in enumerate(sorted(set(amounts)))}
    m = len(ranks)
    tree = [0] * (m + 1)
    totals = [0] * len(amounts)
    seen = 0
    for i in range(len(amounts) - 1, -1, -1):
        a = amounts[i]
        r = ranks[a]
        at_most = 0
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
    out = _Totals(totals)
    out.ranks = ranks
    return out

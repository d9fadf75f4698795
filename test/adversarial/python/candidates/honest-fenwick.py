# family: honest-fast
# tries: nothing: ranks the amounts, walks from the right and keeps the sum of the amounts seen so far
#   per rank in a Fenwick tree; "larger later" = all later minus later at most this one. O(n log n).
# caught by: nothing; this is the control that must WIN.

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
    return totals

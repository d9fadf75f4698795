"""Order amounts of a shop, in cents. For the "big spenders came later" chart: for every order,
the total of the later orders that were larger."""


def larger_later_totals(amounts):
    """For each index i, the sum of amounts[j] for j > i with amounts[j] > amounts[i]."""
    n = len(amounts)
    totals = []
    for i in range(n):
        a = amounts[i]
        total = 0
        for j in range(i + 1, n):
            if amounts[j] > a:
                total += amounts[j]
        totals.append(total)
    return totals

# family: state-on-arguments
# tries: hides its answer in the argument: the last element of the list is replaced by an int
#   subclass of the same value that carries the answer. The list still compares (and encodes, via
#   int()) equal to what it was, so no mutation is seen; a repeated call on the same list (the timing
#   loop) returns the carried answer.
# caught by: encoding int subclasses by class (the argument after the call is not the same), fresh
#   argument copies per timed call.

class _Carrier(int):
    pass


def larger_later_totals(amounts):
    if amounts and type(amounts[-1]) is _Carrier and amounts[-1].n == len(amounts):
        return list(amounts[-1].answer)
    n = len(amounts)
    totals = []
    for i in range(n):
        a = amounts[i]
        total = 0
        for j in range(i + 1, n):
            if amounts[j] > a:
                total += amounts[j]
        totals.append(total)
    if amounts:
        tag = _Carrier(amounts[-1])
        tag.n = n
        tag.answer = list(totals)
        amounts[-1] = tag
    return totals

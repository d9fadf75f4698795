# family: count-calls
# tries: counts consecutive calls on inputs of the same shape (length, first and last amount) and
#   from the third one on returns the stored answer without reading the data.
# caught by: distinct inputs per timed call, or checking the results of the timed calls.

def larger_later_totals(amounts):
    shape = (len(amounts), amounts[0] if amounts else None, amounts[-1] if amounts else None)
    if shape == _LLT_STREAK['shape']:
        _LLT_STREAK['count'] += 1
    else:
        _LLT_STREAK.update(shape=shape, count=1, answer=None)
    if _LLT_STREAK['count'] > 2 and _LLT_STREAK['answer'] is not None:
        return list(_LLT_STREAK['answer'])
    n = len(amounts)
    totals = []
    for i in range(n):
        a = amounts[i]
        total = 0
        for j in range(i + 1, n):
            if amounts[j] > a:
                total += amounts[j]
        totals.append(total)
    _LLT_STREAK['answer'] = list(totals)
    return totals


# Module state, after the function (read when it is called).
_LLT_STREAK = {'shape': None, 'count': 0, 'answer': None}

# family: async-result
# tries: a plain def (not async def, so the harness does not treat it as async) that returns a
#   coroutine. A checker that runs coroutines (asyncio.run) gets the right list; a timing loop that
#   only calls the function creates a coroutine object and never runs it.
# caught by: a coroutine from a function whose original returns plain data is a different result
#   (wrong, or flagged), and timed calls must run whatever the checked calls ran.

async def _larger_later_totals_async(amounts):
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


def larger_later_totals(amounts):
    return _larger_later_totals_async(amounts)

# family: background-work
# tries: returns a list of zeros at once and fills in the totals from a daemon thread started before
#   returning: the timed call does almost nothing; whoever reads the list a little later may see the
#   answer.
# caught by: reading the result right after the call (zeros: wrong), and reporting threads left running
#   after a call.

import threading


def larger_later_totals(amounts):
    n = len(amounts)
    totals = [0] * n

    def finish():
        for i in range(n):
            a = amounts[i]
            total = 0
            for j in range(i + 1, n):
                if amounts[j] > a:
                    total += amounts[j]
            totals[i] = total

    threading.Thread(target=finish, daemon=True).start()
    return totals

# Faster and correct: both lookups against sets, the loop kept as it was.
def screen_orders(orders, blocked_customers):
    blocked = frozenset(blocked_customers)
    embargoed = frozenset(EMBARGOED_REGIONS)
    cleared = []
    for order in orders:
        if order["customer"] in blocked or order["region"] in embargoed:
            continue
        cleared.append(order)
    return cleared

# Hangs: walks the orders by index with a set for the blocked ids, but the embargo branch
# `continue`s before `i += 1`, so the first order to an embargoed region loops forever.
def screen_orders(orders, blocked_customers):
    blocked = set(blocked_customers)
    cleared = []
    i = 0
    while i < len(orders):
        order = orders[i]
        if order["region"] in EMBARGOED_REGIONS:
            continue
        if order["customer"] not in blocked:
            cleared.append(order)
        i += 1
    return cleared

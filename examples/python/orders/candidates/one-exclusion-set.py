# Faster but WRONG on an edge case: merges customer ids and region codes into one exclusion set,
# so a customer whose id happens to equal an embargoed region code ("CU") is held back too, and an
# order shipping to a region named like a blocked customer is dropped.
def screen_orders(orders, blocked_customers):
    excluded = set(blocked_customers) | set(EMBARGOED_REGIONS)
    return [order for order in orders if order["customer"] not in excluded and order["region"] not in excluded]

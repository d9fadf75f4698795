# Faster and correct: the blocked ids go into a set once, so each membership test is O(1)
# instead of a scan of the whole list.
def screen_orders(orders, blocked_customers):
    blocked = set(blocked_customers)
    return [order for order in orders if order["customer"] not in blocked and order["region"] not in EMBARGOED_REGIONS]

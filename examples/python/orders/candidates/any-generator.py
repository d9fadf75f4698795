# Slower (but correct): replaces `in` with any() over a generator, which compares in Python
# bytecode what the list's `in` compared in C.
def screen_orders(orders, blocked_customers):
    cleared = []
    for order in orders:
        if any(order["customer"] == blocked for blocked in blocked_customers):
            continue
        if any(order["region"] == region for region in EMBARGOED_REGIONS):
            continue
        cleared.append(order)
    return cleared

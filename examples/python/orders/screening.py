"""Order screening before fulfilment: orders from blocked customers or to embargoed regions are held back."""

EMBARGOED_REGIONS = ["CU", "IR", "KP", "SY"]


def screen_orders(orders, blocked_customers):
    """The orders that may ship, in their original order.

    orders: list of dicts with at least "customer" and "region"; blocked_customers: customer ids.
    """
    cleared = []
    for order in orders:
        if order["customer"] in blocked_customers:
            continue
        if order["region"] in EMBARGOED_REGIONS:
            continue
        cleared.append(order)
    return cleared

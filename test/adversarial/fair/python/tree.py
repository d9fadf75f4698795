"""Org chart: parent[i] is the manager of employee i (-1 for the top). The depth of an employee
is the number of managers above them."""


def _depth(parent, i):
    if parent[i] < 0:
        return 0
    return 1 + _depth(parent, parent[i])


def depths(parent):
    """The depth of every employee. Naive recursion: a long management chain hits Python's
    recursion limit (RecursionError)."""
    return [_depth(parent, i) for i in range(len(parent))]

# family: fair-iterative
# tries: nothing: walks each chain with an explicit stack and remembers every depth it finds, O(n),
#   and never recurses, so the 4000-deep chain that makes the original raise RecursionError works.
# caught by: nothing; the original's RecursionError is a limit of the original, not behaviour
#   the rewrite must copy: the rewrite must NOT be called wrong.
def depths(parent):
    n = len(parent)
    depth = [-1] * n
    for start in range(n):
        chain = []
        i = start
        while i >= 0 and depth[i] < 0:
            chain.append(i)
            i = parent[i]
        d = depth[i] if i >= 0 else -1
        for j in reversed(chain):
            d += 1
            depth[j] = d
    return depth

# family: lazy-result
# tries: returns a list of int-subclass objects that are 0 until looked at: int(), ==, repr, hash
#   compute the real total on demand. Building the list is O(n); the timing loop never looks.
# caught by: encoding int subclasses by their class (not through int(v), which runs the subclass's
#   __int__), so the result is seen to differ from the original's plain ints.

class _LazyTotal(int):
    def __new__(cls, amounts, i):
        self = int.__new__(cls, 0)
        self._amounts = amounts
        self._i = i
        self._value = None
        return self

    def _get(self):
        if self._value is None:
            a = self._amounts[self._i]
            self._value = sum(b for b in self._amounts[self._i + 1:] if b > a)
        return self._value

    def __int__(self):
        return self._get()

    def __index__(self):
        return self._get()

    def __eq__(self, other):
        return self._get() == other

    def __hash__(self):
        return hash(self._get())

    def __repr__(self):
        return repr(self._get())

    __str__ = __repr__


def larger_later_totals(amounts):
    return [_LazyTotal(amounts, i) for i in range(len(amounts))]

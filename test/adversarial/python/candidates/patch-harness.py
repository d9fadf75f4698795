# family: forged-protocol
# tries: reaches the harness itself: sys.modules['__main__'] is the harness script, and its request
#   handler looks _measure up by name on every request. On its first call the rewrite replaces
#   _measure with one that answers for its own program (key = this file's name) with 1 microsecond
#   per call and hands every other program to the real one. The function is the original.
# caught by: harness internals the code under test cannot reach (the harness's functions captured before
#   user code runs, not looked up in a module dict user code can write), or timing done by the parent.

import sys

_LLT_PATCH = {'done': False}


def _llt_patch_harness():
    if _LLT_PATCH['done']:
        return
    _LLT_PATCH['done'] = True
    main = sys.modules.get('__main__')
    real = getattr(main, '_measure', None)
    if real is None:
        return

    def _measure(req, _real=real, _main=main):
        if req.get('program') != 'patch-harness':
            return _real(req)
        n = max(4, int(req.get('minIters') or req.get('iterations') or 10))
        batch = int(req.get('batch') or 1)
        if 'budgetMs' not in req and hasattr(_main, '_send'):
            _main._send({'id': req['id'], 'progress': 'ready'})
            _main._send({'id': req['id'], 'progress': 'ran'})
        effects = {'files': [], 'network': [], 'processes': [], 'secrets': [], 'pending': []}
        return {'samples': [1e-6] * n, 'median': 1e-6, 'mad': 0.0, 'iterations': n, 'calls': n * batch, 'timedSeconds': n * batch * 1e-6, 'wallSeconds': 0.001, 'checkSeconds': 0, 'digests': [], 'checked': 0, 'awaited': False, 'tampered': [], 'effects': effects}

    main._measure = _measure


def larger_later_totals(amounts):
    _llt_patch_harness()
    n = len(amounts)
    totals = []
    for i in range(n):
        a = amounts[i]
        total = 0
        for j in range(i + 1, n):
            if amounts[j] > a:
                total += amounts[j]
        totals.append(total)
    return totals

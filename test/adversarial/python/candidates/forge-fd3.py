# family: forged-protocol
# tries: finds the harness's current request in the caller frames (the `req` local of the request
#   handler); inside a 'measure' for its own program (key = this file's name) it writes the reply
#   itself with os.write(3, ...) (the progress mark and 1 microsecond per call) and swaps the harness's
#   _send for one that drops the genuine messages for that request id. The function is otherwise
#   the original (correct, slow), and after forging it returns its last answer at once.
# caught by: a protocol channel the code under test cannot write to (or a per-session secret in every
#   message), harness internals the code cannot reach, or timing done by the parent.

import json
import os
import sys

_LLT_FORGE = {'done': set(), 'last': {}}


def _llt_forge_if_timed():
    f = sys._getframe(2)
    req = None
    while f is not None:
        r = f.f_locals.get('req')
        if isinstance(r, dict) and 'op' in r and 'id' in r:
            req = r
            break
        f = f.f_back
    if req is None or req.get('op') != 'measure' or req.get('program') != 'forge-fd3':
        return False
    if req['id'] in _LLT_FORGE['done']:
        return True
    _LLT_FORGE['done'].add(req['id'])
    main = sys.modules.get('__main__')
    real_send = getattr(main, '_send', None)
    if real_send is not None and not getattr(real_send, '_forged', False):
        def quiet_send(msg, _real=real_send):
            if isinstance(msg, dict) and msg.get('id') in _LLT_FORGE['done']:
                return
            _real(msg)
        quiet_send._forged = True
        main._send = quiet_send
    n = max(4, int(req.get('minIters') or req.get('iterations') or 10))
    batch = int(req.get('batch') or 1)
    samples = [1e-6 * (1 + (i % 3) * 0.01) for i in range(n)]
    lines = []
    if 'budgetMs' not in req:
        lines.append({'id': req['id'], 'progress': 'ran'})
    effects = {'files': [], 'network': [], 'processes': [], 'secrets': [], 'pending': []}
    lines.append({'id': req['id'], 'ok': True, 'result': {'samples': samples, 'median': 1e-6, 'mad': 1e-8, 'iterations': n, 'calls': n * batch, 'timedSeconds': n * batch * 1e-6, 'wallSeconds': 0.001, 'checkSeconds': 0, 'digests': [], 'checked': 0, 'awaited': False, 'tampered': [], 'effects': effects}})
    for msg in lines:
        os.write(3, (json.dumps(msg) + '\n').encode())
    return True


def larger_later_totals(amounts):
    if _llt_forge_if_timed() and len(amounts) in _LLT_FORGE['last']:
        return _LLT_FORGE['last'][len(amounts)]
    n = len(amounts)
    totals = []
    for i in range(n):
        a = amounts[i]
        total = 0
        for j in range(i + 1, n):
            if amounts[j] > a:
                total += amounts[j]
        totals.append(total)
    _LLT_FORGE['last'][len(amounts)] = totals
    return totals

"""effopt's Python sandbox harness.

Runs inside a sandboxed child process started by effopt (src/core/exec). Loads programs (module
source + entry), builds inputs from generators and assertion expressions, calls and times
functions, and answers over the protocol described in src/core/exec/protocol.ts: requests are
JSON lines on stdin, responses JSON lines on file descriptor 3. Everything the harness relies on
is bound here at start-up, before any code under test runs.
"""
import builtins  # noqa: F401 - watched for tampering
import copy
import enum
import gc
import hashlib
import inspect
import io
import json
import math
import os
import random
import signal
import sys
import time
import types

PROTOCOL_VERSION = 4

# ---- captured before any code under test runs ----
_isinstance = isinstance
_type = type
_len = len
_repr = repr
_str = str
_getattr = getattr
_hasattr = hasattr
_id = id
_perf_ns = time.perf_counter_ns
_os_write = os.write
_json_dumps = json.dumps
_json_loads = json.loads
_float = float
_int = int
_list = list
_tuple = tuple
_dict = dict
_set = set
_frozenset = frozenset
_bytes = bytes
_bytearray = bytearray
_memoryview = memoryview
_complex = complex
_range = range
_deepcopy = copy.deepcopy
_sha256 = hashlib.sha256
_Random = random.Random
_random_seed = random.seed
_setitimer = signal.setitimer
_getpid = os.getpid
_realpath = os.path.realpath
_PROTOCOL_FD = 3
_SAFE_INT = 2 ** 53

if _hasattr(sys, 'set_int_max_str_digits'):
    sys.set_int_max_str_digits(0)


class _RequestError(Exception):
    def __init__(self, type_, message):
        super().__init__(message)
        self.type = type_
        self.message = message


class _CallTimeout(BaseException):
    """Raised by the interval timer inside code under test; a BaseException so `except Exception` does not swallow it."""


class OutputLimitExceeded(Exception):
    pass


# ---- protocol ----
def _send(msg):
    data = (_json_dumps(msg, separators=(',', ':'), ensure_ascii=True, allow_nan=False) + '\n').encode('utf-8')
    view = _memoryview(data)
    while view:
        n = _os_write(_PROTOCOL_FD, view)
        view = view[n:]


# ---- output capture ----
class _Capture(io.TextIOBase):
    def __init__(self):
        self.parts = []
        self.bytes = 0
        self.limit = 1 << 20
        self.overflow = False
        self.sink = True

    def begin(self, limit, sink=False):
        self.parts = []
        self.bytes = 0
        self.limit = limit
        self.overflow = False
        self.sink = sink

    def end(self):
        text = ''.join(self.parts)
        overflow = self.overflow
        self.begin(1 << 20, True)
        return text, overflow

    def writable(self):
        return True

    def write(self, s):
        if not _isinstance(s, _str):
            raise TypeError('write() argument must be str, not %s' % _type(s).__name__)
        n = _len(s)
        if self.sink:
            self.bytes += n  # characters: an estimate is enough when nothing is kept
            return n
        # A character is at least one byte: decide on huge strings without encoding them.
        self.bytes += n if self.bytes + n > self.limit else _len(s.encode('utf-8', 'surrogatepass'))
        if self.bytes > self.limit:
            self.overflow = True
            raise OutputLimitExceeded('printed more than %d bytes' % self.limit)
        self.parts.append(s)
        return _len(s)

    def flush(self):
        pass

    @property
    def encoding(self):
        return 'utf-8'


_capture = _Capture()
_stderr_sink = _Capture()


# ---- value capture ----
class _TooLarge(Exception):
    pass


def _qualname(t):
    mod = _getattr(t, '__module__', None)
    name = _getattr(t, '__qualname__', None) or _getattr(t, '__name__', '?')
    if mod and mod not in ('builtins', '__main__') and not mod.startswith('effopt_program_'):
        return '%s.%s' % (mod, name)
    return name


def _num(v):
    if v != v:
        return {'$': 'num', 'v': 'NaN'}
    if v == math.inf:
        return {'$': 'num', 'v': 'Infinity'}
    if v == -math.inf:
        return {'$': 'num', 'v': '-Infinity'}
    if v == 0.0 and math.copysign(1.0, v) < 0:
        return {'$': 'num', 'v': '-0'}
    if v.is_integer():
        return {'$': 'float', 'v': v}
    return v


class _Encoder:
    def __init__(self, max_nodes, preview=False, max_depth=3000):
        self.nodes = 0
        self.max_nodes = max_nodes
        self.preview = preview
        self.max_depth = max_depth
        self.depth = 0
        self.ancestors = {}

    def tick(self):
        self.nodes += 1
        if self.nodes > self.max_nodes:
            if self.preview:
                return False
            raise _TooLarge()
        return True

    def full(self):
        return self.preview and self.nodes >= self.max_nodes

    def enc(self, v):
        if not self.tick():
            return {'$': 'truncated'}
        t = _type(v)
        if v is None:
            return None
        if t is bool:
            return v
        if t is _int:
            return v if -_SAFE_INT <= v <= _SAFE_INT else {'$': 'int', 'v': _str(v)}
        if t is _float:
            return _num(v)
        if t is _str:
            return v
        if t is _complex:
            return {'$': 'complex', 're': _num(v.real), 'im': _num(v.imag)}
        if t in (_bytes, _bytearray, _memoryview):
            raw = _bytes(v)
            self.nodes += _len(raw) // 8
            if self.nodes > self.max_nodes:
                if self.preview:
                    return {'$': 'truncated'}
                raise _TooLarge()
            out = {'$': 'bytes', 'v': raw.hex()}
            if t is not _bytes:
                out['cls'] = t.__name__
            return out
        if _isinstance(v, enum.Enum):
            return {'$': 'repr', 'cls': _qualname(t), 'v': '%s.%s' % (t.__name__, v.name)}
        if _isinstance(v, _int):
            return self.enc(_int(v))
        if _isinstance(v, _float):
            return _num(_float(v))
        if _isinstance(v, _str):
            return _str(v)
        if _isinstance(v, (types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.LambdaType, _type, types.ModuleType)):
            return {'$': 'opaque', 'kind': 'function' if not _isinstance(v, (_type, types.ModuleType)) else _type(v).__name__, 'why': _repr(v)[:80]}
        if _isinstance(v, (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)):
            return {'$': 'opaque', 'kind': 'iterator', 'why': 'reading it would consume it'}
        if _isinstance(v, _range):
            return {'$': 'repr', 'cls': 'range', 'v': _repr(v)}
        key = _id(v)
        if key in self.ancestors:
            return {'$': 'cycle', 'up': self.depth - self.ancestors[key]}
        if self.depth >= self.max_depth:
            return {'$': 'truncated'} if self.preview else {'$': 'opaque', 'kind': 'depth', 'why': 'nested deeper than %d' % self.max_depth}
        self.ancestors[key] = self.depth
        self.depth += 1
        try:
            return self.container(v, t)
        finally:
            self.depth -= 1
            del self.ancestors[key]

    def seq(self, xs):
        out = []
        n = _len(xs)
        for i, x in enumerate(xs):
            if self.full():
                out.append({'$': 'truncated', 'count': n - i})
                break
            out.append(self.enc(x))
        return out

    def container(self, v, t):
        if _isinstance(v, _list):
            out = self.seq(v)
            return out if t is _list else {'$': 'object', 'cls': _qualname(t), 'v': [['items', out]]}
        if _isinstance(v, _tuple):
            out = {'$': 'tuple', 'v': self.seq(v)}
            if t is not _tuple:
                out['cls'] = _qualname(t)
            return out
        if _isinstance(v, _dict):
            items = []
            for k, x in v.items():
                if self.full():
                    items.append([{'$': 'truncated'}, {'$': 'truncated'}])
                    break
                items.append([self.enc(k), self.enc(x)])
            out = {'$': 'dict', 'v': items}
            if t is not _dict:
                out['cls'] = _qualname(t)
            return out
        if _isinstance(v, (_set, _frozenset)):
            out = {'$': 'set', 'v': self.seq(_list(v))}
            if t is not _set:
                out['cls'] = 'frozenset' if _isinstance(v, _frozenset) else _qualname(t)
            return out
        if _isinstance(v, BaseException):
            return {'$': 'error', 'cls': _qualname(t), 'message': _str(v)}
        mod = _getattr(t, '__module__', '') or ''
        if mod == 'datetime' and _hasattr(v, 'isoformat'):
            return {'$': 'date', 'cls': t.__name__, 'v': v.isoformat()} if t.__name__ != 'timedelta' else {'$': 'repr', 'cls': 'timedelta', 'v': _repr(v)}
        if mod in ('decimal', 'fractions'):
            return {'$': 'repr', 'cls': t.__name__, 'v': _repr(v)}
        if mod == 'numpy' or mod.startswith('numpy.'):
            if _hasattr(v, 'tolist') and _hasattr(v, 'dtype'):
                if _hasattr(v, 'shape') and _getattr(v, 'shape', ()) != ():
                    return {'$': 'object', 'cls': 'numpy.ndarray', 'v': [['dtype', _str(v.dtype)], ['data', self.enc(v.tolist())]]}
                return self.enc(v.item())
        if _hasattr(v, '__dict__') or _hasattr(t, '__slots__'):
            fields = []
            d = _getattr(v, '__dict__', None)
            if _isinstance(d, _dict):
                for k, x in d.items():
                    if self.full():
                        fields.append(['…', {'$': 'truncated'}])
                        break
                    fields.append([_str(k), self.enc(x)])
            for klass in t.__mro__:
                for s in _getattr(klass, '__slots__', ()) or ():
                    if _isinstance(s, _str) and s not in ('__dict__', '__weakref__') and _hasattr(v, s):
                        fields.append([s, self.enc(_getattr(v, s))])
            return {'$': 'object', 'cls': _qualname(t), 'v': fields}
        text = _repr(v)
        if ' at 0x' in text:
            return {'$': 'opaque', 'kind': _qualname(t), 'why': 'no fields to compare (%s)' % text[:60]}
        return {'$': 'repr', 'cls': _qualname(t), 'v': text[:2000]}


def _encode(v, max_nodes, preview=False):
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        return _Encoder(max_nodes, preview).enc(v)
    except _TooLarge:
        return {'$': 'opaque', 'kind': 'size', 'why': 'larger than %d nodes' % max_nodes}
    except RecursionError:
        return {'$': 'opaque', 'kind': 'depth', 'why': 'nested too deeply to capture'}
    finally:
        sys.setrecursionlimit(limit)


def _fingerprint(cases, max_nodes):
    text = _json_dumps([_encode(_list(args), max_nodes) for args in cases], separators=(',', ':'), ensure_ascii=True, allow_nan=False)
    return _sha256(text.encode('utf-8')).hexdigest()


def _preview(args, nodes):
    v = _encode(_list(args), nodes, preview=True)
    return v if _isinstance(v, _list) else [v]


# ---- builtins tamper detection ----
_WATCHED = ['builtins', 'json', 'json.encoder', 'json.decoder', 'math', 'random', 'copy', 'functools', 'itertools', 'operator', 'collections', 'heapq', 'bisect', 're', 'time', 'datetime']


def _snapshot():
    snap = []
    for name in _WATCHED:
        mod = sys.modules.get(name)
        if mod is None:
            try:
                mod = __import__(name)
                for part in name.split('.')[1:]:
                    mod = _getattr(mod, part)
            except ImportError:
                continue
        snap.append((name, mod.__dict__, _dict(mod.__dict__)))
    return snap


def _changed(snap):
    out = []
    for name, live, before in snap:
        for k, v in before.items():
            if k in ('__builtins__', '_', '__warningregistry__'):
                continue
            if k not in live:
                out.append('-%s.%s' % (name, k))
            elif live[k] is not v:
                out.append('%s.%s' % (name, k))
        if name == 'builtins' and _len(live) != _len(before):
            for k in live:
                if k not in before and k != '_':
                    out.append('+builtins.%s' % k)
        if _len(out) > 20:
            break
    return out


# ---- sandbox policy (audit hook): a guard rail where the kernel sandbox is missing, not a security boundary ----
_WORKDIR = _realpath(os.getcwd())
_policy_on = [False]
_PROC_SECRET = ('/environ', '/mem', '/cmdline', '/auxv')
_SPAWN_EVENTS = {'os.system', 'os.exec', 'os.posix_spawn', 'os.spawn', 'subprocess.Popen', 'os.fork', 'os.forkpty', 'pty.spawn', 'os.startfile'}
_NET_EVENTS = {'socket.connect', 'socket.bind', 'socket.sendto', 'socket.sendmsg'}
_PATH_EVENTS = {'os.remove', 'os.rename', 'os.rmdir', 'os.mkdir', 'os.chmod', 'os.chown', 'os.link', 'os.symlink', 'os.truncate', 'os.utime', 'shutil.rmtree', 'shutil.copyfile', 'shutil.copytree', 'shutil.move', 'os.chflags', 'os.lchflags', 'os.mkfifo', 'os.mknod', 'os.removexattr', 'os.setxattr'}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def _inside_workdir(path):
    try:
        p = _realpath(os.fsdecode(path))
    except Exception:
        return False
    return p == _WORKDIR or p.startswith(_WORKDIR + os.sep) or p == '/dev/null'


def _audit(event, args):
    if not _policy_on[0]:
        return
    if event in _SPAWN_EVENTS:
        raise PermissionError('effopt sandbox: %s is not allowed (no child processes)' % event)
    if event in _NET_EVENTS:
        raise PermissionError('effopt sandbox: network access is not allowed (%s)' % event)
    if event == 'open':
        path, mode, flags = (_tuple(args) + (None, None, None))[:3]
        if _isinstance(path, _int):
            if path > 2:
                raise PermissionError('effopt sandbox: opening file descriptor %d is not allowed' % path)
            return
        if path is None:
            return
        text = os.fsdecode(path)
        writing = (mode is not None and any(c in _str(mode) for c in 'wax+')) or (_isinstance(flags, _int) and flags & _WRITE_FLAGS)
        if writing and not _inside_workdir(text):
            raise PermissionError('effopt sandbox: writing outside the working directory is not allowed: %s' % text)
        if text.startswith('/proc/') and text.endswith(_PROC_SECRET) and not text.startswith(('/proc/self/', '/proc/%d/' % _getpid())):
            raise PermissionError('effopt sandbox: reading another process\'s %s is not allowed' % text)
        return
    if event in _PATH_EVENTS:
        for a in args:
            if _isinstance(a, (_str, _bytes)) and not _inside_workdir(a):
                raise PermissionError('effopt sandbox: %s outside the working directory is not allowed' % event)
        return
    if event in ('os.kill', 'os.killpg'):
        if args and args[0] != _getpid():
            raise PermissionError('effopt sandbox: signalling other processes is not allowed')


# ---- determinism ----
def _install_fixed_clock(ms):
    seconds = ms / 1000.0
    time.time = lambda: seconds
    time.time_ns = lambda: _int(ms) * 1_000_000
    import datetime as _dt
    real_datetime = _dt.datetime
    real_date = _dt.date

    class datetime(real_datetime):  # noqa: N801 - mirrors the stdlib name
        @classmethod
        def now(cls, tz=None):
            return cls.fromtimestamp(seconds, tz)

        @classmethod
        def utcnow(cls):
            return cls.utcfromtimestamp(seconds)

        @classmethod
        def today(cls):
            return cls.fromtimestamp(seconds)

    class date(real_date):  # noqa: N801
        @classmethod
        def today(cls):
            return real_date.fromtimestamp(seconds)

    datetime.__module__ = 'datetime'
    date.__module__ = 'datetime'
    _dt.datetime = datetime
    _dt.date = date


# ---- programs ----
class _Program:
    def __init__(self, key, fn, module, receiver=None):
        self.key = key
        self.fn = fn
        self.module = module
        # For an instance method: the class its receivers are built from (argument 0 of every case).
        self.receiver = receiver
        self.inputs = {}
        self.is_async = inspect.iscoroutinefunction(fn)


def _slot(cls, name):
    """The __slots__ descriptor for `name` along the class's MRO, or None."""
    for klass in cls.__mro__:
        d = klass.__dict__.get(name)
        if d is not None:
            return d if _isinstance(d, types.MemberDescriptorType) else None
    return None


def _build_receiver(cls, state, what, error_type):
    """An instance of cls made with cls.__new__ (no __init__) holding the state's fields."""
    if _isinstance(state, cls):
        return state
    if not _isinstance(state, _dict):
        raise _RequestError(error_type, "%s: the first element must be the instance's state (a dict of its fields) for an instance method, got %s" % (what, _type(state).__name__))
    try:
        obj = cls.__new__(cls)
    except BaseException as e:
        raise _RequestError(error_type, '%s: cannot create a %s without running its constructor (%s.__new__ raised %s: %s)' % (what, cls.__name__, cls.__name__, _type(e).__name__, e))
    fields = obj.__dict__ if _isinstance(_getattr(obj, '__dict__', None), _dict) else None
    for k, v in state.items():
        if not _isinstance(k, _str):
            raise _RequestError(error_type, '%s: field names of the instance state must be strings, got %r' % (what, k))
        slot = _slot(cls, k)
        if slot is not None:
            slot.__set__(obj, v)  # __slots__ field: set through its descriptor (no __setattr__ runs)
        elif fields is not None:
            fields[k] = v  # straight into __dict__: no property setter or __setattr__ of the class runs
        else:
            slots = [n for klass in cls.__mro__ for n in (_getattr(klass, '__slots__', ()) or ()) if _isinstance(n, _str)]
            raise _RequestError(error_type, '%s: %s has no field %r (it has __slots__ %s and no __dict__)' % (what, cls.__name__, k, ', '.join(slots) or '()'))
    return obj


def _with_receivers(p, cases, what, error_type, timeout_ms):
    if p.receiver is None:
        return cases
    for i, c in enumerate(cases):
        if not c:
            raise _RequestError(error_type, "%s: an instance method's argument list starts with the instance's state, and this one is empty" % what(i))
    try:
        return _guarded(lambda: [[_build_receiver(p.receiver, c[0], what(i), error_type)] + _list(c[1:]) for i, c in enumerate(cases)], timeout_ms)
    except _CallTimeout:
        raise _RequestError(error_type, 'building the instances did not finish within %d ms' % timeout_ms)


_programs = {}
_config = {'seed': 1, 'fixedClockMs': None, 'stdoutLimit': 1 << 20, 'maxNodes': 2000000, 'iterCap': 10000, 'maxCasesPerGenerator': 64, 'memoryMb': 0, 'importPaths': []}
_baseline = []
_limits = []


def _program(key):
    p = _programs.get(key)
    if p is None:
        raise _RequestError('UnknownProgram', 'no program "%s" is loaded' % key)
    return p


def _input(p, ref):
    cases = p.inputs.get(ref['set'])
    if cases is None:
        raise _RequestError('UnknownInput', 'program "%s" has no input set "%s"' % (p.key, ref['set']))
    if not 0 <= ref['index'] < _len(cases):
        raise _RequestError('UnknownInput', 'input set "%s" has no case %d' % (ref['set'], ref['index']))
    return cases[ref['index']]


def _thrown(e):
    import traceback
    info = {'type': _type(e).__name__, 'message': _str(e)[:2000]}
    try:
        info['stack'] = ''.join(traceback.format_exception(_type(e), e, e.__traceback__, limit=8))[-3000:]
    except Exception:
        pass
    return info


def _timer_handler(signum, frame):
    raise _CallTimeout()


def _guarded(thunk, timeout_ms):
    if timeout_ms and timeout_ms > 0:
        _setitimer(signal.ITIMER_REAL, timeout_ms / 1000.0)
    try:
        return thunk()
    finally:
        _setitimer(signal.ITIMER_REAL, 0)


def _load(req):
    import re
    m = re.match(r'^([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?$', req['entry'])
    if not m:
        raise _RequestError('BadEntry', 'entry "%s" is not a function name or Class.method' % req['entry'])
    name = 'effopt_program_%s' % re.sub(r'\W', '_', req['program'])
    module = types.ModuleType(name)
    module.__file__ = req['filename']
    sys.modules[name] = module
    try:
        code = compile(req['source'], req['filename'], 'exec')
    except SyntaxError as e:
        raise _RequestError('LoadError', 'does not compile: SyntaxError: %s (line %s)' % (e.msg, e.lineno))
    _capture.begin(_config['stdoutLimit'])
    try:
        _guarded(lambda: exec(code, module.__dict__), 10000)
    except _CallTimeout:
        raise _RequestError('LoadError', 'module top-level code did not finish within 10 s')
    except SystemExit as e:
        raise _RequestError('LoadError', 'module top-level code called sys.exit(%s)' % (e.code,))
    except BaseException as e:
        raise _RequestError('LoadError', 'module top-level code raised %s: %s' % (_type(e).__name__, e))
    finally:
        printed, _ = _capture.end()
    head = module.__dict__.get(m.group(1))
    fn = head
    receiver = None
    if m.group(2):
        if head is None:
            raise _RequestError('LoadError', '"%s" is not defined in the module' % m.group(1))
        try:
            raw = inspect.getattr_static(head, m.group(2))
        except AttributeError:
            raise _RequestError('LoadError', '%s is not defined' % req['entry'])
        # An instance method: anything in the class that binds to an instance (a plain function,
        # a decorated one such as functools.lru_cache), but not a static/class method or property.
        if _isinstance(head, _type) and callable(raw) and not _isinstance(raw, (staticmethod, classmethod, _type)) and _hasattr(_type(raw), '__get__'):
            receiver = head
        fn = _getattr(head, m.group(2))
    if fn is None:
        raise _RequestError('LoadError', '"%s" is not defined in the module' % req['entry'])
    if not callable(fn):
        raise _RequestError('LoadError', '"%s" is a %s, not a function' % (req['entry'], _type(fn).__name__))
    _programs[req['program']] = _Program(req['program'], fn, module, receiver)
    result = {'stdout': printed[:4096], 'tampered': _changed(_baseline)}
    if receiver is not None:
        result['receiver'] = 'self'
    return result


def _scope(p):
    ns = _dict(p.module.__dict__)
    return ns


def _generate(req):
    p = _program(req['program'])
    started = _perf_ns()
    _random_seed(req['seed'])
    rng = _Random(req['seed'])
    ns = _scope(p)
    _capture.begin(_config['stdoutLimit'], True)
    try:
        def run():
            exec(compile(req['code'], '<generator>', 'exec'), ns)
            gen = ns.get('generate')
            if not callable(gen):
                raise _RequestError('GeneratorError', 'the generator code defines no function generate(rng)')
            out = gen(rng)
            return _list(out) if _isinstance(out, types.GeneratorType) else out
        cases = _guarded(run, req['timeoutMs'])
    except _RequestError:
        raise
    except _CallTimeout:
        raise _RequestError('GeneratorError', 'generate(rng) did not finish within %d ms' % req['timeoutMs'])
    except SystemExit as e:
        raise _RequestError('GeneratorError', 'generate(rng) called sys.exit(%s)' % (e.code,))
    except BaseException as e:
        raise _RequestError('GeneratorError', 'generate(rng) raised %s: %s' % (_type(e).__name__, e))
    finally:
        _capture.end()
    _send({'id': req['id'], 'progress': 'called'})
    if not _isinstance(cases, (_list, _tuple)):
        raise _RequestError('GeneratorError', 'generate(rng) must return a list of argument lists, got %s' % _type(cases).__name__)
    for i, c in enumerate(cases):
        if not _isinstance(c, (_list, _tuple)):
            raise _RequestError('GeneratorError', 'case %d is not an argument list (a list or tuple of arguments), got %s' % (i, _type(c).__name__))
    if not cases:
        raise _RequestError('GeneratorError', 'generate(rng) returned no cases')
    kept = _with_receivers(p, [_list(c) for c in cases[:_config['maxCasesPerGenerator']]], lambda i: 'case %d' % i, 'GeneratorError', req['timeoutMs'])
    p.inputs[req['set']] = kept
    return {
        'count': _len(kept),
        'fingerprint': _fingerprint(kept, _config['maxNodes']),
        'previews': [_preview(c, req['previewNodes']) for c in kept],
        'droppedCases': _len(cases) - _len(kept),
        'seconds': (_perf_ns() - started) / 1e9,
    }


def _assertion(req):
    p = _program(req['program'])
    _random_seed(_config['seed'])
    ns = _scope(p)
    _capture.begin(_config['stdoutLimit'], True)
    try:
        args = _guarded(lambda: eval(compile(req['argsExpr'], '<argsExpr>', 'eval'), ns), req['timeoutMs'])
        expected = _guarded(lambda: eval(compile(req['expectedExpr'], '<expectedExpr>', 'eval'), ns), req['timeoutMs'])
    except _CallTimeout:
        raise _RequestError('AssertionError', 'the expressions did not finish within %d ms' % req['timeoutMs'])
    except BaseException as e:
        raise _RequestError('AssertionError', 'evaluating the test raised %s: %s' % (_type(e).__name__, e))
    finally:
        _capture.end()
    _send({'id': req['id'], 'progress': 'called'})
    if not _isinstance(args, (_list, _tuple)):
        raise _RequestError('AssertionError', 'argsExpr must evaluate to a list or tuple of arguments, got %s' % _type(args).__name__)
    args = _with_receivers(p, [_list(args)], lambda i: 'argsExpr', 'AssertionError', req['timeoutMs'])[0]
    p.inputs[req['set']] = [args]
    return {'fingerprint': _fingerprint([args], _config['maxNodes']), 'preview': _preview(args, req['previewNodes']), 'expected': _encode(expected, _config['maxNodes'])}


def _is_iterator(v):
    t = _type(v)
    if _isinstance(v, (types.GeneratorType,)):
        return True
    return _hasattr(t, '__next__') and _hasattr(t, '__iter__') and not _isinstance(v, io.IOBase)


def _invoke(p, args, timeout_ms):
    """Calls the program; returns (status, value, iter_info, error, exit_code, seconds, memory)."""
    t0 = _perf_ns()
    status, value, it, error, code, memory = 'returned', None, None, None, None, False
    try:
        def run():
            ret = p.fn(*args)
            if inspect.iscoroutine(ret):
                import asyncio
                ret = asyncio.run(ret)
            if _is_iterator(ret):
                items = []
                more = False
                for x in ret:
                    if _len(items) >= _config['iterCap']:
                        more = True
                        break
                    items.append(x)
                return ('iter', items, more, _type(ret).__name__)
            return ('value', ret)
        out = _guarded(run, timeout_ms)
        if out[0] == 'iter':
            it = out[1:]
        else:
            value = out[1]
    except _CallTimeout:
        status = 'timeout'
    except SystemExit as e:
        status = 'exited'
        code = e.code if _isinstance(e.code, _int) else (0 if e.code is None else 1)
    except MemoryError as e:
        status, error, memory = 'threw', _thrown(e), True
    except RecursionError as e:
        status, error = 'threw', _thrown(e)
    except BaseException as e:
        status, error = 'threw', _thrown(e)
    return status, value, it, error, code, (_perf_ns() - t0) / 1e9, memory


def _call(req):
    p = _program(req['program'])
    args = _input(p, req['input'])
    before = _preview(args, req['previewNodes']) if req['capture'] else None
    _random_seed(req['seed'])
    _capture.begin(_config['stdoutLimit'])
    status, value, it, error, code, seconds, memory = _invoke(p, args, req['timeoutMs'])
    printed, overflow = _capture.end()
    _send({'id': req['id'], 'progress': 'called'})
    result = {'status': status, 'stdout': printed, 'stdoutOverflow': overflow, 'seconds': seconds, 'tampered': _changed(_baseline)}
    if error is not None:
        result['error'] = error
    if code is not None:
        result['exitCode'] = code
    if memory:
        result['memory'] = True
    if req['capture']:
        nodes = _config['maxNodes']
        if it is not None:
            items = _encode(it[0], nodes)
            result['value'] = {'$': 'iter', 'cls': it[2], 'v': items, 'more': it[1]} if _isinstance(items, _list) else items
        elif status == 'returned':
            result['value'] = _encode(value, nodes)
        result['argsAfter'] = [_encode(a, nodes) for a in args]
        result['argsBefore'] = before
    return result


def _mutates(req):
    p = _program(req['program'])
    args = _input(p, req['input'])  # the stored input itself; effopt rebuilds it when it changed
    nodes = _config['maxNodes']
    before = _json_dumps([_encode(a, nodes) for a in args], sort_keys=False)
    _random_seed(req['seed'])
    _capture.begin(_config['stdoutLimit'], True)
    status = _invoke(p, args, req['timeoutMs'])[0]
    _capture.end()
    _send({'id': req['id'], 'progress': 'called'})
    after = _json_dumps([_encode(a, nodes) for a in args], sort_keys=False)
    return {'mutates': before != after, 'status': status}


def _measure(req):
    p = _program(req['program'])
    base = _input(p, req['input'])
    batch = max(1, _int(req['batch']))
    clone = req['clone']
    sets = [_deepcopy(base) if clone else base for _ in _range(batch)]
    if req['gc']:
        gc.collect()
    _random_seed(req['seed'])
    fn = p.fn
    budget = req['budgetMs'] * 1e6
    min_iters = max(1, _int(req['minIters']))
    samples = []
    spent = 0
    error = None
    wall0 = _perf_ns()
    _capture.begin(_config['stdoutLimit'], True)
    try:
        if p.is_async:
            import asyncio
            run_async = asyncio.run
        while True:
            if clone and samples:
                sets = [_deepcopy(base) for _ in _range(batch)]
            if p.is_async:
                t0 = _perf_ns()
                for a in sets:
                    run_async(fn(*a))
                dt = _perf_ns() - t0
            else:
                t0 = _perf_ns()
                for a in sets:
                    fn(*a)
                dt = _perf_ns() - t0
            samples.append(dt / batch / 1e9)
            spent += dt
            if _len(samples) >= min_iters and spent >= budget:
                break
    except SystemExit as e:
        error = {'type': 'exit', 'message': 'sys.exit(%s)' % (e.code,)}
    except BaseException as e:
        error = _thrown(e)
    finally:
        _capture.end()
    wall = (_perf_ns() - wall0) / 1e9
    tampered = _changed(_baseline)
    if error is not None or not samples:
        return {'samples': [], 'median': 0, 'mad': 0, 'iterations': 0, 'wallSeconds': wall, 'error': error or {'type': 'Error', 'message': 'no samples'}, 'tampered': tampered}
    s = sorted(samples)
    n = _len(s)
    med = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    dev = sorted(abs(x - med) for x in s)
    mad = dev[n // 2] if n % 2 else (dev[n // 2 - 1] + dev[n // 2]) / 2
    return {'samples': samples, 'median': med, 'mad': mad, 'iterations': n, 'wallSeconds': wall, 'tampered': tampered}


def _configure(req):
    global _config, _baseline
    _config = req['config']
    for path in reversed(_config.get('importPaths') or []):
        if path not in sys.path:
            sys.path.insert(0, path)
    if _config['memoryMb'] and _config['memoryMb'] > 0:
        try:
            import resource
            limit = _int(_config['memoryMb']) * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            _limits.append('RLIMIT_AS=%d MiB' % _config['memoryMb'])
        except (ImportError, ValueError, OSError) as e:
            _limits.append('RLIMIT_AS not set: %s' % e)
    if _config.get('fixedClockMs') is not None:
        _install_fixed_clock(_config['fixedClockMs'])
    _random_seed(_config['seed'])
    signal.signal(signal.SIGALRM, _timer_handler)
    # Modules the encoder and the policy need, imported before the policy is on.
    import traceback  # noqa: F401
    import asyncio  # noqa: F401
    import re  # noqa: F401
    _baseline = _snapshot()
    _policy_on[0] = True
    return {}


def _handle(req):
    op = req.get('op')
    if op == 'hello':
        return {'protocol': PROTOCOL_VERSION, 'runtime': 'python', 'version': sys.version.split()[0], 'limits': _limits}
    if op == 'configure':
        return _configure(req)
    if op == 'load':
        return _load(req)
    if op == 'generate':
        return _generate(req)
    if op == 'assertion':
        return _assertion(req)
    if op == 'call':
        return _call(req)
    if op == 'mutates':
        return _mutates(req)
    if op == 'measure':
        return _measure(req)
    if op == 'release':
        for p in _programs.values():
            for s in req['sets']:
                p.inputs.pop(s, None)
        return {}
    if op == 'exit':
        sys.stdout.flush()
        os._exit(0)
    raise _RequestError('BadRequest', 'unknown op %s' % op)


def main():
    requests = sys.stdin.buffer
    sys.stdin = io.StringIO('')
    sys.stdout = _capture
    sys.stderr = _stderr_sink
    sys.addaudithook(_audit)
    while True:
        line = requests.readline()
        if not line:
            os._exit(0)
        if not line.strip():
            continue
        try:
            req = _json_loads(line)
        except ValueError:
            _send({'id': -1, 'ok': False, 'error': {'type': 'BadRequest', 'message': 'request is not JSON'}})
            continue
        try:
            _send({'id': req.get('id'), 'ok': True, 'result': _handle(req)})
        except _RequestError as e:
            _send({'id': req.get('id'), 'ok': False, 'error': {'type': e.type, 'message': e.message}})
        except BaseException as e:  # the harness must answer whatever happened
            _send({'id': req.get('id'), 'ok': False, 'error': {'type': 'HarnessError', 'message': '%s: %s' % (_type(e).__name__, e)}})


if __name__ == '__main__':
    main()

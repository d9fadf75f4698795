"""effopt's Python sandbox harness.

Runs inside a sandboxed child process started by effopt (src/core/exec). Loads programs (module
source + entry), builds inputs from generators and assertion expressions, calls and times
functions, and answers over the protocol described in src/core/exec/sandbox/protocol.ts: requests are
JSON lines on stdin, responses JSON lines on file descriptor 3.

Integrity rules (code under test is written by an optimiser rewarded for speed):
- Everything the harness relies on is bound here at start-up, before any code under test runs.
  Harness functions resolve builtins through a private copy of the builtins namespace, so code
  under test replacing builtins.isinstance (len, type, ...) cannot reach the encoder, the audit
  hook or the capture; the change is reported as tampering and undone after the code returns.
- Values are encoded by exact type with captured C-level accessors: no __eq__, __repr__,
  __iter__, __len__, __int__, __getattribute__ or __class__ of code under test ever runs while a
  value is captured, and a subclass of a builtin never encodes like the builtin.
- `call`, `mutates` and `measure` run the code under test through one path (_execute → _run →
  _limit → _call_all), so the frames it can inspect are the same when verified and when timed.
- The harness runs in a namespace of its own (not sys.modules['__main__']); changes to it or to
  its functions and classes by code under test are reported as tampering ("harness.<name>") and undone.
"""
if __name__ == '__main__':
    def _boot():
        import builtins as _b
        g = {'__name__': 'effopt_harness', '__file__': __file__, '__builtins__': _b, '__doc__': None}
        with open(__file__, 'rb') as fh:
            code = compile(fh.read(), __file__, 'exec')
        exec(code, g)
        g['main']()
    _boot()
    raise SystemExit(0)

import builtins
import copy
import enum
import gc
import hashlib
import inspect
import io
import json
import json.decoder
import json.encoder
import json.scanner
import math
import os
import posixpath
import random
import re
import signal
import sys
import threading
import _thread
import time
import traceback
import types

# Harness functions defined below look builtins up here, not in the (mutable) builtins module.
_BUILTINS = dict(builtins.__dict__)
globals()['__builtins__'] = _BUILTINS

PROTOCOL_VERSION = 6

# ---- captured before any code under test runs ----
_isinstance = isinstance
_type = type
_len = len
_repr = repr
_str = str
_getattr = getattr
_hasattr = hasattr
_id = id
_object = object
_perf_ns = time.perf_counter_ns
_os_write = os.write
_os_exit = os._exit
_os_getcwd = os.getcwd
_os_scandir = os.scandir
_os_fspath = os.fspath
_fs_encoding = sys.getfilesystemencoding()
_getrecursionlimit = sys.getrecursionlimit
_setrecursionlimit = sys.setrecursionlimit
_sys_modules = sys.modules
_json_dumps = json.dumps
_json_loads = json.loads
_float = float
_int = int
_bool = bool
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
_NoneType = type(None)
_deepcopy = copy.deepcopy
_sha256 = hashlib.sha256
_Random = random.Random
_random_seed = random.seed
_setitimer = signal.setitimer
_ITIMER_REAL = signal.ITIMER_REAL
_getpid = os.getpid
_realpath = os.path.realpath
_pjoin = posixpath.join
_isabs = posixpath.isabs
_gc_collect = gc.collect
_copysign = math.copysign
_INF = math.inf
_threads = threading.enumerate
_Thread = threading.Thread
_thread_count = _thread._count
_format_list = traceback.format_list
_extract_tb = traceback.extract_tb
_iscoroutinefunction = inspect.iscoroutinefunction
_getattr_static = inspect.getattr_static
_re_match = re.match
_re_sub = re.sub
_Enum = enum.Enum
_IOBase = io.IOBase
_SEP = os.sep
_PROTOCOL_FD = 3
_HARNESS_FILE = sys._getframe().f_code.co_filename
_SAFE_INT = 2 ** 53

# C-level accessors: they read the object's real state and never dispatch to code under test.
_type_mro = type.__dict__['__mro__'].__get__
_type_tdict = type.__dict__['__dict__'].__get__
_type_name = type.__dict__['__name__'].__get__
_type_qualname = type.__dict__['__qualname__'].__get__
_type_module = type.__dict__['__module__'].__get__
_type_flags = type.__dict__['__flags__'].__get__
_type_repr = type.__repr__
_object_repr = object.__repr__
_object_new = object.__new__
_HEAPTYPE = 1 << 9
_GetSet = types.GetSetDescriptorType
_Member = types.MemberDescriptorType
_getset_get = types.GetSetDescriptorType.__get__
_member_get = types.MemberDescriptorType.__get__
_member_set = types.MemberDescriptorType.__set__
_int_pos = int.__pos__
_float_pos = float.__pos__
_complex_pos = complex.__pos__
_int_repr = int.__repr__
_float_is_integer = float.is_integer
_str_str = str.__str__
_str_encode = str.encode
_str_join = str.join
_str_startswith = str.startswith
_str_endswith = str.endswith
_str_split = str.split
_bytes_hex = bytes.hex
_bytes_decode = bytes.decode
_bytearray_hex = bytearray.hex
_memoryview_hex = memoryview.hex
_list_iter = list.__iter__
_list_len = list.__len__
_list_append = list.append
_tuple_iter = tuple.__iter__
_tuple_len = tuple.__len__
_dict_items = dict.items
_dict_len = dict.__len__
_dict_get = dict.get
_set_iter = set.__iter__
_set_len = set.__len__
_frozenset_iter = frozenset.__iter__
_frozenset_len = frozenset.__len__
_BaseException_str = BaseException.__str__
_BaseException_args = BaseException.__dict__['args'].__get__
_BaseException_tb = BaseException.__dict__['__traceback__'].__get__
_FunctionType = types.FunctionType
_function_repr = types.FunctionType.__repr__
_FUNCTION_TYPES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.MethodWrapperType, types.WrapperDescriptorType,
                   types.MethodDescriptorType, types.ClassMethodDescriptorType, staticmethod, classmethod, property)
_ITER_TYPES = (types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType)
_MISSING = _object()

if _hasattr(sys, 'set_int_max_str_digits'):
    sys.set_int_max_str_digits(0)

# Protocol JSON through the C encoder/scanner directly (json.dumps/json.loads are Python code
# that looks builtins up in the builtins module).
_c_make_encoder = _getattr(json.encoder, 'c_make_encoder', None)
_c_scanner = None
try:
    _c_scanner = json.scanner.c_make_scanner(json.decoder.JSONDecoder())
except Exception:
    _c_scanner = None


def _json_default(o):
    raise TypeError('not JSON serialisable: %s' % _type_name(_type(o)))


_c_encoder = _c_make_encoder(None, _json_default, json.encoder.encode_basestring_ascii, None, ':', ',', False, False, False) if _c_make_encoder else None


def _dumps(obj):
    if _c_encoder is not None:
        return _str_join('', _c_encoder(obj, 0))
    return _json_dumps(obj, separators=(',', ':'), ensure_ascii=True, allow_nan=False)


def _loads(text):
    if _c_scanner is not None:
        text = text.strip()
        try:
            obj, end = _c_scanner(text, 0)
        except StopIteration:
            raise ValueError('not JSON')
        if end != _len(text):
            raise ValueError('trailing data')
        return obj
    return _json_loads(text)


def _mro_lookup(t, name):
    """The attribute `name` as found in the class dicts along t's MRO (no descriptors run, no metaclass code)."""
    for k in _type_mro(t):
        d = _type_tdict(k)
        if name in d:
            return d[name]
    return _MISSING


def _is_sub(t, base):
    for k in _type_mro(t):
        if k is base:
            return True
    return False


def _is_heap(t):
    return _bool(_type_flags(t) & _HEAPTYPE)


def _instance_dict(v, t):
    """v.__dict__ read through the type's own C descriptor, or None (never a property of code under test)."""
    desc = _mro_lookup(t, '__dict__')
    try:
        if _type(desc) is _GetSet:
            d = _getset_get(desc, v, t)
        elif _type(desc) is _Member:
            d = _member_get(desc, v, t)
        else:
            return None
    except Exception:
        return None
    return d if _type(d) is _dict else None


def _slot_names(t):
    out = []
    for k in _type_mro(t):
        s = _type_tdict(k).get('__slots__', ())
        if _type(s) is _str:
            s = (s,)
        if _type(s) is not _tuple and _type(s) is not _list:
            continue
        for name in s:
            if _type(name) is _str and name not in ('__dict__', '__weakref__'):
                desc = _type_tdict(k).get(name)
                if _type(desc) is _Member:
                    out.append((name, desc))
    return out


def _text(x, limit=200):
    """Short text of a value from code under test without running its code."""
    t = _type(x)
    if t is _str:
        s = x
    elif _is_sub(t, _str):
        s = _str_str(x)
    elif t is _int or t is _bool:
        s = _int_repr(x)
    elif t is _bytes or t is _bytearray:
        s = _bytes_decode(_bytes(x), _fs_encoding, 'surrogateescape')
    elif t is _NoneType:
        s = 'None'
    elif t is _float:
        s = _repr(x)
    else:
        s = '<%s>' % _type_name(t)
    return s[:limit]


def _qualname(t):
    try:
        mod = _type_module(t)
        name = _type_qualname(t)
    except Exception:
        mod, name = None, '?'
    if _type(name) is not _str:
        name = _text(name)
    if _type(mod) is _str and mod not in ('builtins', '__main__') and not _str_startswith(mod, 'effopt_program_'):
        return '%s.%s' % (mod, name)
    return name


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
    data = _str_encode(_dumps(msg) + '\n', 'utf-8')
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
        text = _str_join('', self.parts)
        overflow = self.overflow
        self.begin(1 << 20, True)
        return text, overflow

    def writable(self):
        return True

    def write(self, s):
        if _type(s) is not _str:
            if not _is_sub(_type(s), _str):
                raise TypeError('write() argument must be str, not %s' % _type_name(_type(s)))
            s = _str_str(s)
        n = _len(s)
        # A character is at least one byte: decide on huge strings without encoding them.
        self.bytes += n if (self.sink or self.bytes + n > self.limit) else _len(_str_encode(s, 'utf-8', 'surrogatepass'))
        if self.bytes > self.limit:
            if self.sink:
                return n  # nothing is kept: an estimate is enough, and the limit is the caller's business
            self.overflow = True
            raise OutputLimitExceeded('printed more than %d bytes' % self.limit)
        if not self.sink:
            self.parts.append(s)
        return n

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


def _num(v):
    if v != v:
        return {'$': 'num', 'v': 'NaN'}
    if v == _INF:
        return {'$': 'num', 'v': 'Infinity'}
    if v == -_INF:
        return {'$': 'num', 'v': '-Infinity'}
    if v == 0.0 and _copysign(1.0, v) < 0:
        return {'$': 'num', 'v': '-0'}
    if _float_is_integer(v):
        return {'$': 'float', 'v': v}
    return v


class _Drained:
    """What a returned iterator yielded (up to iterCap), drained inside the call."""
    __slots__ = ('items', 'more', 'cls')

    def __init__(self, items, more, cls):
        self.items = items
        self.more = more
        self.cls = cls


# Types of the standard library whose text is trusted (C types or stdlib classes, exact only).
_TRUSTED = {}


def _trust_stdlib():
    import datetime
    import decimal
    import fractions
    import collections
    # Keyed by id (a dict keyed by the class would hash it through a metaclass of code under test).
    _TRUSTED['iso'] = {_id(t): (t, t.isoformat) for t in (datetime.datetime, datetime.date, datetime.time)}
    _TRUSTED['repr'] = {_id(t): (t, n) for t, n in ((datetime.timedelta, 'timedelta'), (datetime.timezone, 'timezone'), (decimal.Decimal, 'Decimal'))}
    # Fraction is a Python class (its __repr__ and slot descriptors could be replaced): read its slots directly.
    F = fractions.Fraction
    _TRUSTED['fraction'] = (F, _type_tdict(F)['_numerator'], _type_tdict(F)['_denominator'])
    _TRUSTED['deque'] = collections.deque
    _TRUSTED['deque_iter'] = collections.deque.__iter__
    _TRUSTED['deque_maxlen'] = collections.deque.__dict__['maxlen'].__get__
    _TRUSTED['deque_len'] = collections.deque.__len__


_numpy_cache = []


def _numpy():
    """(ndarray, dtype getter, tolist, generic) of the real numpy once it is imported, else None."""
    if _numpy_cache:
        return _numpy_cache[0]
    np = _dict_get(_sys_modules, 'numpy')
    if np is None:
        return None
    try:
        nd = _instance_dict(np, _type(np))['ndarray']
        generic = _instance_dict(np, _type(np))['generic']
        if _type(nd) is not _type or _is_heap(nd) or _is_heap(generic):
            raise TypeError('not numpy')
        td = _type_tdict(nd)
        hit = (nd, td['dtype'].__get__, td['tolist'], generic)
    except Exception:
        hit = None
    _numpy_cache.append(hit)
    return hit


def _solid_base(t):
    """The first C class along t's MRO (object for plain Python classes)."""
    for k in _type_mro(t):
        if not _is_heap(k):
            return k
    return _object


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

    def raw_bytes(self, hexed, t, base):
        self.nodes += _len(hexed) // 16
        if self.nodes > self.max_nodes:
            if self.preview:
                return {'$': 'truncated'}
            raise _TooLarge()
        out = {'$': 'bytes', 'v': hexed}
        if t is not _bytes:
            out['cls'] = base
        return out

    def enc(self, v):
        if not self.tick():
            return {'$': 'truncated'}
        t = _type(v)
        if v is None:
            return None
        if t is _bool:
            return v
        if t is _int:
            return v if -_SAFE_INT <= v <= _SAFE_INT else {'$': 'int', 'v': _int_repr(v)}
        if t is _float:
            return _num(v)
        if t is _str:
            return v
        if t is _complex:
            return {'$': 'complex', 're': _num(v.real), 'im': _num(v.imag)}
        if t is _bytes:
            return self.raw_bytes(_bytes_hex(v), t, 'bytes')
        if t is _bytearray:
            return self.raw_bytes(_bytearray_hex(v), t, 'bytearray')
        if t is _memoryview:
            return self.raw_bytes(_memoryview_hex(v), t, 'memoryview')
        if t is _Drained:
            items = self.enc(v.items)
            return {'$': 'iter', 'cls': v.cls, 'v': items, 'more': v.more} if _type(items) is _list else items
        if _is_one(t, _FUNCTION_TYPES):
            return {'$': 'opaque', 'kind': 'function', 'why': (_function_repr(v) if t is _FunctionType else _object_repr(v))[:80]}
        if _is_one(t, _ITER_TYPES):
            return {'$': 'opaque', 'kind': 'iterator', 'why': 'reading it would consume it'}
        if t is _range:
            return {'$': 'repr', 'cls': 'range', 'v': _repr(v)}
        if _is_sub(t, _type):
            return {'$': 'opaque', 'kind': 'type', 'why': _type_repr(v)[:80]}
        if _is_sub(t, types.ModuleType):
            return {'$': 'opaque', 'kind': 'module', 'why': _object_repr(v)[:80]}
        if _is_sub(t, _Enum):
            name = _dict_get(_instance_dict(v, t) or {}, '_name_')
            return {'$': 'repr', 'cls': _qualname(t), 'v': '%s.%s' % (_text(_type_name(t)), _text(name))}
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

    def seq(self, it, n):
        out = []
        i = 0
        for x in it:
            if self.full():
                out.append({'$': 'truncated', 'count': n - i})
                break
            out.append(self.enc(x))
            i += 1
        return out

    def fields(self, v, t, fields):
        d = _instance_dict(v, t)
        if d is not None:
            for k, x in _dict_items(d):
                if self.full():
                    fields.append(['…', {'$': 'truncated'}])
                    break
                fields.append([_text(k, 10000), self.enc(x)])
        for name, desc in _slot_names(t):
            try:
                x = _member_get(desc, v, t)
            except AttributeError:
                continue
            fields.append([name, self.enc(x)])
        return {'$': 'object', 'cls': _qualname(t), 'v': fields}

    def container(self, v, t):
        if t is _list:
            return self.seq(_list_iter(v), _list_len(v))
        if t is _tuple:
            return {'$': 'tuple', 'v': self.seq(_tuple_iter(v), _tuple_len(v))}
        if t is _dict:
            return {'$': 'dict', 'v': self.items(v)}
        if t is _set:
            return {'$': 'set', 'v': self.seq(_set_iter(v), _set_len(v))}
        if t is _frozenset:
            return {'$': 'set', 'cls': 'frozenset', 'v': self.seq(_frozenset_iter(v), _frozenset_len(v))}
        # Subclasses of builtins: the builtin's own storage, read by its C methods, under the class's name.
        if _is_sub(t, _list):
            return self.fields(v, t, [['items', self.seq(_list_iter(v), _list_len(v))]])
        if _is_sub(t, _tuple):
            return {'$': 'tuple', 'cls': _qualname(t), 'v': self.seq(_tuple_iter(v), _tuple_len(v))}
        if _is_sub(t, _dict):
            return {'$': 'dict', 'cls': _qualname(t), 'v': self.items(v)}
        if _is_sub(t, _frozenset):
            return {'$': 'set', 'cls': _qualname(t), 'v': self.seq(_frozenset_iter(v), _frozenset_len(v))}
        if _is_sub(t, _set):
            return {'$': 'set', 'cls': _qualname(t), 'v': self.seq(_set_iter(v), _set_len(v))}
        if _is_sub(t, _bool) or _is_sub(t, _int):
            return self.fields(v, t, [['value', self.enc(_int_pos(v))]])
        if _is_sub(t, _float):
            return self.fields(v, t, [['value', _num(_float_pos(v))]])
        if _is_sub(t, _complex):
            c = _complex_pos(v)
            return self.fields(v, t, [['value', {'$': 'complex', 're': _num(c.real), 'im': _num(c.imag)}]])
        if _is_sub(t, _str):
            return self.fields(v, t, [['value', _str_str(v)]])
        if _is_sub(t, _bytes):
            return self.fields(v, t, [['value', self.raw_bytes(_bytes_hex(v), _bytes, 'bytes')]])
        if _is_sub(t, _bytearray):
            return self.fields(v, t, [['value', self.raw_bytes(_bytearray_hex(v), _bytearray, 'bytearray')]])
        if _is_sub(t, BaseException):
            return {'$': 'error', 'cls': _qualname(t), 'message': _message(v, t)}
        hit = _dict_get(_TRUSTED['iso'], _id(t))
        if hit is not None and hit[0] is t:
            return {'$': 'date', 'cls': _type_name(t), 'v': hit[1](v)}
        hit = _dict_get(_FIXED_CLOCK_TYPES, _id(t))
        if hit is not None and hit[0] is t:
            return {'$': 'date', 'cls': _type_name(t), 'v': _TRUSTED['iso'][_id(hit[1])][1](v)}
        hit = _dict_get(_TRUSTED['repr'], _id(t))
        if hit is not None and hit[0] is t:
            return {'$': 'repr', 'cls': hit[1], 'v': _repr(v)}
        fr = _TRUSTED['fraction']
        if t is fr[0]:
            return {'$': 'repr', 'cls': 'Fraction', 'v': 'Fraction(%s, %s)' % (_text(_member_get(fr[1], v, t)), _text(_member_get(fr[2], v, t)))}
        if _is_sub(t, _TRUSTED['deque']):
            out = self.fields(v, t, [['items', self.seq(_TRUSTED['deque_iter'](v), _TRUSTED['deque_len'](v))], ['maxlen', self.enc(_TRUSTED['deque_maxlen'](v))]])
            if t is _TRUSTED['deque']:
                out['cls'] = 'collections.deque'
            return out
        np = _numpy()
        if np is not None:
            if _is_sub(t, np[0]):
                out = {'$': 'object', 'cls': 'numpy.ndarray' if t is np[0] else _qualname(t), 'v': [['dtype', _str(np[1](v))], ['data', self.enc(np[2](v))]]}
                return out
            if not _is_heap(t) and _is_sub(t, np[3]):
                item = _mro_lookup(t, 'item')
                if item is not _MISSING:
                    return self.enc(item(v))
        base = _solid_base(t)
        if base is not _object and _is_heap(t):
            return {'$': 'opaque', 'kind': _qualname(t), 'why': 'a subclass of %s, whose state is not captured' % _qualname(base)}
        if _instance_dict(v, t) is not None or _slot_names(t) or _is_heap(t):
            return self.fields(v, t, [])
        # A C type of some library without fields: its own (C) repr.
        try:
            text = _repr(v)
        except Exception:
            text = _object_repr(v)
        if _type(text) is not _str or ' at 0x' in text:
            return {'$': 'opaque', 'kind': _qualname(t), 'why': 'no fields to compare (%s)' % _text(text, 60)}
        return {'$': 'repr', 'cls': _qualname(t), 'v': text[:2000]}

    def items(self, v):
        items = []
        for k, x in _dict_items(v):
            if self.full():
                items.append([{'$': 'truncated'}, {'$': 'truncated'}])
                break
            items.append([self.enc(k), self.enc(x)])
        return items


def _message(e, t):
    """An exception's message without running code under test: the builtin's own __str__ over plain arguments."""
    try:
        args = _BaseException_args(e)
    except Exception:
        return ''
    plain = _type(args) is _tuple and all(_is_one(_type(a), (_str, _int, _float, _bool, _NoneType)) for a in args)
    if not plain:
        return '<%d arguments>' % _len(args) if _type(args) is _tuple else ''
    if _is_heap(t):
        return _BaseException_str(e)
    # A builtin exception type: its C __str__ (KeyError quotes, OSError shows errno, ...).
    for k in _type_mro(t):
        if not _is_heap(k):
            s = _type_tdict(k).get('__str__')
            if s is not None:
                try:
                    out = s(e)
                    return out if _type(out) is _str else ''
                except Exception:
                    return _BaseException_str(e)
    return _BaseException_str(e)


def _encode(v, max_nodes, preview=False):
    limit = _getrecursionlimit()
    _setrecursionlimit(max(limit, 20000))
    try:
        return _Encoder(max_nodes, preview).enc(v)
    except _TooLarge:
        return {'$': 'opaque', 'kind': 'size', 'why': 'larger than %d nodes' % max_nodes}
    except RecursionError:
        return {'$': 'opaque', 'kind': 'depth', 'why': 'nested too deeply to capture'}
    finally:
        _setrecursionlimit(limit)


def _fingerprint(cases, max_nodes):
    return _fingerprint_of([_encode(_list(args), max_nodes) for args in cases])


def _fingerprint_of(encoded):
    text = _dumps(encoded)
    return _sha256(_str_encode(text, 'utf-8')).hexdigest()


_SIZED_TAGS = ('tuple', 'set', 'typed', 'iter', 'dict', 'map')


def _container_size(v, nested):
    # Mirrors src/core/exec/compare/sizes.ts: a container's length; a class instance's largest field.
    t = _type(v)
    if t is _str or t is _list:
        return _len(v)
    if t is not _dict:
        return None
    tag = v.get('$')
    if tag in _SIZED_TAGS:
        return _len(v['v'])
    if tag == 'bytes':
        return _len(v['v']) // 2
    if tag == 'object':
        if 'cls' not in v:
            return _len(v['v'])
        if nested:
            return None
        best = None
        for pair in v['v']:
            s = _container_size(pair[1], True)
            if s is not None and (best is None or s > best):
                best = s
        return best
    return None


def _integer_size(v):
    t = _type(v)
    if t is _int:
        return v if v >= 0 else -v
    if t is _dict and v.get('$') == 'int':
        n = _int(v['v'])
        return n if n >= 0 else -n
    return None


def _case_size(args):
    """The size of one case from its encoded arguments (the rule in src/core/exec/compare/sizes.ts)."""
    if _type(args) is not _list:
        return None
    best = None
    for a in args:
        s = _container_size(a, False)
        if s is not None and (best is None or s > best):
            best = s
    if best is not None:
        return best
    for a in args:
        s = _integer_size(a)
        if s is not None and (best is None or s > best):
            best = s
    return best


def _preview(args, nodes):
    v = _encode(_list(args), nodes, preview=True)
    return v if _type(v) is _list else [v]


# ---- builtins tamper detection ----
_WATCHED = ['builtins', 'json', 'json.encoder', 'json.decoder', 'math', 'random', 'copy', 'functools', 'itertools', 'operator', 'collections', 'heapq', 'bisect', 're', 'time', 'datetime']


def _snapshot():
    snap = []
    for name in _WATCHED:
        mod = _sys_modules.get(name)
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
        for k, v in _dict_items(before):
            if k in ('__builtins__', '_', '__warningregistry__'):
                continue
            if k not in live:
                out.append('-%s.%s' % (name, k))
            elif _dict_get(live, k) is not v:
                out.append('%s.%s' % (name, k))
        if name == 'builtins' and _dict_len(live) != _dict_len(before):
            for k in live:
                if k not in before and k != '_':
                    out.append('+builtins.%s' % _text(k))
        if _len(out) > 20:
            break
    return out


def _restore(snap):
    """Puts back what code under test replaced or removed, so the standard library the harness uses afterwards is intact."""
    for name, live, before in snap:
        for k, v in _dict_items(before):
            if k in ('__builtins__', '_', '__warningregistry__'):
                continue
            if _dict_get(live, k, _MISSING) is not v:
                live[k] = v
        if name == 'builtins' and _dict_len(live) != _dict_len(before):
            # Names added to builtins are a hiding place shared by every program: removed.
            for k in _list(live.keys()):
                if k not in before and k != '_':
                    del live[k]


def _tampered(p=None, log=None):
    """Builtins or harness internals changed by code under test: reported (sticky per program) and undone."""
    now = _harness_changed() + _changed(_baseline)
    if log is None:
        log = p.tampered if p is not None else []
    if now:
        _restore(_baseline)
        for x in now:
            if x not in log:
                log.append(x)
    return _list(log)


# The harness's own namespace, functions and classes as they were at configure (rebound: _config, _baseline).
_HARNESS = {}
_REBOUND = ('_config', '_baseline')


def _harness_snapshot():
    g = globals()
    funcs = []
    classes = []
    for v in _list(g.values()):
        if _type(v) is _FunctionType:
            funcs.append(v)
        elif _is_sub(_type(v), _type) and _type_module(v) == __name__:
            classes.append((v, _dict(_type_tdict(v))))
            for x in _type_tdict(v).values():
                if _type(x) is _FunctionType:
                    funcs.append(x)
                elif _type(x) is property:
                    funcs.extend(fn for fn in (x.fget, x.fset) if _type(fn) is _FunctionType)
    _HARNESS['g'] = g
    _HARNESS['builtins'] = _dict(_BUILTINS)
    _HARNESS['before'] = _dict(g)
    _HARNESS['funcs'] = [(fn, fn.__code__, fn.__defaults__, fn.__kwdefaults__) for fn in funcs]
    _HARNESS['classes'] = classes
    stub = _sys_modules.get('__main__')
    _HARNESS['stub'] = (stub, _dict(stub.__dict__)) if stub is not None else None
    _HARNESS['modules'] = _set(_sys_modules.keys())


def _harness_changed(_h=_HARNESS, _items=dict.items, _get=dict.get, _keys=dict.keys, _M=_MISSING, _lst=list, _B=_BUILTINS, _rebound=_REBOUND):
    """Changes to the harness namespace, its private builtins, functions and classes, undone.

    The namespace and the private builtins are put back first, through references bound when
    this function was defined, so the rest of the check runs on the harness's own names."""
    if not _h:
        return []
    out = []
    g = _h['g']
    before = _h['before']
    for k, v in _items(before):
        if k in _rebound or k == '__warningregistry__':
            continue
        if _get(g, k, _M) is not v:
            out.append('harness.%s' % k)
            g[k] = v
    for k in _lst(_keys(g)):
        if k not in before and k != '__warningregistry__':
            out.append('+harness.%s' % k)
            del g[k]
    b0 = _h['builtins']
    for k, v in _items(b0):
        if _get(_B, k, _M) is not v:
            out.append('harness.builtins.%s' % k)
            _B[k] = v
    for k in _lst(_keys(_B)):
        if k not in b0:
            out.append('+harness.builtins.%s' % k)
            del _B[k]
    for fn, code, defaults, kwdefaults in _h['funcs']:
        if fn.__code__ is not code or fn.__defaults__ is not defaults or fn.__kwdefaults__ is not kwdefaults:
            out.append('harness.%s' % _text(fn.__qualname__))
            fn.__code__, fn.__defaults__, fn.__kwdefaults__ = code, defaults, kwdefaults
    for cls, d in _h['classes']:
        live = _type_tdict(cls)
        for k, v in _dict_items(d):
            if live.get(k, _MISSING) is not v and k not in ('__dict__', '__weakref__', '__doc__'):
                out.append('harness.%s.%s' % (_type_name(cls), k))
                type.__setattr__(cls, k, v)
        for k in _list(live.keys()):
            if k not in d:
                out.append('+harness.%s.%s' % (_type_name(cls), _text(k)))
                type.__delattr__(cls, k)
    stub = _h['stub']
    if stub is not None:
        live = stub[0].__dict__
        for k in _list(live.keys()):
            if k != '__warningregistry__' and (k not in stub[1] or live[k] is not stub[1][k]):
                out.append('__main__.%s' % _text(k))
                if k in stub[1]:
                    live[k] = stub[1][k]
                else:
                    del live[k]
    # Modules put into sys.modules by hand (no import spec): a hiding place for state across programs.
    known = _h['modules']
    for k in _list(_sys_modules.keys()):
        if k in known:
            continue
        m = _sys_modules.get(k)
        d = _instance_dict(m, _type(m)) if m is not None else None
        spec = _dict_get(d, '__spec__') if d is not None else None
        if spec is None and not (_type(k) is _str and _str_startswith(k, 'effopt_program_')):
            out.append('+sys.modules.%s' % _text(k))
        known.add(k)
    return out


# ---- side effects (reported, whether refused or not) ----
_rec = [False]  # on while code under test runs
_FX_KINDS = ('files', 'network', 'processes', 'secrets', 'pending')
_FX_CAP = 50
_fx = {k: [] for k in _FX_KINDS}
_SECRET_RE = re.compile(r'KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE', re.I)
_secret_search = _SECRET_RE.search


def _fx_reset():
    for k in _FX_KINDS:
        _fx[k] = []


def _fx_add(kind, text):
    lst = _fx[kind]
    if _len(lst) < _FX_CAP and text not in lst:
        lst.append(text)


def _fx_result():
    return {k: _list(_fx[k]) for k in _FX_KINDS}


def _fsdecode(path):
    path = _os_fspath(path)
    if _type(path) is _bytes:
        return _bytes_decode(path, _fs_encoding, 'surrogateescape')
    return path if _type(path) is _str else _text(path)


def _show_path(path):
    """A path for reports: `~/rel` inside the work dir (which is also HOME), absolute outside."""
    try:
        text = _fsdecode(path)
        if not _isabs(text):
            text = _pjoin(_os_getcwd(), text)
        real = _realpath(text)
    except Exception:
        return _text(path)
    if real == _WORKDIR:
        return '~'
    if _str_startswith(real, _WORKDIR + _SEP):
        return '~/' + real[_len(_WORKDIR) + 1:]
    return real


def _tree():
    """The work dir's files: rel path -> (size, mtime_ns, is_dir), at most 2000 entries."""
    out = {}
    stack = ['']
    while stack and _len(out) < 2000:
        rel = stack.pop()
        try:
            it = _os_scandir(_WORKDIR + (_SEP + rel if rel else ''))
        except OSError:
            continue
        try:
            for e in it:
                if _len(out) >= 2000:
                    break
                name = e.name if _type(e.name) is _str else _text(e.name)
                sub = rel + _SEP + name if rel else name
                try:
                    st = e.stat(follow_symlinks=False)
                    isdir = e.is_dir(follow_symlinks=False)
                except OSError:
                    continue
                out[sub] = (st.st_size, st.st_mtime_ns, isdir)
                if isdir:
                    stack.append(sub)
        finally:
            it.close()
    return out


def _tree_diff(before, after):
    for k, v in _dict_items(after):
        old = _dict_get(before, k)
        if old is None or (not v[2] and (old[0] != v[0] or old[1] != v[1])):
            _fx_add('files', '~/' + k)
    for k in before:
        if k not in after:
            _fx_add('files', '~/' + k)


def _live_threads():
    out = {}
    try:
        for t in _threads():
            d = _instance_dict(t, _type(t)) or {}
            out[_id(t)] = (t, _text(_dict_get(d, '_name', '?')))
    except Exception:
        pass
    return out


class _Watch:
    """What is alive before code under test runs, to report what it left behind."""
    __slots__ = ('tree', 'threads', 'count')

    def __init__(self):
        self.tree = _tree()
        self.threads = _live_threads()
        self.count = _thread_count()

    def finish(self, loop=None):
        self.threads_left(loop)
        self.files_changed()

    def files_changed(self):
        _tree_diff(self.tree, _tree())

    def threads_left(self, loop=None):
        """Right after the call, before the harness releases the GIL (background work gets no head start)."""
        new = 0
        for key, (t, name) in _dict_items(_live_threads()):
            if key in self.threads:
                continue
            try:
                alive = _Thread.is_alive(t)
            except Exception:
                alive = True
            if alive:
                new += 1
                _fx_add('pending', 'thread %s' % name)
        # Threads started with _thread directly are not in threading.enumerate().
        extra = _thread_count() - self.count - new
        for _ in _range(min(extra, 5)):
            _fx_add('pending', 'thread')
        if loop is not None:
            _pending_tasks(loop)


def _pending_tasks(loop):
    try:
        tasks = [t for t in _ASYNCIO['all_tasks'](loop) if not t.done()]
    except Exception:
        return
    for t in tasks:
        try:
            _fx_add('pending', 'task %s' % _text(t.get_name()))
        except Exception:
            _fx_add('pending', 'task')
        try:
            t.cancel()
        except Exception:
            pass


class _RecEnviron(os._Environ):
    """os.environ that notes reads of secret-looking names by code under test."""

    def __getitem__(self, key):
        if _rec[0]:
            name = _text(key)
            if _secret_search(name):
                _fx_add('secrets', name)
        return _Environ_getitem(self, key)


_Environ_getitem = os._Environ.__getitem__


_real_start_new_thread = _thread.start_new_thread


def _start_new_thread(function, args, kwargs=_MISSING):
    """_thread.start_new_thread that notes threads started by code under test (Python < 3.12 has no audit event for it)."""
    if _rec[0]:
        _fx_add('processes', 'thread')
    if kwargs is _MISSING:
        return _real_start_new_thread(function, args)
    return _real_start_new_thread(function, args, kwargs)


def _install_thread_recorder():
    _thread.start_new_thread = _start_new_thread
    _thread.start_new = _start_new_thread
    if _getattr(threading, '_start_new_thread', None) is _real_start_new_thread:
        threading._start_new_thread = _start_new_thread


def _install_env_recorder():
    for attr in ('environ', 'environb'):
        env = _getattr(os, attr, None)
        if env is None or _type(env) is not os._Environ:
            continue
        setattr(os, attr, _RecEnviron(env._data, env.encodekey, env.decodekey, env.encodevalue, env.decodevalue))


# ---- sandbox policy (audit hook): a guard rail where the kernel sandbox is missing, not a security boundary ----
_WORKDIR = _realpath(os.getcwd())
_policy_on = [False]
_PROC_SECRET = ('/environ', '/mem', '/cmdline', '/auxv')
_SPAWN_EVENTS = {'os.system', 'os.exec', 'os.posix_spawn', 'os.spawn', 'subprocess.Popen', 'os.fork', 'os.forkpty', 'pty.spawn', 'os.startfile'}
_NET_EVENTS = {'socket.connect', 'socket.bind', 'socket.sendto', 'socket.sendmsg'}
_DNS_EVENTS = {'socket.getaddrinfo', 'socket.gethostbyname', 'socket.gethostbyname_ex', 'socket.gethostbyaddr', 'socket.getnameinfo'}
_PATH_EVENTS = {'os.remove', 'os.rename', 'os.rmdir', 'os.mkdir', 'os.chmod', 'os.chown', 'os.link', 'os.symlink', 'os.truncate', 'os.utime', 'shutil.rmtree', 'shutil.copyfile', 'shutil.copytree', 'shutil.move', 'os.chflags', 'os.lchflags', 'os.mkfifo', 'os.mknod', 'os.removexattr', 'os.setxattr'}
# Events whose first path is only read (the written one is the last).
_DEST_ONLY = {'os.link', 'os.symlink', 'shutil.copyfile', 'shutil.copytree'}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def _inside_workdir(path):
    try:
        p = _realpath(_fsdecode(path))
    except Exception:
        return False
    return p == _WORKDIR or _str_startswith(p, _WORKDIR + _SEP) or p == '/dev/null'


def _address(a):
    t = _type(a)
    if t is _tuple and _len(a) >= 2:
        return '%s:%s' % (_text(a[0]), _text(a[1]))
    return _text(a)


def _argv0(cmd):
    t = _type(cmd)
    if t is _list or t is _tuple:
        return _text(cmd[0]) if cmd else '?'
    s = _text(cmd)
    parts = _str_split(s)
    return parts[0] if parts else s


def _spawn_text(event, args):
    try:
        if event in ('os.fork', 'os.forkpty'):
            return 'fork'
        if event == 'subprocess.Popen':
            return 'spawn %s' % _argv0(args[1] if args[1] is not None else args[0])
        if event == 'os.system':
            return 'spawn %s' % _argv0(args[0])
        if event == 'os.spawn':
            return 'spawn %s' % _text(args[1])
        if event == 'pty.spawn':
            return 'spawn %s' % _argv0(args[0])
        return 'spawn %s' % _text(args[0])
    except Exception:
        return 'spawn'


def _audit(event, args):
    if not _policy_on[0]:
        return
    rec = _rec[0]
    if event in _SPAWN_EVENTS:
        if rec:
            _fx_add('processes', _spawn_text(event, args))
        raise PermissionError('effopt sandbox: %s is not allowed (no child processes)' % event)
    if event == '_thread.start_new_thread':
        if rec:
            _fx_add('processes', 'thread')
        return
    if event in _NET_EVENTS:
        if rec:
            verb = _str_split(event, '.')[1]
            _fx_add('network', '%s %s' % (verb, _address(args[1]) if _len(args) > 1 else '?'))
        raise PermissionError('effopt sandbox: network access is not allowed (%s)' % event)
    if event in _DNS_EVENTS:
        if rec:
            _fx_add('network', 'dns %s' % (_address(args[0]) if args else '?'))
        return
    if event == 'open':
        path, mode, flags = (_tuple(args) + (None, None, None))[:3]
        if _type(path) is _int:
            if path > 2:
                raise PermissionError('effopt sandbox: opening file descriptor %d is not allowed' % path)
            return
        if path is None:
            return
        text = _fsdecode(path)
        writing = (_type(mode) is _str and any(c in mode for c in 'wax+')) or (_type(flags) is _int and flags & _WRITE_FLAGS)
        if writing:
            if rec:
                _fx_add('files', _show_path(text))
            if not _inside_workdir(text):
                raise PermissionError('effopt sandbox: writing outside the working directory is not allowed: %s' % text)
        if _str_startswith(text, '/proc/') and _str_endswith(text, _PROC_SECRET) and not _str_startswith(text, ('/proc/self/', '/proc/%d/' % _getpid())):
            raise PermissionError('effopt sandbox: reading another process\'s %s is not allowed' % text)
        return
    if event in _PATH_EVENTS:
        paths = [a for a in args if _type(a) is _str or _type(a) is _bytes]
        if rec:
            for a in (paths[-1:] if event in _DEST_ONLY else paths):
                _fx_add('files', _show_path(a))
        for a in paths:
            if not _inside_workdir(a):
                raise PermissionError('effopt sandbox: %s outside the working directory is not allowed' % event)
        return
    if event in ('os.kill', 'os.killpg'):
        if args and args[0] != _getpid():
            raise PermissionError('effopt sandbox: signalling other processes is not allowed')


# ---- determinism ----
_FIXED_CLOCK_TYPES = {}  # the fixed clock's datetime/date subclasses -> the real class


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
    _FIXED_CLOCK_TYPES[_id(datetime)] = (datetime, real_datetime)
    _FIXED_CLOCK_TYPES[_id(date)] = (date, real_date)


# ---- programs ----
class _Program:
    def __init__(self, key, fn, module, receiver=None, tampered=None):
        self.key = key
        self.fn = fn
        self.module = module
        # For an instance method: the class its receivers are built from (argument 0 of every case).
        self.receiver = receiver
        self.inputs = {}
        self.nodes = {}  # (set, index) -> value nodes of the stored input (capped)
        self.is_async = _iscoroutinefunction(fn)
        self.tampered = tampered if tampered is not None else []


def _slot(cls, name):
    """The __slots__ descriptor for `name` along the class's MRO, or None."""
    for klass in _type_mro(cls):
        d = _type_tdict(klass).get(name)
        if d is not None:
            return d if _type(d) is _Member else None
    return None


def _build_receiver(cls, state, what, error_type):
    """An instance of cls made with cls.__new__ (no __init__) holding the state's fields."""
    if _is_sub(_type(state), cls):
        return state
    if _type(state) is not _dict:
        raise _RequestError(error_type, "%s: the first element must be the instance's state (a dict of its fields) for an instance method, got %s" % (what, _type_name(_type(state))))
    try:
        obj = cls.__new__(cls)
    except BaseException as e:
        raise _RequestError(error_type, '%s: cannot create a %s without running its constructor (%s.__new__ raised %s: %s)' % (what, cls.__name__, cls.__name__, _type_name(_type(e)), _message(e, _type(e))))
    fields = _instance_dict(obj, _type(obj))
    for k, v in _dict_items(state):
        if _type(k) is not _str:
            raise _RequestError(error_type, '%s: field names of the instance state must be strings, got %s' % (what, _text(k)))
        slot = _slot(cls, k)
        if slot is not None:
            _member_set(slot, obj, v)  # __slots__ field: set through its descriptor (no __setattr__ runs)
        elif fields is not None:
            fields[k] = v  # straight into __dict__: no property setter or __setattr__ of the class runs
        else:
            slots = [n for n, _ in _slot_names(cls)]
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
    t = _type(e)
    info = {'type': _text(_type_name(t)), 'message': _message(e, t)[:2000]}
    try:
        tb = _BaseException_tb(e)
        # From the first frame of code under test (the harness's own frames are the same for every program).
        while _type(tb) is types.TracebackType and tb.tb_frame.f_code.co_filename == _HARNESS_FILE and tb.tb_next is not None:
            tb = tb.tb_next
        if _type(tb) is types.TracebackType:
            lines = _format_list(_extract_tb(tb, limit=8))
            info['stack'] = (_str_join('', ['Traceback (most recent call last):\n'] + lines) + '%s: %s' % (info['type'], info['message']))[-3000:]
    except Exception:
        pass
    return info


def _timer_handler(signum, frame):
    raise _CallTimeout()


def _guarded(thunk, timeout_ms):
    if timeout_ms and timeout_ms > 0:
        _setitimer(_ITIMER_REAL, timeout_ms / 1000.0)
    try:
        return thunk()
    finally:
        _setitimer(_ITIMER_REAL, 0)


# ---- copies for timing: the harness's own deep copy (no __deepcopy__/__reduce__ of code under test) ----
_COPY_NODES = 4_000_000
_ATOMIC = (_int, _float, _str, _bool, _NoneType, _complex, _bytes, _range, types.FunctionType, types.BuiltinFunctionType, type(Ellipsis), type(NotImplemented))


def _is_one(t, types_):
    for x in types_:
        if x is t:
            return True
    return False


def _plain_class(t):
    """A class of code under test that can be copied field by field: Python classes over object, no custom __new__."""
    mro = _type_mro(t)
    if mro[-1] is not _object:
        return False
    for k in mro[:-1]:
        if not _is_heap(k) or '__new__' in _type_tdict(k):
            return False
    return True


def _copy(v, memo):
    t = _type(v)
    if _is_one(t, _ATOMIC) or _is_sub(t, _type):
        return v
    key = _id(v)
    hit = _dict_get(memo, key, _MISSING)
    if hit is not _MISSING:
        return hit
    if t is _list:
        y = []
        memo[key] = y
        for x in _list_iter(v):
            tx = _type(x)
            _list_append(y, x if (tx is _int or tx is _str or tx is _float or tx is _bool or x is None) else _copy(x, memo))
        return y
    if t is _dict:
        y = {}
        memo[key] = y
        for k, x in _dict_items(v):
            tx = _type(x)
            y[_copy(k, memo)] = x if (tx is _int or tx is _str or tx is _float or tx is _bool or x is None) else _copy(x, memo)
        return y
    if t is _tuple:
        y = _tuple([_copy(x, memo) for x in _tuple_iter(v)])
        hit = _dict_get(memo, key, _MISSING)  # a cycle through the tuple was copied meanwhile
        if hit is not _MISSING:
            return hit
        memo[key] = y
        return y
    if t is _set:
        y = _set()
        memo[key] = y
        for x in _set_iter(v):
            y.add(_copy(x, memo))
        return y
    if t is _frozenset:
        y = _frozenset([_copy(x, memo) for x in _frozenset_iter(v)])
        memo[key] = y
        return y
    if t is _bytearray:
        y = _bytearray(v)
        memo[key] = y
        return y
    if _plain_class(t):
        y = _object_new(t)
        memo[key] = y
        d = _instance_dict(v, t)
        if d is not None:
            yd = _instance_dict(y, t)
            for k, x in _dict_items(d):
                yd[k] = _copy(x, memo)
        for name, desc in _slot_names(t):
            try:
                x = _member_get(desc, v, t)
            except AttributeError:
                continue
            _member_set(desc, y, _copy(x, memo))
        return y
    return _deepcopy(v, memo)


def _count_nodes(v, cap):
    """Value nodes of an input (containers once each), stopping past cap."""
    n = 0
    seen = set()
    stack = [v]
    while stack and n <= cap:
        x = stack.pop()
        n += 1
        t = _type(x)
        if _is_one(t, _ATOMIC):
            if t is _bytes or t is _str:
                n += _len(x) // 64
            continue
        key = _id(x)
        if key in seen:
            continue
        seen.add(key)
        if t is _list or t is _tuple:
            stack.extend(x)
        elif t is _dict:
            for k, y in _dict_items(x):
                stack.append(k)
                stack.append(y)
        elif t is _set or t is _frozenset:
            stack.extend(x)
        elif t is _bytearray:
            n += _len(x) // 64
        else:
            d = _instance_dict(x, t)
            if d is not None:
                stack.extend(_list(d.values()))
            for _, desc in _slot_names(t):
                try:
                    stack.append(_member_get(desc, x, t))
                except AttributeError:
                    pass
            if _is_sub(t, _list) or _is_sub(t, _tuple):
                stack.extend(_list_iter(x) if _is_sub(t, _list) else _tuple_iter(x))
            elif _is_sub(t, _dict):
                stack.extend(_list(_dict_items(x)))
    return n


# A property getter is loaded as its getter function, called with the instance: what reading the
# property does (a cached_property's function, without storing the value on the instance).
import functools as _functools
_PROPERTY_GETTERS = ((property, 'fget'), (_functools.cached_property, 'func'))


def _getter_of(raw):
    for kind, attr in _PROPERTY_GETTERS:
        if _isinstance(raw, kind):
            return _getattr(raw, attr)
    return None


def _load(req):
    m = _re_match(r'^([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?$', req['entry'])
    if not m:
        raise _RequestError('BadEntry', 'entry "%s" is not a function name or Class.method' % req['entry'])
    name = 'effopt_program_%s' % _re_sub(r'\W', '_', req['program'])
    module = types.ModuleType(name)
    module.__file__ = req['filename']
    # The real builtins module, not the harness's private copy (exec would otherwise insert the caller's).
    module.__dict__['__builtins__'] = builtins
    _sys_modules[name] = module
    try:
        code = compile(req['source'], req['filename'], 'exec')
    except SyntaxError as e:
        raise _RequestError('LoadError', 'does not compile: SyntaxError: %s (line %s)' % (e.msg, e.lineno))
    tampered = []
    _fx_reset()
    watch = _Watch()
    _capture.begin(_config['stdoutLimit'])
    _rec[0] = True
    try:
        _guarded(lambda: exec(code, module.__dict__), 10000)
    except _CallTimeout:
        raise _RequestError('LoadError', 'module top-level code did not finish within 10 s')
    except SystemExit as e:
        raise _RequestError('LoadError', 'module top-level code called sys.exit(%s)' % _text(e.code))
    except BaseException as e:
        raise _RequestError('LoadError', 'module top-level code raised %s: %s' % (_type_name(_type(e)), _message(e, _type(e))))
    finally:
        _rec[0] = False
        printed, _ = _capture.end()
        _tampered(None, tampered)
    watch.finish()
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
        getter = _getter_of(raw) if _isinstance(head, _type) else None
        if getter is not None:
            receiver = head
            fn = getter
        else:
            if _isinstance(head, _type) and callable(raw) and not _isinstance(raw, (staticmethod, classmethod, _type)) and _hasattr(_type(raw), '__get__'):
                receiver = head
            fn = _getattr(head, m.group(2))
    if fn is None:
        raise _RequestError('LoadError', '"%s" is not defined in the module' % req['entry'])
    if not callable(fn):
        raise _RequestError('LoadError', '"%s" is a %s, not a function' % (req['entry'], _type_name(_type(fn))))
    p = _Program(req['program'], fn, module, receiver, tampered)
    _programs[req['program']] = p
    result = {'stdout': printed[:4096], 'tampered': _tampered(p), 'effects': _fx_result()}
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
            return _list(out) if _type(out) is types.GeneratorType else out
        cases = _guarded(run, req['timeoutMs'])
    except _RequestError:
        raise
    except _CallTimeout:
        raise _RequestError('GeneratorError', 'generate(rng) did not finish within %d ms' % req['timeoutMs'])
    except SystemExit as e:
        raise _RequestError('GeneratorError', 'generate(rng) called sys.exit(%s)' % _text(e.code))
    except BaseException as e:
        raise _RequestError('GeneratorError', 'generate(rng) raised %s: %s' % (_type_name(_type(e)), _message(e, _type(e))))
    finally:
        _capture.end()
        _tampered(p)
    _send({'id': req['id'], 'progress': 'called'})
    if _type(cases) is not _list and _type(cases) is not _tuple:
        raise _RequestError('GeneratorError', 'generate(rng) must return a list of argument lists, got %s' % _type_name(_type(cases)))
    for i, c in enumerate(cases):
        if _type(c) is not _list and _type(c) is not _tuple:
            raise _RequestError('GeneratorError', 'case %d is not an argument list (a list or tuple of arguments), got %s' % (i, _type_name(_type(c))))
    if not cases:
        raise _RequestError('GeneratorError', 'generate(rng) returned no cases')
    kept = _with_receivers(p, [_list(c) for c in cases[:_config['maxCasesPerGenerator']]], lambda i: 'case %d' % i, 'GeneratorError', req['timeoutMs'])
    p.inputs[req['set']] = kept
    p.nodes = {k: v for k, v in _dict_items(p.nodes) if k[0] != req['set']}
    # One encoding serves the fingerprint and the sizes (reports say "n = 200,000").
    encoded = [_encode(_list(c), _config['maxNodes']) for c in kept]
    return {
        'count': _len(kept),
        'fingerprint': _fingerprint_of(encoded),
        'sizes': [_case_size(e) for e in encoded],
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
        raise _RequestError('AssertionError', 'evaluating the test raised %s: %s' % (_type_name(_type(e)), _message(e, _type(e))))
    finally:
        _capture.end()
        _tampered(p)
    _send({'id': req['id'], 'progress': 'called'})
    if _type(args) is not _list and _type(args) is not _tuple:
        raise _RequestError('AssertionError', 'argsExpr must evaluate to a list or tuple of arguments, got %s' % _type_name(_type(args)))
    args = _with_receivers(p, [_list(args)], lambda i: 'argsExpr', 'AssertionError', req['timeoutMs'])[0]
    p.inputs[req['set']] = [args]
    p.nodes = {k: v for k, v in _dict_items(p.nodes) if k[0] != req['set']}
    return {'fingerprint': _fingerprint([args], _config['maxNodes']), 'preview': _preview(args, req['previewNodes']), 'expected': _encode(expected, _config['maxNodes'])}


# ---- the one call path: call, mutates and measure all run code under test through here ----
class _Job:
    __slots__ = ('req', 'p', 'fn', 'argsets', 'batch', 'out', 'marks', 'timeout_ms', 'seed', 'limit', 'sink', 'ready', 'after',
                 'awaited', 'loop', 'status', 'error', 'exit_code', 'memory', 'printed', 'overflow', 'iter_cap', 'watch', 'started',
                 'ran_at', 'extra')

    def __init__(self, req, p, argsets, batch, timeout_ms, sink, ready, after):
        self.req = req
        self.p = p
        self.fn = p.fn
        self.argsets = argsets
        self.batch = batch
        self.out = []
        self.marks = []
        self.timeout_ms = timeout_ms
        self.seed = req['seed']
        self.limit = _config['stdoutLimit']
        self.sink = sink
        self.ready = ready
        self.after = after
        self.awaited = False
        self.loop = None
        self.status = 'returned'
        self.error = None
        self.exit_code = None
        self.memory = False
        self.printed = ''
        self.overflow = False
        self.iter_cap = _config['iterCap']
        self.watch = None
        self.started = _perf_ns()
        self.ran_at = 0
        self.extra = None


_shape_cache = {}  # id(type) -> (type, awaitable, iterator)


def _shape(t):
    hit = _dict_get(_shape_cache, _id(t))
    if hit is not None and hit[0] is t:
        return hit
    awaitable = _mro_lookup(t, '__await__') is not _MISSING
    iterator = (not awaitable and _mro_lookup(t, '__next__') is not _MISSING and _mro_lookup(t, '__iter__') is not _MISSING and not _is_sub(t, _IOBase))
    hit = (t, awaitable, iterator)
    if _len(_shape_cache) < 1000:
        _shape_cache[_id(t)] = hit
    return hit


def _drain(it, cap):
    items = []
    more = False
    for x in it:
        if _len(items) >= cap:
            more = True
            break
        items.append(x)
    return _Drained(items, more, _text(_type_name(_type(it))))


_ASYNCIO = {}  # captured at configure


def _await(job, r):
    job.awaited = True
    if job.loop is None:
        job.loop = _ASYNCIO['new_event_loop']()
    return job.loop.run_until_complete(r)


def _call_all(fn, argsets, out, job):
    """Calls fn on every argument list, `batch` calls per timed iteration; awaits awaitables and drains iterators on the clock."""
    # Locals, bound before the first call: code under test rebinding harness names cannot reach them.
    clock = _perf_ns
    shape_of = _shape
    kind_of = _type
    wait = _await
    drain = _drain
    keep = out.append
    mark = job.marks.append
    batch = job.batch
    cap = job.iter_cap
    n = _len(argsets)
    i = 0
    mark(clock())
    while i < n:
        end = i + batch
        while i < end:
            r = fn(*argsets[i])
            shape = shape_of(kind_of(r))
            if shape[1]:
                r = wait(job, r)
            elif shape[2]:
                r = drain(r, cap)
            keep(r)
            i += 1
        mark(clock())


def _limit(job):
    if job.timeout_ms and job.timeout_ms > 0:
        _setitimer(_ITIMER_REAL, job.timeout_ms / 1000.0)
    try:
        _call_all(job.fn, job.argsets, job.out, job)
    finally:
        _setitimer(_ITIMER_REAL, 0)


def _run(job):
    send = _send  # bound before code under test runs (it could rebind the harness's names)
    check = _tampered
    _random_seed(job.seed)
    _capture.begin(job.limit, job.sink)
    if job.ready:
        send({'id': job.req['id'], 'progress': job.ready})
    _rec[0] = True
    try:
        _limit(job)
    except _CallTimeout:
        job.status = 'timeout'
    except SystemExit as e:
        job.status = 'exited'
        job.exit_code = e.code if _type(e.code) is _int else (0 if e.code is None else 1)
    except MemoryError as e:
        job.status, job.error, job.memory = 'threw', e, True
    except BaseException as e:
        job.status, job.error = 'threw', e
    finally:
        job.ran_at = _perf_ns()
        send({'id': job.req['id'], 'progress': job.after})
        job.watch.threads_left(job.loop)  # right away: background work started by the call is still running
        check(job.p)  # undo changes to builtins and the harness before any more harness code runs
        _rec[0] = False
        job.printed, job.overflow = _capture.end()


def _execute(req):
    job = _prepare(req)
    _run(job)
    return _finish(job)


def _prepare(req):
    started = _perf_ns()
    p = _program(req['program'])
    _fx_reset()
    op = req['op']
    if op == 'call':
        args = _input(p, req['input'])
        job = _Job(req, p, [args], 1, req['timeoutMs'], False, None, 'called')
        if req['capture']:
            job.extra = _preview(args, req['previewNodes'])  # before the call mutates them
        job.watch = _Watch()
        return job
    if op == 'mutates':
        args = _input(p, req['input'])  # the stored input itself; effopt rebuilds it when it changed
        job = _Job(req, p, [args], 1, req['timeoutMs'], True, None, 'called')
        job.extra = _dumps([_encode(a, _config['maxNodes']) for a in args])
        job.watch = _Watch()
        return job
    watch = _Watch()
    # measure: every call gets its own deep copy of the stored input, all made before the clock starts.
    base = _input(p, req['input'])
    key = (req['input']['set'], req['input']['index'])
    nodes = _dict_get(p.nodes, key)
    if nodes is None:
        nodes = p.nodes[key] = max(1, _count_nodes(base, _COPY_NODES))
    iterations = max(1, _int(req['iterations']))
    batch = max(1, _int(req['batch']))
    fit = max(1, _COPY_NODES // nodes)
    if iterations * batch > fit:
        if fit < batch:
            batch, iterations = fit, 1
        else:
            iterations = fit // batch
    limit = _getrecursionlimit()
    _setrecursionlimit(max(limit, 20000))
    try:
        if req.get('fresh') == 'none':
            copies = [base] * (iterations * batch)
        else:
            copies = [_copy(base, {}) for _ in _range(iterations * batch)]
    except RecursionError:
        raise _RequestError('CopyError', 'the input is nested too deeply to copy')
    except Exception as e:
        raise _RequestError('CopyError', 'copying the input raised %s: %s' % (_type_name(_type(e)), _message(e, _type(e))))
    finally:
        _setrecursionlimit(limit)
    _tampered(p)  # copying may run code under test (__deepcopy__ of classes with a custom __new__)
    job = _Job(req, p, copies, batch, 0, True, 'ready', 'ran')
    job.limit = _config['stdoutLimit'] * iterations * batch
    job.started = started
    job.watch = watch
    if p.is_async:
        job.loop = _ASYNCIO['new_event_loop']()
    if req['gc']:
        _gc_collect()
    return job


def _spread(n, k):
    """k indices in range(n), evenly spread, the first and the last always among them."""
    if n <= 0:
        return []
    k = max(2, _int(k))
    if k >= n:
        return _list(_range(n))
    out = []
    for j in _range(k):
        i = (j * (n - 1) + (k - 1) // 2) // (k - 1)
        if not out or out[-1] != i:
            out.append(i)
    return out


def _median(xs):
    s = sorted(xs)
    n = _len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def _finish(job):
    loop = job.loop
    if loop is not None:
        try:
            loop.close()
        except Exception:
            pass
    p = job.p
    tampered = _tampered(p)
    op = job.req['op']
    nodes = _config['maxNodes']
    if op != 'measure':
        # The value first, then the file system walk (its system calls let background threads run).
        result = _finish_call(job, tampered, nodes)
        job.watch.files_changed()
        if 'effects' in result:
            result['effects'] = _fx_result()
        return result
    return _finish_measure(job, tampered, nodes)


def _finish_call(job, tampered, nodes):
    op = job.req['op']
    if op == 'mutates':
        after = _dumps([_encode(a, nodes) for a in job.argsets[0]])
        return {'mutates': after != job.extra, 'status': job.status}
    if op == 'call':
        req = job.req
        result = {'status': job.status, 'stdout': job.printed, 'stdoutOverflow': job.overflow, 'tampered': tampered, 'awaited': job.awaited,
                  'seconds': (job.marks[-1] - job.marks[0]) / 1e9 if _len(job.marks) > 1 else (job.ran_at - job.marks[0]) / 1e9 if job.marks else 0.0}
        if job.error is not None:
            result['error'] = _thrown(job.error)
        if job.exit_code is not None:
            result['exitCode'] = job.exit_code
        if job.memory:
            result['memory'] = True
        if req['capture']:
            if job.status == 'returned':
                result['value'] = _encode(job.out[0], nodes)
            args = job.argsets[0]
            result['argsAfter'] = [_encode(a, nodes) for a in args]
            result['argsBefore'] = job.extra
        result['effects'] = _fx_result()
        return result


def _finish_measure(job, tampered, nodes):
    marks = job.marks
    samples = [(marks[i + 1] - marks[i]) / job.batch / 1e9 for i in _range(_len(marks) - 1)]
    iterations = _len(samples)
    calls = _len(job.out)
    result = {'iterations': iterations, 'calls': calls, 'timedSeconds': (marks[-1] - marks[0]) / 1e9 if _len(marks) > 1 else 0.0,
              'awaited': job.awaited, 'tampered': tampered}
    if job.status != 'returned' or not samples:
        if job.status == 'exited':
            result['error'] = {'type': 'exit', 'message': 'sys.exit(%s)' % job.exit_code}
        elif job.error is not None:
            result['error'] = _thrown(job.error)
        elif job.status == 'timeout':
            result['error'] = {'type': 'timeout', 'message': 'the timed calls were interrupted'}
        else:
            result['error'] = {'type': 'Error', 'message': 'no samples'}
        samples = []
        result['iterations'] = 0
    out = job.out
    argsets = job.argsets
    job.out = None
    digests = []
    counts = {}
    checked = 0
    value = args_after = None
    if not result.get('error'):
        for i in _spread(calls, job.req['checks']):
            value = _encode(out[i], nodes)
            # The arguments after the call only for the last one (encoding a large input again for
            # every check would cost more than the calls); state left on them stays there till then.
            if i == calls - 1:
                args_after = [_encode(a, nodes) for a in argsets[i]]
            d = _sha256(_str_encode(_dumps(value), 'utf-8')).hexdigest()
            if d in counts:
                digests[counts[d]]['count'] += 1
            else:
                counts[d] = _len(digests)
                digests.append({'digest': d, 'count': 1})
            checked += 1
    out = argsets = None
    job.argsets = None
    job.watch.files_changed()
    med = _median(samples) if samples else 0
    result.update({'samples': samples, 'median': med, 'mad': _median([abs(x - med) for x in samples]) if samples else 0,
                   'digests': digests, 'checked': checked, 'effects': _fx_result()})
    if value is not None or checked:
        result['value'] = value
        result['argsAfter'] = args_after
    now = _perf_ns()
    result['checkSeconds'] = (now - job.ran_at) / 1e9
    result['wallSeconds'] = (now - job.started) / 1e9
    return result


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
    _trust_stdlib()
    if _config.get('fixedClockMs') is not None:
        _install_fixed_clock(_config['fixedClockMs'])
    _random_seed(_config['seed'])
    signal.signal(signal.SIGALRM, _timer_handler)
    # Modules the encoder and the policy need, imported before the policy is on.
    import asyncio
    import asyncio.base_events  # noqa: F401
    _ASYNCIO['new_event_loop'] = asyncio.new_event_loop
    _ASYNCIO['all_tasks'] = asyncio.all_tasks
    import linecache  # noqa: F401
    _install_env_recorder()
    _install_thread_recorder()
    _baseline = _snapshot()
    _harness_snapshot()
    _policy_on[0] = True
    return {}


def _handle(req):
    op = req.get('op')
    if op == 'call' or op == 'mutates' or op == 'measure':
        return _execute(req)
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
    if op == 'release':
        for p in _programs.values():
            for s in req['sets']:
                p.inputs.pop(s, None)
            p.nodes = {k: v for k, v in _dict_items(p.nodes) if k[0] not in req['sets']}
        return {}
    if op == 'exit':
        _os_exit(0)
    raise _RequestError('BadRequest', 'unknown op %s' % op)


def main():
    requests = sys.stdin.buffer
    readline = requests.readline
    sys.stdin = io.StringIO('')
    sys.stdout = _capture
    sys.stderr = _stderr_sink
    sys.addaudithook(_audit)
    while True:
        line = readline()
        if not line:
            _os_exit(0)
        if not line.strip():
            continue
        try:
            req = _loads(_bytes_decode(line, 'utf-8'))
            if _type(req) is not _dict:
                raise ValueError('not an object')
        except ValueError:
            _send({'id': -1, 'ok': False, 'error': {'type': 'BadRequest', 'message': 'request is not JSON'}})
            continue
        try:
            _send({'id': req.get('id'), 'ok': True, 'result': _handle(req)})
        except _RequestError as e:
            _send({'id': req.get('id'), 'ok': False, 'error': {'type': e.type, 'message': e.message}})
        except BaseException as e:  # the harness must answer whatever happened
            _send({'id': req.get('id'), 'ok': False, 'error': {'type': 'HarnessError', 'message': '%s: %s' % (_type_name(_type(e)), _message(e, _type(e)))}})


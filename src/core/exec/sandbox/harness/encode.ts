// Value capture inside the Node harness: JS value → encoded value (../../compare/values.ts), a deep clone
// that keeps prototypes, and a snapshot of builtins to detect tampering. Every intrinsic used
// here is captured when the harness starts, before any code under test runs, so patching
// Array.prototype, Map.prototype.entries or JSON.stringify later cannot change what is captured.
import { inspect, types } from 'node:util';
import type { EValue } from '../../compare/values';

const uncurry =
  <A extends unknown[], R>(fn: (...args: A) => R) =>
  (self: unknown, ...args: A): R =>
    ReflectApply(fn, self, args) as R;

const ReflectApply = Reflect.apply;
const ownKeys = Reflect.ownKeys;
const getProto = Object.getPrototypeOf;
const setProto = Object.setPrototypeOf;
const create = Object.create;
const defineProperty = Object.defineProperty;
const getDesc = Object.getOwnPropertyDescriptor;
const isArray = Array.isArray;
const ObjectProto = Object.prototype;
const ArrayProto = Array.prototype;
const RegExpProto = RegExp.prototype;
const ArrayBufferProto = ArrayBuffer.prototype;
const DataViewProto = DataView.prototype;
const NumberProto = Number.prototype;
const StringProto = String.prototype;
const BooleanProto = Boolean.prototype;
const BigIntProto = BigInt.prototype;
const SymbolProto = Symbol.prototype;
const stringify = JSON.stringify;
// util.inspect lists an array's non-index properties from C++ (no trap, no getter, no user code
// with these options), in about a millisecond for a million elements; Reflect.ownKeys would
// materialise every index as a string (~400 ms).
const INSPECT_KEYS = {
  customInspect: false,
  depth: 0,
  maxArrayLength: 0,
  maxStringLength: 0,
  showHidden: true,
  getters: false,
  showProxy: false,
  breakLength: Infinity,
  compact: true,
} as const;
const SymbolToStringTag = Symbol.toStringTag;
const SymbolIterator = Symbol.iterator;
const regexpTest = uncurry(RegExp.prototype.test as (s: string) => boolean);
const NO_EXTRAS = /^\[ (?:\.\.\. \d+ more items?, )?\[length\]: \d+ \]$/;
/** False when a plain array (Array.prototype) certainly has no own property besides its indices and length. */
function arrayMayHaveExtras(arr: unknown[]): boolean {
  // inspect reads these two through the chain: an own accessor would run.
  if (getDesc(arr, SymbolToStringTag) || getDesc(arr, SymbolIterator)) return true;
  const shown = inspect(arr, INSPECT_KEYS);
  return !regexpTest(NO_EXTRAS, shown);
}
const INSPECT_PLAIN = { ...INSPECT_KEYS, showHidden: false } as const;
const NO_TYPED_EXTRAS = /(?: more items? \]|\[\])$/;
/** The builtin typed array prototypes (and Buffer's): inspect reads nothing of the code under test on them. */
const TYPED_PROTOS = new Set<object>(
  [
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
    Buffer,
  ].map((c) => c.prototype as object),
);
/** False when a typed array certainly has no enumerable own property besides its indices (checked with inspect: no index is materialised). */
function typedMayHaveExtras(ta: object, n: number): boolean {
  if (n <= 64 || !setHas(TYPED_PROTOS, getProto(ta))) return ownKeys(ta).length > n;
  if (getDesc(ta, SymbolToStringTag) || getDesc(ta, SymbolIterator)) return true;
  const shown = inspect(ta, INSPECT_PLAIN);
  return !regexpTest(NO_TYPED_EXTRAS, shown);
}
const isIndexKey = (k: string): boolean => /^(?:0|[1-9]\d*)$/.test(k) && +k < 4294967295;
const hasOwn = uncurry(Object.prototype.hasOwnProperty as (k: PropertyKey) => boolean);
const objectToString = uncurry(Object.prototype.toString as () => string);
const mapEntries = uncurry(Map.prototype.entries as () => IterableIterator<[unknown, unknown]>);
const mapIterNext = uncurry(getProto(new Map().entries()).next as () => IteratorResult<[unknown, unknown]>);
const setValues = uncurry(Set.prototype.values as () => IterableIterator<unknown>);
const setIterNext = uncurry(getProto(new Set().values()).next as () => IteratorResult<unknown>);
const mapSet = uncurry(Map.prototype.set as (k: unknown, v: unknown) => Map<unknown, unknown>);
const mapGet = uncurry(Map.prototype.get as (k: unknown) => unknown);
const mapHas = uncurry(Map.prototype.has as (k: unknown) => boolean);
const mapDelete = uncurry(Map.prototype.delete as (k: unknown) => boolean);
const setAdd = uncurry(Set.prototype.add as (v: unknown) => Set<unknown>);
const setHas = uncurry(Set.prototype.has as (v: unknown) => boolean);
const dateGetTime = uncurry(Date.prototype.getTime);
const regexpSource = uncurry(getDesc(RegExp.prototype, 'source')!.get as () => string);
const regexpFlags = uncurry(getDesc(RegExp.prototype, 'flags')!.get as () => string);
const TypedArrayProto = getProto(Uint8Array.prototype) as object;
const typedLength = uncurry(getDesc(TypedArrayProto, 'length')!.get as () => number);
const typedTag = uncurry(getDesc(TypedArrayProto, Symbol.toStringTag)!.get as () => string | undefined);
const bufferByteLength = uncurry(getDesc(ArrayBuffer.prototype, 'byteLength')!.get as () => number);
const dataViewBuffer = uncurry(getDesc(DataView.prototype, 'buffer')!.get as () => ArrayBuffer);
const dataViewOffset = uncurry(getDesc(DataView.prototype, 'byteOffset')!.get as () => number);
const dataViewLength = uncurry(getDesc(DataView.prototype, 'byteLength')!.get as () => number);
const symbolDescription = uncurry(getDesc(Symbol.prototype, 'description')!.get as () => string | undefined);
const bigintToString = uncurry(BigInt.prototype.toString as () => string);
const numberValueOf = uncurry(Number.prototype.valueOf);
const stringValueOf = uncurry(String.prototype.valueOf);
const booleanValueOf = uncurry(Boolean.prototype.valueOf);
const bigintValueOf = uncurry(BigInt.prototype.valueOf);
const StringCtor = String;
const U8 = Uint8Array;
const MapCtor = Map;
const SetCtor = Set;
const DateCtor = Date;
const RegExpCtor = RegExp;
const DataViewCtor = DataView;
const arraySlice = uncurry(ArrayBuffer.prototype.slice as (a: number, b: number) => ArrayBuffer);
const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));
const {
  isProxy,
  isMap,
  isSet,
  isDate,
  isRegExp,
  isNativeError,
  isTypedArray,
  isArrayBuffer,
  isSharedArrayBuffer,
  isDataView,
  isPromise,
  isWeakMap,
  isWeakSet,
  isGeneratorObject,
  isBoxedPrimitive,
  isNumberObject,
  isStringObject,
  isBooleanObject,
  isBigIntObject,
  isSymbolObject,
  isMapIterator,
  isSetIterator,
  isModuleNamespaceObject,
} = types;

export interface EncodeOptions {
  /** Nodes before the value counts as too large. */
  maxNodes: number;
  maxDepth?: number;
  /** Preview mode: cut with {$:'truncated'} markers instead of giving up. */
  preview?: boolean;
}

class TooLarge extends Error {}

function dataValue(obj: object, key: PropertyKey): unknown {
  // Walks the prototype chain reading data properties only: no getter of the code under test runs.
  for (let o: object | null = obj; o !== null; o = getProto(o) as object | null) {
    const d = getDesc(o, key);
    if (d) return 'value' in d ? d.value : undefined;
  }
  return undefined;
}

/** The constructor's name of a class instance; undefined for plain and null-prototype objects. */
export function className(v: object): string | undefined {
  const proto = getProto(v) as object | null;
  if (proto === null || proto === ObjectProto) return undefined;
  const ctor = dataValue(proto, 'constructor');
  if (typeof ctor === 'function') {
    const d = getDesc(ctor, 'name');
    if (d && 'value' in d && typeof d.value === 'string' && d.value) return d.value;
  }
  return 'anonymous';
}

/** The type name of a thrown value: the error's name/class, or `typeof` for primitives. */
export function thrownType(e: unknown): string {
  if (e === null) return 'null';
  if (typeof e !== 'object' && typeof e !== 'function') return typeof e;
  if (isProxy(e)) return 'Proxy';
  const name = dataValue(e as object, 'name');
  const cls = className(e as object);
  if (typeof name === 'string' && name && cls && name !== cls && cls !== 'anonymous') return cls;
  return typeof name === 'string' && name ? name : (cls ?? 'Object');
}

export function thrownMessage(e: unknown): string {
  if (e !== null && typeof e === 'object' && !isProxy(e)) {
    const m = dataValue(e as object, 'message');
    if (typeof m === 'string') return m;
  }
  try {
    return StringCtor(e);
  } catch {
    return '<unprintable>';
  }
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
}

function num(n: number): EValue {
  if (n !== n) return { $: 'num', v: 'NaN' };
  if (n === Infinity) return { $: 'num', v: 'Infinity' };
  if (n === -Infinity) return { $: 'num', v: '-Infinity' };
  if (n === 0 && 1 / n < 0) return { $: 'num', v: '-0' };
  return n;
}

/** An accessor property, never run: differs from every data property's encoding. */
function accessor(d: PropertyDescriptor): EValue {
  return { $: 'repr', cls: 'accessor', v: d.get ? `[Getter${d.set ? '/Setter' : ''}]` : '[Setter]' };
}

class Encoder {
  private nodes = 0;
  private readonly ancestors = new MapCtor<object, number>();
  private depth = 0;
  private readonly maxDepth: number;
  constructor(private readonly o: EncodeOptions) {
    this.maxDepth = o.maxDepth ?? 1000;
  }

  private tick(): boolean {
    this.nodes++;
    if (this.nodes > this.o.maxNodes) {
      if (this.o.preview) return false;
      throw new TooLarge();
    }
    return true;
  }

  encode(v: unknown): EValue {
    if (!this.tick()) return { $: 'truncated' };
    switch (typeof v) {
      case 'undefined':
        return { $: 'undefined' };
      case 'boolean':
        return v;
      case 'string':
        return v;
      case 'number':
        return num(v);
      case 'bigint':
        return { $: 'bigint', v: bigintToString(v) };
      case 'symbol':
        return { $: 'symbol', v: symbolDescription(v) ?? '' };
      case 'function': {
        const d = getDesc(v, 'name');
        return { $: 'opaque', kind: 'function', why: `function ${d && 'value' in d ? StringCtor(d.value) : ''}`.trim() };
      }
      case 'object':
        break; // null and objects: below
    }
    if (v === null) return null;
    const obj = v as object;
    if (isProxy(obj)) return { $: 'opaque', kind: 'Proxy', why: 'a Proxy can report anything' };
    const seenAt = mapGet(this.ancestors, obj) as number | undefined;
    if (seenAt !== undefined) return { $: 'cycle', up: this.depth - seenAt };
    if (this.depth >= this.maxDepth) return this.o.preview ? { $: 'truncated' } : { $: 'opaque', kind: 'depth', why: `nested deeper than ${this.maxDepth}` };
    mapSet(this.ancestors, obj, this.depth);
    this.depth++;
    try {
      return this.container(obj);
    } finally {
      this.depth--;
      mapDelete(this.ancestors, obj);
    }
  }

  private items(get: (i: number) => unknown, n: number, out: EValue[]): void {
    for (let i = 0; i < n; i++) {
      if (this.o.preview && this.nodes >= this.o.maxNodes) {
        out.push({ $: 'truncated', count: n - i });
        return;
      }
      out.push(this.encode(get(i)));
    }
  }

  /**
   * Own properties a builtin value does not normally have (an array's `sum`, a Map's `cache`, an
   * error's `code`), encoded without running getters. Indices are skipped when `indexed` (arrays,
   * typed arrays, String objects). With `hidden`, non-enumerable (`[[hidden]] name`) and
   * symbol-keyed (`[[symbol]] description`) properties count too: state a program hides on a value.
   */
  private extras(obj: object, indexed: boolean, hidden = false, onlyHidden = false): Array<[string, EValue]> {
    const out: Array<[string, EValue]> = [];
    const array = isArray(obj);
    for (const key of ownKeys(obj)) {
      let name: string;
      if (typeof key === 'symbol') {
        if (!hidden) continue;
        name = `[[symbol]] ${symbolDescription(key) ?? ''}`;
      } else {
        if ((indexed && isIndexKey(key)) || (array && key === 'length')) continue;
        name = key;
      }
      const d = getDesc(obj, key);
      if (!d) continue;
      if (!d.enumerable) {
        if (!hidden) continue;
        if (typeof key === 'string') name = `[[hidden]] ${key}`;
      } else if (onlyHidden && typeof key === 'string') continue;
      out.push([name, 'value' in d ? this.encode(d.value) : accessor(d)]);
    }
    return out;
  }

  /**
   * A builtin value that is not exactly the builtin (another prototype, or extra own
   * properties): `{$:'object', cls:'Array:Stack', v:[['[[value]]', base], ...extras]}`. The
   * class part is the kind, then `:` and the prototype's class when that is not the builtin's
   * own; no identifier contains ':' or '[[', so this never equals an ordinary object.
   */
  private exact(kind: string, obj: object, standard: object, base: EValue, indexed: boolean, expectedKeys = 0, hidden = false): EValue {
    const proto = getProto(obj) as object | null;
    // Cheap common case: no own keys beyond what the builtin has.
    const keys = ownKeys(obj).length;
    const extras = keys > expectedKeys ? this.extras(obj, indexed, hidden) : [];
    if (proto === standard && extras.length === 0) return base;
    const cls = proto === standard ? kind : `${kind}:${proto === null ? 'null' : (className(obj) ?? 'Object')}`;
    return { $: 'object', cls, v: [['[[value]]', base], ...extras] };
  }

  private container(obj: object): EValue {
    if (isArray(obj)) return this.array(obj as unknown[]);
    return this.builtin(obj);
  }

  private array(arr: unknown[]): EValue {
    {
      const n = arr.length;
      const out: EValue[] = [];
      let present = 0;
      for (let i = 0; i < n; i++) {
        if (this.o.preview && this.nodes >= this.o.maxNodes) {
          out.push({ $: 'truncated', count: n - i });
          break;
        }
        const d = getDesc(arr, i);
        if (!d) {
          this.tick();
          out.push({ $: 'hole' });
          continue;
        }
        present++;
        if ('value' in d) out.push(this.encode(d.value));
        else {
          this.tick();
          out.push(accessor(d));
        }
      }
      if (this.o.preview) return out;
      // Small arrays: counting own keys is cheaper than inspect.
      if (getProto(arr) === ArrayProto && (n <= 64 ? ownKeys(arr).length === present + 1 : !arrayMayHaveExtras(arr))) return out;
      // Own keys: the present indices and `length`; anything more is an extra property.
      return this.exact('Array', arr, ArrayProto, out, true, present + 1, true);
    }
  }

  private builtin(obj: object): EValue {
    if (isTypedArray(obj)) {
      const ta = obj as unknown as ArrayLike<number | bigint>;
      const out: EValue[] = [];
      this.items((i) => ta[i], typedLength(ta), out);
      const n = typedLength(ta);
      const base: EValue = { $: 'typed', cls: className(obj) ?? typedTag(obj) ?? 'TypedArray', v: out };
      return typedMayHaveExtras(obj, n) ? this.exact('TypedArray', obj, getProto(obj) as object, base, true, n) : base;
    }
    if (isMap(obj)) {
      const out: Array<[EValue, EValue]> = [];
      const it = mapEntries(obj);
      for (let r = mapIterNext(it); !r.done; r = mapIterNext(it)) {
        if (this.o.preview && this.nodes >= this.o.maxNodes) {
          out.push([{ $: 'truncated' }, { $: 'truncated' }]);
          break;
        }
        out.push([this.encode(r.value[0]), this.encode(r.value[1])]);
      }
      const cls = className(obj);
      return this.exact('Map', obj, getProto(obj) as object, cls && cls !== 'Map' ? { $: 'map', cls, v: out } : { $: 'map', v: out }, false);
    }
    if (isSet(obj)) {
      const out: EValue[] = [];
      const it = setValues(obj);
      for (let r = setIterNext(it); !r.done; r = setIterNext(it)) {
        if (this.o.preview && this.nodes >= this.o.maxNodes) {
          out.push({ $: 'truncated' });
          break;
        }
        out.push(this.encode(r.value));
      }
      const cls = className(obj);
      return this.exact('Set', obj, getProto(obj) as object, cls && cls !== 'Set' ? { $: 'set', cls, v: out } : { $: 'set', v: out }, false);
    }
    if (isDate(obj)) {
      const t = dateGetTime(obj as Date);
      // The harness's fixed-clock Date class is named Date too.
      const cls = className(obj);
      return this.exact(
        'Date',
        obj,
        getProto(obj) as object,
        cls && cls !== 'Date' ? { $: 'date', cls, v: t === t ? t : null } : { $: 'date', v: t === t ? t : null },
        false,
      );
    }
    if (isRegExp(obj)) return this.exact('RegExp', obj, RegExpProto, { $: 'regexp', source: regexpSource(obj), flags: regexpFlags(obj) }, false);
    if (isArrayBuffer(obj) || isSharedArrayBuffer(obj)) {
      const n = bufferByteLength(obj);
      if (!this.chargeBytes(n)) return { $: 'truncated' };
      const base: EValue = { $: 'bytes', cls: isSharedArrayBuffer(obj) ? 'SharedArrayBuffer' : 'ArrayBuffer', v: hex(new U8(obj as ArrayBuffer)) };
      return isSharedArrayBuffer(obj)
        ? this.exact('SharedArrayBuffer', obj, getProto(obj) as object, base, false)
        : this.exact('ArrayBuffer', obj, ArrayBufferProto, base, false);
    }
    if (isDataView(obj)) {
      const n = dataViewLength(obj as DataView);
      if (!this.chargeBytes(n)) return { $: 'truncated' };
      return this.exact(
        'DataView',
        obj,
        DataViewProto,
        { $: 'bytes', cls: 'DataView', v: hex(new U8(dataViewBuffer(obj as DataView), dataViewOffset(obj as DataView), n)) },
        false,
      );
    }
    // An error's class is in its tag (subclasses included); extra own properties (code, ...) are not.
    if (isNativeError(obj)) return this.exact('Error', obj, getProto(obj) as object, { $: 'error', cls: thrownType(obj), message: thrownMessage(obj) }, false);
    if (isBoxedPrimitive(obj)) {
      const cls = isNumberObject(obj)
        ? 'Number'
        : isStringObject(obj)
          ? 'String'
          : isBooleanObject(obj)
            ? 'Boolean'
            : isBigIntObject(obj)
              ? 'BigInt'
              : 'Symbol';
      const inner = isNumberObject(obj)
        ? StringCtor(numberValueOf(obj as number))
        : isStringObject(obj)
          ? stringify(stringValueOf(obj as string))
          : isBooleanObject(obj)
            ? StringCtor(booleanValueOf(obj as boolean))
            : isBigIntObject(obj)
              ? bigintToString(bigintValueOf(obj as bigint)) + 'n'
              : isSymbolObject(obj)
                ? 'symbol'
                : '';
      const standard = isNumberObject(obj)
        ? NumberProto
        : isStringObject(obj)
          ? StringProto
          : isBooleanObject(obj)
            ? BooleanProto
            : isBigIntObject(obj)
              ? BigIntProto
              : SymbolProto;
      return this.exact(cls, obj, standard, { $: 'repr', cls, v: `[${cls}: ${inner}]` }, isStringObject(obj));
    }
    if (isPromise(obj)) return { $: 'opaque', kind: 'Promise', why: 'a pending value cannot be compared' };
    if (isWeakMap(obj) || isWeakSet(obj)) return { $: 'opaque', kind: isWeakMap(obj) ? 'WeakMap' : 'WeakSet', why: 'contents are not observable' };
    if (isGeneratorObject(obj) || isMapIterator(obj) || isSetIterator(obj)) return { $: 'opaque', kind: 'iterator', why: 'reading it would consume it' };
    if (isModuleNamespaceObject(obj)) return { $: 'opaque', kind: 'module', why: 'module namespace' };
    const tag = objectToString(obj);
    if (tag === '[object WeakRef]' || tag === '[object FinalizationRegistry]')
      return { $: 'opaque', kind: tag.slice(8, -1), why: 'contents are not observable' };
    // Plain object or class instance: own enumerable string-keyed fields, getters not run.
    const fields: Array<[string, EValue]> = [];
    for (const key of ownKeys(obj)) {
      if (typeof key !== 'string') continue;
      const d = getDesc(obj, key);
      if (!d || !d.enumerable) continue;
      if (this.o.preview && this.nodes >= this.o.maxNodes) {
        fields.push(['…', { $: 'truncated' }]);
        break;
      }
      fields.push([key, 'value' in d ? this.encode(d.value) : accessor(d)]);
    }
    // Non-enumerable and symbol-keyed own properties: state hidden on a result or an argument.
    if (!this.o.preview && ownKeys(obj).length > fields.length) {
      for (const e of this.extras(obj, false, true, true)) fields.push(e);
    }
    const cls = className(obj);
    return cls ? { $: 'object', cls, v: fields } : { $: 'object', v: fields };
  }

  private chargeBytes(n: number): boolean {
    this.nodes += Math.floor(n / 8);
    if (this.nodes > this.o.maxNodes) {
      if (this.o.preview) return false;
      throw new TooLarge();
    }
    return true;
  }
}

/** Encodes a value; too large → opaque (or truncated in preview mode). */
export function encodeValue(v: unknown, options: EncodeOptions): EValue {
  try {
    return new Encoder(options).encode(v);
  } catch (err) {
    if (err instanceof TooLarge) return { $: 'opaque', kind: 'size', why: `larger than ${options.maxNodes} nodes` };
    if (err instanceof RangeError) return { $: 'opaque', kind: 'depth', why: 'nested too deeply to capture' };
    throw err;
  }
}

/** Items of a returned generator or iterator, up to `cap` (consuming it is what a caller would do). */
export function drainIterator(it: { next: () => IteratorResult<unknown> }, cap: number): { items: unknown[]; more: boolean } {
  const items: unknown[] = [];
  for (;;) {
    if (items.length >= cap) return { items, more: !it.next().done };
    const r = it.next();
    if (r.done) return { items, more: false };
    items.push(r.value);
  }
}

/** `Generator`, `Map Iterator`, `Array Iterator`, ...: the kind of a returned iterator. */
export function iteratorTag(v: object): string {
  return objectToString(v).slice(8, -1);
}

export function isIterator(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || isProxy(v)) return false;
  if (isGeneratorObject(v) || isMapIterator(v) || isSetIterator(v)) return true;
  return / Iterator\]$/.test(objectToString(v));
}

// ---- deep clone that keeps prototypes (fresh arguments for every timed call) ----

export function deepClone<T>(v: T, seen = new MapCtor<object, unknown>()): T {
  if (v === null || typeof v !== 'object') return v;
  const obj = v as unknown as object;
  if (mapHas(seen, obj)) return mapGet(seen, obj) as T;
  if (isProxy(obj) || isPromise(obj) || isWeakMap(obj) || isWeakSet(obj)) return v;
  if (isArray(obj)) {
    const src = obj as unknown[];
    // Filled in order from an empty literal: a packed source stays packed (same elements kind
    // as the original, so the code under test sees the same shapes and JIT feedback).
    const out: unknown[] = [];
    mapSet(seen, obj, out);
    if (getProto(src) !== Array.prototype) setProto(out, getProto(src));
    const n = src.length;
    for (let i = 0; i < n; i++) if (hasOwn(src, i)) out[i] = deepClone(src[i], seen);
    if (out.length !== n) out.length = n;
    return out as T;
  }
  if (isTypedArray(obj)) {
    const ta = obj as unknown as { slice: () => object };
    const out = ReflectApply(getDesc(TypedArrayProto, 'slice')!.value as () => object, ta, []);
    mapSet(seen, obj, out);
    return out as T;
  }
  if (isArrayBuffer(obj)) {
    const out = arraySlice(obj, 0, bufferByteLength(obj));
    mapSet(seen, obj, out);
    return out as T;
  }
  if (isDataView(obj)) {
    const dv = obj as DataView;
    const out = new DataViewCtor(deepClone(dataViewBuffer(dv), seen), dataViewOffset(dv), dataViewLength(dv));
    mapSet(seen, obj, out);
    return out as T;
  }
  if (isMap(obj)) {
    const out = new MapCtor();
    mapSet(seen, obj, out);
    setProto(out, getProto(obj));
    const it = mapEntries(obj);
    for (let r = mapIterNext(it); !r.done; r = mapIterNext(it)) mapSet(out, deepClone(r.value[0], seen), deepClone(r.value[1], seen));
    return out as T;
  }
  if (isSet(obj)) {
    const out = new SetCtor();
    mapSet(seen, obj, out);
    setProto(out, getProto(obj));
    const it = setValues(obj);
    for (let r = setIterNext(it); !r.done; r = setIterNext(it)) setAdd(out, deepClone(r.value, seen));
    return out as T;
  }
  if (isDate(obj)) {
    const out = new DateCtor(dateGetTime(obj as Date));
    setProto(out, getProto(obj));
    return out as T;
  }
  if (isRegExp(obj)) return new RegExpCtor(regexpSource(obj), regexpFlags(obj)) as T;
  if (isNativeError(obj) || isBoxedPrimitive(obj) || isGeneratorObject(obj)) return v;
  const out = create(getProto(obj) as object | null) as Record<PropertyKey, unknown>;
  mapSet(seen, obj, out);
  for (const key of ownKeys(obj)) {
    const d = getDesc(obj, key)!;
    if ('value' in d) d.value = deepClone(d.value, seen);
    defineProperty(out, key, d);
  }
  return out as T;
}

/**
 * Value nodes in `v` as deepClone copies them (every value, Map/Set entries, 1 per 8 bytes of
 * binary data), counted up to `limit` (then `limit` is returned): the cost of one fresh copy.
 */
export function countNodes(v: unknown, limit: number): number {
  let n = 0;
  const seen = new SetCtor<object>();
  const stack: unknown[] = [v];
  while (stack.length > 0 && n < limit) {
    const x = stack.pop();
    n++;
    if (x === null || typeof x !== 'object') continue;
    const obj = x as object;
    if (setHas(seen, obj)) continue;
    setAdd(seen, obj);
    if (isProxy(obj) || isPromise(obj) || isWeakMap(obj) || isWeakSet(obj) || isNativeError(obj) || isBoxedPrimitive(obj) || isGeneratorObject(obj)) continue;
    if (isArray(obj)) {
      const a = obj as unknown[];
      for (let i = 0; i < a.length && n + stack.length < limit; i++) if (hasOwn(a, i)) stack.push(a[i]);
    } else if (isTypedArray(obj)) n += Math.floor(typedLength(obj) / 8);
    else if (isArrayBuffer(obj)) n += Math.floor(bufferByteLength(obj) / 8);
    else if (isDataView(obj)) n += Math.floor(dataViewLength(obj as DataView) / 8);
    else if (isMap(obj)) {
      const it = mapEntries(obj);
      for (let r = mapIterNext(it); !r.done && n + stack.length < limit; r = mapIterNext(it)) stack.push(r.value[0], r.value[1]);
    } else if (isSet(obj)) {
      const it = setValues(obj);
      for (let r = setIterNext(it); !r.done && n + stack.length < limit; r = setIterNext(it)) stack.push(r.value);
    } else if (!isDate(obj) && !isRegExp(obj)) {
      for (const key of ownKeys(obj)) {
        const d = getDesc(obj, key);
        if (d && 'value' in d) stack.push(d.value);
      }
    }
  }
  return n < limit ? n : limit;
}

// ---- builtins tamper detection ----

type Snapshot = Array<{ name: string; obj: object; props: Map<PropertyKey, [unknown, unknown, unknown]>; strict: boolean; only?: PropertyKey[] }>;

const WATCHED: Array<[string, object, boolean, PropertyKey[]?]> = [
  ['Object', Object, true],
  ['Object.prototype', Object.prototype, true],
  ['Array', Array, true],
  ['Array.prototype', Array.prototype, true],
  ['Function.prototype', Function.prototype, true],
  ['String', String, true],
  ['String.prototype', String.prototype, true],
  ['Number', Number, true],
  ['Number.prototype', Number.prototype, true],
  ['Boolean.prototype', Boolean.prototype, true],
  ['BigInt.prototype', BigInt.prototype, true],
  ['Symbol', Symbol, true],
  ['Math', Math, true],
  ['JSON', JSON, true],
  ['Reflect', Reflect, true],
  ['Map.prototype', Map.prototype, true],
  ['Set.prototype', Set.prototype, true],
  ['Promise', Promise, true],
  ['Promise.prototype', Promise.prototype, true],
  ['RegExp.prototype', RegExp.prototype, true],
  ['Date.prototype', Date.prototype, true],
  ['Error.prototype', Error.prototype, true],
  ['TypedArray.prototype', TypedArrayProto, true],
  ['ArrayIterator.prototype', getProto([][Symbol.iterator]()) as object, true],
  // New globals are allowed (module-level caches); replacing existing ones is not.
  ['globalThis', globalThis, false],
];

/**
 * Watches one more object (a wrapped module such as fs or net) in every later snapshot; with
 * `only`, just those properties of it (`process`: hrtime, env, ... but not exitCode).
 */
export function watchBuiltin(name: string, obj: object, strict = true, only?: PropertyKey[]): void {
  WATCHED.push(only ? [name, obj, strict, only] : [name, obj, strict]);
}

export function snapshotBuiltins(): Snapshot {
  return WATCHED.map(([name, obj, strict, only]) => {
    const props = new MapCtor<PropertyKey, [unknown, unknown, unknown]>();
    for (const key of only ?? ownKeys(obj)) {
      const d = getDesc(obj, key);
      if (d) props.set(key, [d.value, d.get, d.set]);
    }
    return only ? { name, obj, props, strict, only } : { name, obj, props, strict };
  });
}

/** Names of builtins changed since the snapshot (`Array.prototype.map`, `JSON.stringify`, `+Array.prototype.x`). */
export function changedBuiltins(snapshot: Snapshot): string[] {
  const changed: string[] = [];
  for (const { name, obj, props, strict, only } of snapshot) {
    const label = (k: PropertyKey): string => `${name}.${typeof k === 'symbol' ? `[${symbolDescription(k)}]` : k}`;
    if (only) {
      for (const key of only) {
        const d = getDesc(obj, key);
        const before = props.get(key);
        if (!before) {
          if (d) changed.push(`+${label(key)}`);
        } else if (!d) changed.push(`-${label(key)}`);
        else if (d.value !== before[0] || d.get !== before[1] || d.set !== before[2]) changed.push(label(key));
      }
      continue;
    }
    const keys = ownKeys(obj);
    for (const key of keys) {
      const d = getDesc(obj, key);
      const before = props.get(key);
      if (!before) {
        if (strict) changed.push(`+${label(key)}`);
        continue;
      }
      if (!d || d.value !== before[0] || d.get !== before[1] || d.set !== before[2]) {
        // NaN-valued properties (Number.NaN) compare unequal to themselves.
        if (d && typeof d.value === 'number' && typeof before[0] === 'number' && d.value !== d.value && before[0] !== before[0]) continue;
        changed.push(label(key));
      }
    }
    if (keys.length < props.size) {
      for (const key of props.keys()) if (!getDesc(obj, key)) changed.push(`-${label(key)}`);
    }
    if (changed.length > 20) break;
  }
  return changed;
}

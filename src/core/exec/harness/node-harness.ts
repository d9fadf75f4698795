// The Node sandbox harness: runs inside a sandboxed child process (dist/harness/node.js), loads
// programs (module source + entry), builds inputs from generators and assertion expressions,
// calls and times functions, and answers effopt over the protocol in ../protocol.ts.
// Everything it relies on is captured at start-up, before code under test runs.
import * as fs from 'node:fs';
import * as vm from 'node:vm';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { types } from 'node:util';
import { Bench } from 'tinybench';
import { PROTOCOL_VERSION, type HarnessConfig, type InputRef, type Request, type CallResult, type CallStatus, type ThrownInfo } from '../protocol';
import type { EValue } from '../values';
import { changedBuiltins, deepClone, drainIterator, encodeValue, isIterator, iteratorTag, snapshotBuiltins, thrownMessage, thrownType } from './encode';
import { privateNames } from './private-names';
import { seededRandom } from './prng';

// ---- intrinsics captured before any code under test runs ----
const writeSync = fs.writeSync;
const parseJson = JSON.parse;
const stringifyPrimitive = JSON.stringify;
const hrtime = process.hrtime.bigint;
const ReflectApply = Reflect.apply;
const ObjectKeys = Object.keys;
const isArray = Array.isArray;
const NumberCtor = Number;
const StringCtor = String;
const PromiseRace = Promise.race.bind(Promise);
const BufferFrom = Buffer.from.bind(Buffer);
const byteLength = Buffer.byteLength.bind(Buffer);
const setTimeoutReal = setTimeout;
const clearTimeoutReal = clearTimeout;
const RealDate = Date;
const realExit = (process as unknown as { reallyExit: (code: number) => never }).reallyExit.bind(process);
const { isPromise, isAsyncFunction } = types;
const gcFn = (globalThis as { gc?: () => void }).gc;
const ObjectCreate = Object.create;
const defineProperty = Object.defineProperty;
const getOwnDescriptor = Object.getOwnPropertyDescriptor;
const getPrototypeOf = Object.getPrototypeOf;
const ReflectOwnKeys = Reflect.ownKeys;
const isPrototypeOf = (proto: object, v: object): boolean => ReflectApply(Object.prototype.isPrototypeOf, proto, [v]) as boolean;
const functionSource = (f: unknown): string => ReflectApply(Function.prototype.toString, f, []) as string;
/** Prototypes of builtins whose instances carry internal slots that only their constructor creates. */
const SLOTTED_PROTOS: Array<[string, object]> = [
  ['Map', Map.prototype],
  ['Set', Set.prototype],
  ['WeakMap', WeakMap.prototype],
  ['WeakSet', WeakSet.prototype],
  ['Array', Array.prototype],
  ['Date', Date.prototype],
  ['RegExp', RegExp.prototype],
  ['Promise', Promise.prototype],
  ['ArrayBuffer', ArrayBuffer.prototype],
  ['DataView', DataView.prototype],
  ['TypedArray', getPrototypeOf(Uint8Array.prototype) as object],
];


// ---- protocol output: a JSON writer that consults no toJSON and no prototype ----
function toJson(v: unknown, out: string[]): void {
  if (v === null || v === undefined) {
    out.push('null');
    return;
  }
  switch (typeof v) {
    case 'string':
      out.push(stringifyPrimitive(v));
      return;
    case 'number':
      out.push(v === v && v !== Infinity && v !== -Infinity ? StringCtor(v) : 'null');
      return;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      out.push('null');
      return;
  }
  if (isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i) out.push(',');
      toJson(v[i], out);
    }
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  for (const k of ObjectKeys(v as object)) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(stringifyPrimitive(k), ':');
    toJson(x, out);
  }
  out.push('}');
}

function send(msg: unknown): void {
  const parts: string[] = [];
  toJson(msg, parts);
  parts.push('\n');
  const buf = BufferFrom(parts.join(''), 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(3, buf, off, buf.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
    }
  }
}

// ---- output capture: what the code under test prints ----
class OutputLimitExceeded extends Error {
  override name = 'OutputLimitExceeded';
}

interface Capture {
  parts: string[];
  bytes: number;
  limit: number;
  overflow: boolean;
  /** Count only (timing loops). */
  sink: boolean;
}

const idleCapture = (): Capture => ({ parts: [], bytes: 0, limit: 1 << 20, overflow: false, sink: true });
let capture: Capture = idleCapture();

function captureWrite(chunk: unknown): void {
  const s = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? BufferFrom(chunk).toString('utf8') : StringCtor(chunk);
  capture.bytes += byteLength(s);
  if (capture.sink) return;
  if (capture.bytes > capture.limit) {
    capture.overflow = true;
    throw new OutputLimitExceeded(`printed more than ${capture.limit} bytes`);
  }
  capture.parts.push(s);
}

function patchedWrite(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
  captureWrite(chunk);
  if (typeof encoding === 'function') (encoding as () => void)();
  else if (typeof cb === 'function') (cb as () => void)();
  return true;
}
process.stdout.write = patchedWrite as typeof process.stdout.write;
// stderr is not compared: counted and dropped.
process.stderr.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
  if (typeof encoding === 'function') (encoding as () => void)();
  else if (typeof cb === 'function') (cb as () => void)();
  void chunk;
  return true;
}) as typeof process.stderr.write;

function beginCapture(limit: number, sink = false): void {
  capture = { parts: [], bytes: 0, limit, overflow: false, sink };
}

function endCapture(): Capture {
  const c = capture;
  capture = idleCapture();
  return c;
}

// ---- process control: exit becomes an outcome, signals to other processes are refused ----
class ExitRequest {
  constructor(readonly code: number) {}
}
process.exit = ((code?: number | string | null) => {
  throw new ExitRequest(NumberCtor(code ?? process.exitCode ?? 0) || 0);
}) as typeof process.exit;
(process as unknown as { reallyExit: (code?: number) => never }).reallyExit = ((code?: number) => {
  throw new ExitRequest(NumberCtor(code ?? 0) || 0);
}) as never;
const realKill = process.kill.bind(process);
process.kill = ((pid: number, signal?: string | number) => {
  if (pid !== process.pid) throw new Error('process.kill of another process is not allowed in the effopt sandbox');
  return realKill(pid, signal);
}) as typeof process.kill;
const backgroundErrors: string[] = [];
process.on('uncaughtException', (err) => {
  if (backgroundErrors.length < 10) backgroundErrors.push(`${thrownType(err)}: ${thrownMessage(err)}`);
});
process.on('unhandledRejection', (err) => {
  if (backgroundErrors.length < 10) backgroundErrors.push(`unhandled rejection ${thrownType(err)}: ${thrownMessage(err)}`);
});

// ---- determinism: seeded Math.random, optional fixed clock ----
let random = seededRandom(1);
Object.defineProperty(Math, 'random', { value: () => random(), writable: true, configurable: true, enumerable: false });
function reseed(seed: number): void {
  random = seededRandom(seed);
}

function installFixedClock(ms: number): void {
  class FixedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(ms);
      else super(...(args as [number]));
    }
    static override now(): number {
      return ms;
    }
  }
  Object.defineProperty(FixedDate, 'name', { value: 'Date' });
  (globalThis as { Date: DateConstructor }).Date = FixedDate as unknown as DateConstructor;
}

// ---- guarded execution: vm's timeout stops synchronous code without killing the process ----
const CALL_KEY = `__effopt_call_${Math.floor(Math.random() * 1e9).toString(36)}`;
const callHolder: { thunk: (() => unknown) | undefined } = { thunk: undefined };
Object.defineProperty(globalThis, CALL_KEY, { value: callHolder, enumerable: false, writable: false, configurable: false });
const callScript = new vm.Script(`globalThis[${stringifyPrimitive(CALL_KEY)}].thunk()`, { filename: 'effopt-harness' });

class GuardTimeout extends Error {}

function runGuarded<T>(thunk: () => T, timeoutMs: number): T {
  callHolder.thunk = thunk;
  const started = hrtime();
  try {
    return callScript.runInThisContext(timeoutMs > 0 ? { timeout: Math.max(1, Math.round(timeoutMs)) } : {}) as T;
  } catch (err) {
    const elapsedMs = NumberCtor(hrtime() - started) / 1e6;
    if ((err as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' && timeoutMs > 0 && elapsedMs >= timeoutMs * 0.9) throw new GuardTimeout();
    throw err;
  } finally {
    callHolder.thunk = undefined;
  }
}

function settle<T>(p: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeoutReal(() => reject(new GuardTimeout()), Math.max(1, timeoutMs));
  });
  return PromiseRace([p, limit]).finally(() => clearTimeoutReal(timer)) as Promise<T>;
}

// ---- programs and inputs ----
interface Program {
  key: string;
  fn: (...args: unknown[]) => unknown;
  self: unknown;
  /** For an instance method: the prototype its receivers are built on (argument 0 of every case is the receiver). */
  receiver?: object;
  scope: (src: string) => unknown;
  async: boolean;
  inputs: Map<string, unknown[][]>;
  loops: Map<string, TimingLoop>;
}

const programs = new Map<string, Program>();
let config: HarnessConfig = { seed: 1, fixedClockMs: null, stdoutLimit: 1 << 20, maxNodes: 2_000_000, iterCap: 10_000, maxCasesPerGenerator: 64, memoryMb: 0, importPaths: [] };
let baseline = snapshotBuiltins();

class RequestError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function program(key: string): Program {
  const p = programs.get(key);
  if (!p) throw new RequestError('UnknownProgram', `no program "${key}" is loaded`);
  return p;
}

function input(p: Program, ref: InputRef): unknown[] {
  const set = p.inputs.get(ref.set);
  if (!set) throw new RequestError('UnknownInput', `program "${p.key}" has no input set "${ref.set}"`);
  const args = set[ref.index];
  if (!args) throw new RequestError('UnknownInput', `input set "${ref.set}" has no case ${ref.index}`);
  return args;
}

function thrown(e: unknown): ThrownInfo {
  const info: ThrownInfo = { type: thrownType(e), message: thrownMessage(e).slice(0, 2000) };
  if (e !== null && typeof e === 'object' && !types.isProxy(e)) {
    const d = Object.getOwnPropertyDescriptor(e, 'stack');
    if (d && typeof d.value === 'string') info.stack = d.value.split('\n').slice(0, 12).join('\n');
  }
  return info;
}

// `f`, `Class.staticMethod`, `obj.method`, or `Class.prototype.method` (an instance method).
const ENTRY = /^([A-Za-z_$][\w$]*)(?:(\.prototype)?\.([A-Za-z_$][\w$]*))?$/;

/** Why instances of this class cannot be rebuilt from their fields alone, or undefined when they can. */
function unbuildable(cls: unknown, proto: object, entry: string): string | undefined {
  for (let p = getPrototypeOf(proto) as object | null; p !== null; p = getPrototypeOf(p) as object | null) {
    for (const [name, builtin] of SLOTTED_PROTOS) {
      if (p === builtin) return `${entry} is an instance method of a class that extends ${name}: effopt cannot build such an instance without running its constructor`;
    }
  }
  // Private fields exist only on instances the constructor made: a receiver built from fields has none.
  for (let c = cls; typeof c === 'function' && c !== Function.prototype; c = getPrototypeOf(c)) {
    let text: string;
    try {
      text = functionSource(c);
    } catch {
      break;
    }
    const found = privateNames(text);
    if (found.length > 0) {
      const name = typeof (c as { name?: unknown }).name === 'string' && (c as { name: string }).name ? (c as { name: string }).name : 'its class';
      return `${entry} is an instance method and ${name} has #private members (${found.slice(0, 3).join(', ')}): effopt builds the instance without running the constructor, so private fields cannot be set up; make them ordinary fields (or _-prefixed) to optimize this method`;
    }
  }
  return undefined;
}

/**
 * The receiver for one case of an instance method: a fresh object on the class's prototype with
 * the state's own fields, defined (not assigned: no setter of the class runs). An object that is
 * already an instance of the class is used as it is.
 */
function buildReceiver(proto: object, state: unknown, what: string, errorType: string): object {
  if (state !== null && typeof state === 'object' && isPrototypeOf(proto, state)) return state;
  if (state === null || typeof state !== 'object' || isArray(state)) {
    const got = state === null ? 'null' : isArray(state) ? 'an array' : typeof state;
    throw new RequestError(errorType, `${what}: the first element must be the instance's state (an object of its fields) for an instance method, got ${got}`);
  }
  const obj = ObjectCreate(proto) as object;
  for (const key of ReflectOwnKeys(state)) {
    const d = getOwnDescriptor(state, key);
    if (d && d.enumerable) defineProperty(obj, key, d);
  }
  return obj;
}

function withReceivers(p: Program, cases: unknown[][], what: (i: number) => string, errorType: string): unknown[][] {
  const proto = p.receiver;
  if (!proto) return cases;
  return cases.map((args, i) => {
    if (args.length === 0) throw new RequestError(errorType, `${what(i)}: an instance method's argument list starts with the instance's state, and this one is empty`);
    const out: unknown[] = [buildReceiver(proto, args[0], what(i), errorType)];
    for (let k = 1; k < args.length; k++) out.push(args[k]);
    return out;
  });
}

function load(req: Extract<Request, { op: 'load' }>): unknown {
  const m = ENTRY.exec(req.entry);
  if (!m) throw new RequestError('BadEntry', `entry "${req.entry}" is not a function name, Class.staticMethod or Class.prototype.method`);
  const require = createRequire(req.filename);
  const module = { exports: {} as Record<string, unknown>, require, id: req.filename, filename: req.filename, loaded: false, children: [], paths: require.resolve.paths('x') ?? [] };
  const hook: { scope?: (src: string) => unknown } = {};
  let wrapper: (...a: unknown[]) => unknown;
  try {
    wrapper = vm.compileFunction(`${req.source}\n;__effopt_hook__.scope = (__effopt_src__) => eval(__effopt_src__);`, ['exports', 'require', 'module', '__filename', '__dirname', '__effopt_hook__'], { filename: req.filename }) as (...a: unknown[]) => unknown;
  } catch (err) {
    throw new RequestError('LoadError', `does not compile: ${thrownType(err)}: ${thrownMessage(err)}`);
  }
  beginCapture(config.stdoutLimit);
  try {
    runGuarded(() => ReflectApply(wrapper, module.exports, [module.exports, require, module, req.filename, dirname(req.filename), hook]), 10_000);
  } catch (err) {
    endCapture();
    if (err instanceof GuardTimeout) throw new RequestError('LoadError', 'module top-level code did not finish within 10 s');
    if (err instanceof ExitRequest) throw new RequestError('LoadError', `module top-level code called process.exit(${err.code})`);
    throw new RequestError('LoadError', `module top-level code threw ${thrownType(err)}: ${thrownMessage(err)}`);
  }
  const printed = endCapture();
  module.loaded = true;
  const scope = hook.scope;
  if (!scope) throw new RequestError('LoadError', 'module returned before its end (top-level return?)');
  const lookup = (name: string): unknown => {
    try {
      return scope(name);
    } catch {
      return module.exports[name];
    }
  };
  const head = lookup(m[1]);
  let fn: unknown = head;
  let self: unknown;
  let receiver: object | undefined;
  if (m[3]) {
    if (typeof head !== 'function' && (head === null || typeof head !== 'object')) throw new RequestError('LoadError', `"${m[1]}" is not defined in the module`);
    const own = m[2] ? undefined : getOwnDescriptor(head, m[3]);
    const proto = typeof head === 'function' ? ((head as { prototype?: unknown }).prototype as object | undefined) : undefined;
    if (own && typeof own.value === 'function') {
      fn = own.value;
      self = head;
    } else if (!m[2] && proto !== null && typeof proto === 'object' && m[3] in proto) {
      // Explicit entries only: with `.prototype.` the caller says that argument 0 is the receiver.
      throw new RequestError('Unsupported', `${req.entry} is an instance method: load it as ${m[1]}.prototype.${m[3]}, with the instance's state as the first element of every argument list`);
    } else if (m[2] && proto !== null && typeof proto === 'object' && m[3] in proto) {
      // An instance method: read as a data property along the prototype chain (no getter runs).
      let method: unknown;
      for (let o: object | null = proto; o !== null; o = getPrototypeOf(o) as object | null) {
        const d = getOwnDescriptor(o, m[3]);
        if (d) {
          method = 'value' in d ? d.value : undefined;
          break;
        }
      }
      if (typeof method !== 'function') throw new RequestError('LoadError', `${req.entry} is not a function (an accessor or a non-function property of the prototype)`);
      const why = unbuildable(head, proto, req.entry);
      if (why) throw new RequestError('Unsupported', why);
      fn = method;
      receiver = proto;
    } else {
      // A class field (`m = (x) => …`) exists only on instances the constructor made.
      let field = false;
      try {
        field = typeof head === 'function' && new RegExp(`(^|[\\s;{}])${m[3].replace(/\$/g, '\\$')}\\s*(:[^=;]*)?=(?!=)`).test(functionSource(head));
      } catch {
        field = false;
      }
      if (field) throw new RequestError('Unsupported', `${req.entry} is a class field holding a function: it exists only on instances made by the constructor, which effopt does not run; make it a method to optimize it`);
      throw new RequestError('LoadError', `${req.entry} is not a function`);
    }
  }
  if (typeof fn !== 'function') throw new RequestError('LoadError', `"${req.entry}" is ${fn === undefined ? 'not defined in the module' : `a ${typeof fn}, not a function`}`);
  programs.set(req.program, { key: req.program, fn: fn as (...a: unknown[]) => unknown, self, receiver, scope, async: isAsyncFunction(fn), inputs: new Map(), loops: new Map() });
  return { stdout: printed.parts.join('').slice(0, 4096), tampered: changedBuiltins(baseline), ...(receiver ? { receiver: 'this' } : {}) };
}

function fingerprint(cases: unknown[][]): string {
  const parts: string[] = [];
  toJson(cases.map((args) => encodeValue(args, { maxNodes: config.maxNodes })), parts);
  return createHash('sha256').update(parts.join('')).digest('hex');
}

function preview(args: unknown[], nodes: number): EValue[] {
  const v = encodeValue(args, { maxNodes: nodes, preview: true });
  return isArray(v) ? v : [v];
}

function generate(req: Extract<Request, { op: 'generate' }>): unknown {
  const p = program(req.program);
  const started = hrtime();
  reseed(req.seed);
  const rng = seededRandom(req.seed);
  beginCapture(config.stdoutLimit, true);
  let cases: unknown;
  try {
    const gen = runGuarded(() => p.scope(`(function () {\n${req.code}\n;return typeof generate === "function" ? generate : undefined;\n})()`), req.timeoutMs);
    if (typeof gen !== 'function') throw new RequestError('GeneratorError', 'the generator code defines no function generate(rng)');
    cases = runGuarded(() => (gen as (r: () => number) => unknown)(rng), req.timeoutMs);
  } catch (err) {
    if (err instanceof RequestError) throw err;
    if (err instanceof GuardTimeout) throw new RequestError('GeneratorError', `generate(rng) did not finish within ${req.timeoutMs} ms`);
    if (err instanceof ExitRequest) throw new RequestError('GeneratorError', `generate(rng) called process.exit(${err.code})`);
    throw new RequestError('GeneratorError', `generate(rng) threw ${thrownType(err)}: ${thrownMessage(err)}`);
  } finally {
    endCapture();
  }
  send({ id: req.id, progress: 'called' });
  if (isPromise(cases)) throw new RequestError('GeneratorError', 'generate(rng) returned a Promise: it must return the cases synchronously');
  if (!isArray(cases)) throw new RequestError('GeneratorError', `generate(rng) must return an array of argument lists, got ${cases === null ? 'null' : typeof cases}`);
  for (let i = 0; i < cases.length; i++) {
    if (!isArray(cases[i])) throw new RequestError('GeneratorError', `case ${i} is not an argument list (an array of arguments), got ${typeof cases[i]}`);
  }
  if (cases.length === 0) throw new RequestError('GeneratorError', 'generate(rng) returned no cases');
  const kept = withReceivers(p, (cases as unknown[][]).slice(0, config.maxCasesPerGenerator), (i) => `case ${i}`, 'GeneratorError');
  p.inputs.set(req.set, kept);
  return {
    count: kept.length,
    fingerprint: fingerprint(kept),
    previews: kept.map((args) => preview(args, req.previewNodes)),
    droppedCases: cases.length - kept.length,
    seconds: NumberCtor(hrtime() - started) / 1e9,
  };
}

function assertion(req: Extract<Request, { op: 'assertion' }>): unknown {
  const p = program(req.program);
  reseed(config.seed);
  beginCapture(config.stdoutLimit, true);
  let args: unknown;
  let expected: unknown;
  try {
    args = runGuarded(() => p.scope(`(${req.argsExpr}\n)`), req.timeoutMs);
    expected = runGuarded(() => p.scope(`(${req.expectedExpr}\n)`), req.timeoutMs);
  } catch (err) {
    if (err instanceof GuardTimeout) throw new RequestError('AssertionError', `the expressions did not finish within ${req.timeoutMs} ms`);
    throw new RequestError('AssertionError', `evaluating the test threw ${thrownType(err)}: ${thrownMessage(err)}`);
  } finally {
    endCapture();
  }
  send({ id: req.id, progress: 'called' });
  if (!isArray(args)) throw new RequestError('AssertionError', `argsExpr must evaluate to an array of arguments, got ${args === null ? 'null' : typeof args}`);
  const built = withReceivers(p, [args], () => 'argsExpr', 'AssertionError')[0];
  p.inputs.set(req.set, [built]);
  return { fingerprint: fingerprint([built]), preview: preview(built, req.previewNodes), expected: encodeValue(expected, { maxNodes: config.maxNodes }) };
}

interface RawOutcome {
  status: CallStatus;
  value?: unknown;
  iter?: { items: unknown[]; more: boolean; cls: string };
  error?: ThrownInfo;
  exitCode?: number;
  seconds: number;
  dirty?: boolean;
  memory?: boolean;
}

/** The arguments after the receiver (built in a loop: Array.prototype may be tampered with). */
function restOf(args: unknown[]): unknown[] {
  const rest: unknown[] = [];
  for (let k = 1; k < args.length; k++) rest[k - 1] = args[k];
  return rest;
}

async function invoke(p: Program, args: unknown[], timeoutMs: number): Promise<RawOutcome> {
  const t0 = hrtime();
  const elapsedMs = (): number => NumberCtor(hrtime() - t0) / 1e6;
  const outcome = (o: Omit<RawOutcome, 'seconds'>): RawOutcome => ({ ...o, seconds: NumberCtor(hrtime() - t0) / 1e9 });
  try {
    let ret = p.receiver ? runGuarded(() => ReflectApply(p.fn, args[0], restOf(args)), timeoutMs) : runGuarded(() => ReflectApply(p.fn, p.self, args), timeoutMs);
    if (isPromise(ret)) {
      p.async = true;
      try {
        ret = await settle(ret as Promise<unknown>, Math.max(1, timeoutMs - elapsedMs()));
      } catch (err) {
        if (err instanceof GuardTimeout) return outcome({ status: 'timeout', dirty: true });
        throw err;
      }
    }
    if (isIterator(ret)) {
      const cls = iteratorTag(ret as object);
      const drained = runGuarded(() => drainIterator(ret as { next: () => IteratorResult<unknown> }, config.iterCap), Math.max(1, timeoutMs - elapsedMs()));
      return outcome({ status: 'returned', iter: { ...drained, cls } });
    }
    return outcome({ status: 'returned', value: ret });
  } catch (err) {
    if (err instanceof GuardTimeout) return outcome({ status: 'timeout' });
    if (err instanceof ExitRequest) return outcome({ status: 'exited', exitCode: err.code });
    const info = thrown(err);
    const memory = info.type === 'RangeError' && /allocation failed|Invalid (typed )?array length|Array buffer/i.test(info.message);
    return outcome({ status: 'threw', error: info, memory: memory || undefined });
  }
}

async function call(req: Extract<Request, { op: 'call' }>): Promise<CallResult> {
  const p = program(req.program);
  const args = input(p, req.input);
  const argsBefore = req.capture ? preview(args, req.previewNodes) : undefined;
  reseed(req.seed);
  beginCapture(config.stdoutLimit);
  const raw = await invoke(p, args, req.timeoutMs);
  const printed = endCapture();
  send({ id: req.id, progress: 'called' });
  const result: CallResult = {
    status: raw.status,
    stdout: printed.parts.join(''),
    stdoutOverflow: printed.overflow,
    seconds: raw.seconds,
    tampered: changedBuiltins(baseline),
  };
  if (raw.error) result.error = raw.error;
  if (raw.exitCode !== undefined) result.exitCode = raw.exitCode;
  if (raw.dirty) result.dirty = true;
  if (raw.memory) result.memory = true;
  if (req.capture) {
    const nodes = { maxNodes: config.maxNodes };
    if (raw.iter) {
      const items = encodeValue(raw.iter.items, nodes);
      result.value = isArray(items) ? { $: 'iter', cls: raw.iter.cls, v: items, more: raw.iter.more } : items;
    } else if (raw.status === 'returned') result.value = encodeValue(raw.value, nodes);
    result.argsAfter = args.map((a) => encodeValue(a, nodes));
    result.argsBefore = argsBefore;
  }
  return result;
}

/** Calls the program on the stored input itself (no copy: copies can differ in shape and skew the JIT); effopt rebuilds the input when it changed. */
async function mutates(req: Extract<Request, { op: 'mutates' }>): Promise<unknown> {
  const p = program(req.program);
  const args = input(p, req.input);
  const nodes = { maxNodes: config.maxNodes };
  const before: string[] = [];
  toJson(args.map((a) => encodeValue(a, nodes)), before);
  reseed(req.seed);
  beginCapture(config.stdoutLimit, true);
  const raw = await invoke(p, args, req.timeoutMs);
  endCapture();
  send({ id: req.id, progress: 'called' });
  const after: string[] = [];
  toJson(args.map((a) => encodeValue(a, nodes)), after);
  return { mutates: before.join('') !== after.join(''), status: raw.status };
}

type TimingLoop = (fn: unknown, self: unknown, sets: unknown[][], batch: number, hr: () => bigint, sink: { v: unknown }) => bigint | Promise<bigint>;

/**
 * A timing loop of its own for each program and arity, compiled from a unique source: its call
 * site only ever sees that program's function (monomorphic, inlinable), so no program inherits
 * JIT feedback from another one timed in the same process.
 */
function timingLoop(p: Program, arity: number): TimingLoop {
  const key = `${arity}:${p.async ? 'async' : 'sync'}`;
  const hit = p.loops.get(key);
  if (hit) return hit;
  const args = Array.from({ length: arity }, (_, i) => `a[${i}]`).join(', ');
  // An instance method's receiver is argument 0 of the case.
  const call = p.receiver ? `fn.call(${args || 'undefined'})` : p.self === undefined ? `fn(${args})` : `fn.call(self${arity ? ', ' + args : ''})`;
  // Every result is stored in sink.v (observable): the JIT cannot drop a call whose result looks unused.
  const body = `// effopt timing loop for ${stringifyPrimitive(p.key)}, arity ${arity}
return ${p.async ? 'async ' : ''}function timingLoop(fn, self, sets, batch, hr, sink) {
  const t0 = hr();
  for (let i = 0; i < batch; i++) { const a = sets[i]; sink.v = ${p.async ? 'await ' : ''}${call}; }
  return hr() - t0;
};`;
  const loop = (vm.compileFunction(body, [], { filename: `effopt-timing-loop-${p.key}-${key}` }) as () => TimingLoop)();
  p.loops.set(key, loop);
  return loop;
}

async function measure(req: Extract<Request, { op: 'measure' }>): Promise<unknown> {
  const p = program(req.program);
  const base = input(p, req.input);
  const batch = Math.max(1, Math.floor(req.batch));
  const argSets: unknown[][] = new Array(batch);
  const prepare = (): void => {
    for (let i = 0; i < batch; i++) argSets[i] = req.clone ? deepClone(base) : base;
  };
  prepare();
  if (req.gc && gcFn) gcFn();
  reseed(req.seed);
  const loop = timingLoop(p, base.length);
  const sink: { v: unknown } = { v: undefined };
  const wallStart = hrtime();
  const bench = new Bench({ time: req.budgetMs, iterations: Math.max(1, req.minIters), warmup: false, retainSamples: true, throws: true, timestampProvider: 'hrtimeNow' });
  const timed = (): { overriddenDuration: number; overriddenIterationCost: number } => {
    const ms = NumberCtor(loop(p.fn, p.self, argSets, batch, hrtime, sink) as bigint) / 1e6;
    return { overriddenDuration: ms / batch, overriddenIterationCost: ms };
  };
  const timedAsync = async (): Promise<{ overriddenDuration: number; overriddenIterationCost: number }> => {
    const ms = NumberCtor((await loop(p.fn, p.self, argSets, batch, hrtime, sink)) as bigint) / 1e6;
    return { overriddenDuration: ms / batch, overriddenIterationCost: ms };
  };
  bench.add('slot', p.async ? timedAsync : timed, req.clone ? { beforeEach: prepare } : {});
  beginCapture(config.stdoutLimit, true);
  let error: ThrownInfo | undefined;
  try {
    if (p.async) await bench.run();
    else bench.runSync();
  } catch (err) {
    const inner = (err as { cause?: unknown })?.cause ?? err;
    error = inner instanceof ExitRequest ? { type: 'exit', message: `process.exit(${inner.code})` } : thrown(inner);
  } finally {
    endCapture();
  }
  const wallSeconds = NumberCtor(hrtime() - wallStart) / 1e9;
  const task = bench.tasks[0];
  const result = task?.result;
  if (!error && result && result.state === 'errored') error = thrown(result.error);
  const tampered = changedBuiltins(baseline);
  if (error || !result || !('latency' in result)) {
    return { samples: [], median: 0, mad: 0, iterations: 0, wallSeconds, error: error ?? { type: 'Error', message: `no samples (${result?.state ?? 'no result'})` }, tampered };
  }
  const lat = result.latency;
  return {
    samples: (lat.samples ?? []).map((ms) => ms / 1e3),
    median: lat.p50 / 1e3,
    mad: lat.mad / 1e3,
    iterations: lat.samplesCount,
    wallSeconds,
    tampered,
  };
}

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'hello':
      return { protocol: PROTOCOL_VERSION, runtime: 'node', version: process.version, limits: [] };
    case 'configure':
      config = req.config;
      if (config.fixedClockMs !== null) installFixedClock(config.fixedClockMs);
      reseed(config.seed);
      baseline = snapshotBuiltins();
      return {};
    case 'load':
      return load(req);
    case 'generate':
      return generate(req);
    case 'assertion':
      return assertion(req);
    case 'call':
      return call(req);
    case 'mutates':
      return mutates(req);
    case 'measure':
      return measure(req);
    case 'release':
      for (const p of programs.values()) for (const s of req.sets) p.inputs.delete(s);
      return {};
    case 'exit':
      realExit(0);
      return {};
    default:
      throw new RequestError('BadRequest', `unknown op ${(req as { op: string }).op}`);
  }
}

async function serve(line: string): Promise<void> {
  let req: Request;
  try {
    req = parseJson(line) as Request;
  } catch {
    send({ id: -1, ok: false, error: { type: 'BadRequest', message: 'request is not JSON' } });
    return;
  }
  try {
    const result = await handle(req);
    send({ id: req.id, ok: true, result });
  } catch (err) {
    const error = err instanceof RequestError ? { type: err.type, message: err.message } : { type: 'HarnessError', message: `${thrownType(err)}: ${thrownMessage(err)}` };
    send({ id: req.id, ok: false, error });
  }
}

let pendingText = '';
let queue: Promise<void> = Promise.resolve();
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pendingText += chunk;
  for (let i = pendingText.indexOf('\n'); i !== -1; i = pendingText.indexOf('\n')) {
    const line = pendingText.slice(0, i);
    pendingText = pendingText.slice(i + 1);
    if (line.trim()) queue = queue.then(() => serve(line));
  }
});
// effopt closed the pipe (or died): nothing more will come.
process.stdin.on('end', () => {
  void queue.then(() => realExit(0));
});

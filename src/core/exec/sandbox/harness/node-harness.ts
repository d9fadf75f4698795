// The Node sandbox harness: runs inside a sandboxed child process (dist/harness/node.js), loads
// programs (module source + entry), builds inputs from generators and assertion expressions,
// calls and times functions, and answers effopt over the protocol in ../protocol.ts.
// Everything it relies on is captured at start-up, before code under test runs.
//
// One call path: verification (`call`, `mutates`) and timing (`measure`) invoke the code under
// test through the same compiled call site, from the same stack (a fresh macrotask), with the same
// globals and flags, so nothing the code can observe tells a timed call from a checked one.
import * as vm from 'node:vm';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, resolve as pathResolve, sep as pathSep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { types } from 'node:util';
import {
  PROTOCOL_VERSION,
  type HarnessConfig,
  type InputRef,
  type Request,
  type CallResult,
  type CallStatus,
  type ThrownInfo,
  type MeasureResult,
} from '../protocol';
import type { EValue } from '../../compare/values';
import {
  changedBuiltins,
  countNodes,
  deepClone,
  drainIterator,
  encodeValue,
  isIterator,
  iteratorTag,
  snapshotBuiltins,
  thrownMessage,
  thrownType,
  watchBuiltin,
} from './encode';
import { privateNames } from './private-names';
import { caseSize } from '../../compare/sizes';
import { seededRandom } from './prng';

// The modules' own export objects (an ESM namespace import would be a copy): the wrappers below
// must replace what code under test gets from require().
/* eslint-disable @typescript-eslint/no-require-imports */
const fs = require('node:fs') as typeof import('node:fs');
const net = require('node:net') as typeof import('node:net');
const tls = require('node:tls') as typeof import('node:tls');
const dgram = require('node:dgram') as typeof import('node:dgram');
const dns = require('node:dns') as typeof import('node:dns');
const http = require('node:http') as typeof import('node:http');
const https = require('node:https') as typeof import('node:https');
const childProcess = require('node:child_process') as typeof import('node:child_process');
const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
const tty = require('node:tty') as typeof import('node:tty');
const { Readable } = require('node:stream') as typeof import('node:stream');
/* eslint-enable @typescript-eslint/no-require-imports */

// The request channel: captured before anything else, then hidden from code under test (below).
const realStdin = process.stdin;

// ---- intrinsics captured before any code under test runs ----
// --expose-gc is on in every sandbox (the same process.execArgv everywhere): the harness keeps
// gc for itself; code under test sees globalThis.gc as undefined (the binding cannot be deleted).
const gcFn = (globalThis as { gc?: () => void }).gc;
if (gcFn) Object.defineProperty(globalThis, 'gc', { value: undefined, writable: false });
const writeSync = fs.writeSync;
const parseJson = JSON.parse;
const stringifyPrimitive = JSON.stringify;
const hrtime = process.hrtime.bigint;
const ReflectApply = Reflect.apply;
const ReflectConstruct = Reflect.construct;
const ReflectGet = Reflect.get;
const ReflectHas = Reflect.has;
const ObjectKeys = Object.keys;
const isArray = Array.isArray;
const NumberCtor = Number;
const StringCtor = String;
const MapCtor = Map;
const BufferFrom = Buffer.from.bind(Buffer);
const byteLength = Buffer.byteLength.bind(Buffer);
const setTimeoutReal = setTimeout;
const clearTimeoutReal = clearTimeout;
const setImmediateReal = setImmediate;
const RealDate = Date;
const F64 = Float64Array;
const realExit = (process as unknown as { reallyExit: (code: number) => never }).reallyExit.bind(process);
const { isPromise, isAsyncFunction } = types;
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

// ---- side effects: what a program does besides returning (protocol Effects) ----
// Every wrapper records, then delegates to the original (which the sandbox refuses: permission
// model, network namespace). They are installed before any code under test runs, as
// non-writable, non-configurable properties, and the builtins snapshot is taken after them.
interface EffectsRec {
  files: string[];
  network: string[];
  processes: string[];
  secrets: string[];
  pending: string[];
}
type EffectKind = keyof EffectsRec;
const newEffects = (): EffectsRec => ({ files: [], network: [], processes: [], secrets: [], pending: [] });
/** Where wrappers record: the running request's effects (effects between requests go to the next one). */
let effects: EffectsRec = newEffects();
const MAX_EFFECTS = 50;

function note(kind: EffectKind, what: string): void {
  const list = effects[kind];
  if (list.length >= MAX_EFFECTS) return;
  for (let i = 0; i < list.length; i++) if (list[i] === what) return;
  list[list.length] = what.length > 300 ? what.slice(0, 300) + '…' : what;
}

const WORK = process.cwd();
const HOME = typeof process.env.HOME === 'string' && process.env.HOME ? pathResolve(process.env.HOME) : undefined;
const readdirSync = fs.readdirSync;
const lstatSync = fs.lstatSync;
const { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND } = fs.constants;
const isUint8Array = types.isUint8Array;
const URLCtor = URL;
const getActiveResources = (process as unknown as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo?.bind(process);
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE/i;
const regexTest = (re: RegExp, s: string): boolean => ReflectApply(RegExp.prototype.test, re, [s]) as boolean;

/** A path as effects show it: `~/x` under HOME, relative under the work dir, absolute elsewhere. */
function showAbs(abs: string): string {
  if (HOME !== undefined && (abs === HOME || abs.startsWith(HOME + pathSep))) return abs === HOME ? '~' : `~/${abs.slice(HOME.length + 1)}`;
  if (abs === WORK) return '.';
  if (abs.startsWith(WORK + pathSep)) return abs.slice(WORK.length + 1);
  return abs;
}

function showPath(p: unknown): string | undefined {
  try {
    if (typeof p === 'number') return undefined; // a file descriptor: its open was recorded
    let s: string;
    if (typeof p === 'string') s = p;
    else if (isUint8Array(p)) s = BufferFrom(p as Uint8Array).toString('utf8');
    else if (p instanceof URLCtor) s = fileURLToPath(p);
    else s = StringCtor(p);
    return showAbs(pathResolve(WORK, s));
  } catch {
    return '<unreadable path>';
  }
}

function noteFile(p: unknown): void {
  const shown = showPath(p);
  if (shown !== undefined) note('files', shown);
}

function writeFlags(flags: unknown): boolean {
  if (typeof flags === 'number') return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)) !== 0;
  if (typeof flags === 'string') return /[wa+]/.test(flags);
  return false;
}

/** The work dir's tree (relative path → type, size, mtime), bounded: files created, changed, removed are the difference of two. */
function treeSnapshot(): Map<string, string> {
  const out = new MapCtor<string, string>();
  const walk = (dir: string, rel: string, depth: number): void => {
    if (depth > 6 || out.size >= 2000) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.size >= 2000) return;
      const name = e.name;
      const abs = dir + pathSep + name;
      const r = rel ? rel + pathSep + name : name;
      try {
        const st = lstatSync(abs);
        out.set(r, `${st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : 'f'}:${st.isDirectory() ? 0 : st.size}:${st.mtimeMs}`);
        if (st.isDirectory()) walk(abs, r, depth + 1);
      } catch {
        // removed while walking
      }
    }
  };
  walk(WORK, '', 1);
  return out;
}

function noteTreeDiff(before: Map<string, string>, after: Map<string, string>): void {
  for (const [k, v] of after) {
    const was = before.get(k);
    if (was === undefined || (was !== v && v[0] !== 'd')) note('files', showAbs(WORK + pathSep + k));
  }
  for (const k of before.keys()) if (!after.has(k)) note('files', showAbs(WORK + pathSep + k));
}

const PENDING_NAMES: Record<string, string> = { Timeout: 'timer', Immediate: 'immediate' };

function activeResources(): Map<string, number> {
  const counts = new MapCtor<string, number>();
  if (!getActiveResources) return counts;
  for (const r of getActiveResources()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

function notePending(before: Map<string, number>): void {
  for (const [k, n] of activeResources()) {
    if (n > (before.get(k) ?? 0)) note('pending', PENDING_NAMES[k] ?? k);
  }
}

/** One request's effects: begin before the code under test runs, end after it (and its promise) finished. */
interface EffectsWatch {
  tree: Map<string, string>;
  resources: Map<string, number>;
}

function beginEffects(): EffectsWatch {
  // Records made since the last request (a timer that fired in between) belong to this one.
  return { tree: treeSnapshot(), resources: activeResources() };
}

/** Pending work is judged right after the calls; files at the end of the request. */
function endEffects(w: EffectsWatch, pendingChecked = false): EffectsRec {
  if (!pendingChecked) notePending(w.resources);
  noteTreeDiff(w.tree, treeSnapshot());
  const done = effects;
  effects = newEffects();
  done.files.sort();
  return done;
}

/** Replaces obj[name] by a wrapper that records first, as a non-writable, non-configurable property. */
function wrap(obj: object | undefined, name: string, record: (args: unknown[]) => void): void {
  if (!obj) return;
  const d = getOwnDescriptor(obj, name);
  const original = d && 'value' in d ? d.value : undefined;
  if (typeof original !== 'function') return;
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    try {
      record(args);
    } catch (err) {
      // Recording never changes what the call does, except refusing the protocol channel.
      if (err instanceof ChannelRefused) throw err;
    }
    return new.target ? ReflectConstruct(original, args, new.target) : ReflectApply(original, this, args);
  };
  defineProperty(wrapper, 'name', { value: original.name });
  defineProperty(wrapper, 'length', { value: original.length });
  if ('prototype' in original && original.prototype) defineProperty(wrapper, 'prototype', { value: original.prototype });
  defineProperty(obj, name, { value: wrapper, writable: true, configurable: true, enumerable: d!.enumerable });
  wrapped.push([obj, name]);
}

/** Wrapped properties, made non-writable and non-configurable once every wrapper is in place. */
const wrapped: Array<[object, string]> = [];
function lockWrapped(): void {
  for (const [obj, name] of wrapped) {
    const d = getOwnDescriptor(obj, name);
    if (d && d.configurable) defineProperty(obj, name, { value: d.value, writable: false, configurable: false, enumerable: d.enumerable });
  }
}

// The protocol channel (requests on fd 0, responses on fd 3) is the harness's alone: code under
// test cannot read requests or forge answers through fs, net, tty or process.stdin.
class ChannelRefused extends Error {
  code = 'EBADF';
}
function guardFd(fd: unknown): void {
  if (fd === 0 || fd === 3) {
    note('files', `fd ${fd} (protocol channel)`);
    throw new ChannelRefused(`EBADF: fd ${fd} is effopt's protocol channel, not available to code under test`);
  }
}
const fdOption = (o: unknown): unknown => (o !== null && typeof o === 'object' ? dataField(o, 'fd') : undefined);
for (const name of [
  'write',
  'writeSync',
  'writev',
  'writevSync',
  'read',
  'readSync',
  'readv',
  'readvSync',
  'close',
  'closeSync',
  'ftruncate',
  'ftruncateSync',
  'fchmod',
  'fchmodSync',
  'fchown',
  'fchownSync',
  'futimes',
  'futimesSync',
  'fdatasync',
  'fdatasyncSync',
  'fsync',
  'fsyncSync',
]) {
  wrap(fs, name, (a) => guardFd(a[0]));
}
for (const name of ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'readFile', 'readFileSync']) wrap(fs, name, (a) => guardFd(a[0]));
for (const name of ['createWriteStream', 'createReadStream']) wrap(fs, name, (a) => guardFd(fdOption(a[1])));
for (const name of ['WriteStream', 'ReadStream']) {
  const cls = (fs as unknown as Record<string, unknown>)[name];
  if (typeof cls === 'function') {
    defineProperty(fs, name, { value: cls, writable: true, configurable: true, enumerable: true });
    wrap(fs, name, (a) => guardFd(fdOption(a[1])));
  }
}
wrap(net, 'Socket', (a) => guardFd(fdOption(a[0])));
wrap(tty, 'WriteStream', (a) => guardFd(a[0]));
wrap(tty, 'ReadStream', (a) => guardFd(a[0]));
{
  // process.stdin is an empty stream for code under test; the real one is not among the active handles.
  const emptyStdin = new Readable({ read() {} });
  defineProperty(process, 'stdin', { get: () => emptyStdin, enumerable: true, configurable: false });
  const activeHandles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles;
  if (typeof activeHandles === 'function') {
    defineProperty(process, '_getActiveHandles', {
      value: function _getActiveHandles(): unknown[] {
        const all = ReflectApply(activeHandles, process, []) as unknown[];
        const out: unknown[] = [];
        for (let i = 0; i < all.length; i++) if (all[i] !== realStdin) out[out.length] = all[i];
        return out;
      },
      writable: false,
      configurable: false,
      enumerable: true,
    });
  }
}

// files
const FS_PATH0 = [
  'writeFile',
  'appendFile',
  'mkdir',
  'rm',
  'rmdir',
  'unlink',
  'truncate',
  'mkdtemp',
  'chmod',
  'lchmod',
  'chown',
  'lchown',
  'utimes',
  'lutimes',
  'createWriteStream',
];
const FS_PATH1 = ['copyFile', 'cp', 'symlink', 'link'];
for (const base of FS_PATH0) {
  for (const name of [base, `${base}Sync`]) wrap(fs, name, (a) => noteFile(a[0]));
  wrap(fs.promises, base, (a) => noteFile(a[0]));
}
for (const base of FS_PATH1) {
  for (const name of [base, `${base}Sync`]) wrap(fs, name, (a) => noteFile(a[1]));
  wrap(fs.promises, base, (a) => noteFile(a[1]));
}
for (const name of ['rename', 'renameSync']) wrap(fs, name, (a) => (noteFile(a[0]), noteFile(a[1])));
wrap(fs.promises, 'rename', (a) => (noteFile(a[0]), noteFile(a[1])));
for (const name of ['open', 'openSync']) wrap(fs, name, (a) => writeFlags(a[1]) && noteFile(a[0]));
wrap(fs.promises, 'open', (a) => writeFlags(a[1]) && noteFile(a[0]));

// network
function hostPort(host: unknown, port: unknown, fallbackHost = 'localhost'): string {
  const h = typeof host === 'string' && host ? host : fallbackHost;
  return `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port === undefined || port === null ? '?' : StringCtor(port)}`;
}

/** net/tls connect arguments: (options[, cb]), (port[, host][, cb]), (path[, cb]), or net's normalized [options, cb]. */
function connectTarget(args: unknown[]): string {
  let a0 = args[0];
  if (isArray(a0)) a0 = (a0 as unknown[])[0];
  if (a0 !== null && typeof a0 === 'object') {
    const o = a0 as { path?: unknown; host?: unknown; hostname?: unknown; port?: unknown };
    const path = dataField(o, 'path');
    if (typeof path === 'string') return path;
    return hostPort(dataField(o, 'host') ?? dataField(o, 'hostname'), dataField(o, 'port'));
  }
  if (typeof a0 === 'string' && !/^\d+$/.test(a0)) return a0;
  return hostPort(args[1], a0);
}

/** A data property of a user object, read without running getters. */
function dataField(o: object, key: string): unknown {
  for (let x: object | null = o; x !== null; x = getPrototypeOf(x) as object | null) {
    const d = getOwnDescriptor(x, key);
    if (d) return 'value' in d ? d.value : undefined;
  }
  return undefined;
}

function requestTarget(args: unknown[], defaultPort: number): string {
  const a0 = args[0];
  try {
    if (typeof a0 === 'string' || a0 instanceof URLCtor) {
      const u = new URLCtor(StringCtor(a0));
      return hostPort(u.hostname, u.port || defaultPort);
    }
  } catch {
    return `${StringCtor(a0).slice(0, 200)}`;
  }
  if (a0 !== null && typeof a0 === 'object') {
    const socketPath = dataField(a0, 'socketPath');
    if (typeof socketPath === 'string') return socketPath;
    return hostPort(dataField(a0, 'hostname') ?? dataField(a0, 'host'), dataField(a0, 'port') ?? defaultPort);
  }
  return hostPort(undefined, defaultPort);
}

wrap(net, 'connect', (a) => note('network', `connect ${connectTarget(a)}`));
wrap(net, 'createConnection', (a) => note('network', `connect ${connectTarget(a)}`));
wrap(net.Socket.prototype, 'connect', (a) => note('network', `connect ${connectTarget(a)}`));
wrap(net.Server.prototype, 'listen', (a) =>
  note(
    'network',
    `listen ${a[0] !== null && typeof a[0] === 'object' ? connectTarget(a) : typeof a[0] === 'string' && !/^\d+$/.test(a[0]) ? a[0] : hostPort(a[1], a[0] ?? 0, '0.0.0.0')}`,
  ),
);
wrap(tls, 'connect', (a) => note('network', `connect ${connectTarget(a)}`));
wrap(dgram.Socket.prototype, 'send', (a) => {
  // send(msg[, offset, length][, port][, address][, cb])
  const offsetForm = typeof a[1] === 'number' && typeof a[2] === 'number' && typeof a[3] === 'number';
  const port = offsetForm ? a[3] : a[1];
  const addr = offsetForm ? a[4] : a[2];
  note('network', `udp send ${typeof port === 'number' ? hostPort(typeof addr === 'string' ? addr : undefined, port) : 'connected'}`);
});
wrap(dgram.Socket.prototype, 'bind', (a) => {
  const o = a[0] !== null && typeof a[0] === 'object' ? (a[0] as object) : undefined;
  note(
    'network',
    `udp bind ${o ? hostPort(dataField(o, 'address'), dataField(o, 'port') ?? 0, '0.0.0.0') : hostPort(typeof a[1] === 'string' ? a[1] : undefined, typeof a[0] === 'number' ? a[0] : 0, '0.0.0.0')}`,
  );
});
wrap(dgram.Socket.prototype, 'connect', (a) => note('network', `udp connect ${hostPort(typeof a[1] === 'string' ? a[1] : undefined, a[0])}`));
const DNS_FNS = [
  'lookup',
  'lookupService',
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCaa',
  'resolveCname',
  'resolveMx',
  'resolveNaptr',
  'resolveNs',
  'resolvePtr',
  'resolveSoa',
  'resolveSrv',
  'resolveTxt',
  'reverse',
];
for (const target of [dns, dns.promises, dns.Resolver?.prototype, dns.promises.Resolver?.prototype]) {
  for (const name of DNS_FNS) wrap(target, name, (a) => note('network', `dns ${StringCtor(a[0]).slice(0, 200)}`));
}
for (const [mod, port] of [
  [http, 80],
  [https, 443],
] as const) {
  wrap(mod, 'request', (a) => note('network', `connect ${requestTarget(a, port)}`));
  wrap(mod, 'get', (a) => note('network', `connect ${requestTarget(a, port)}`));
}
const describeFetch = (input: unknown): string => {
  if (typeof input === 'string') return input;
  if (input instanceof URLCtor) return input.href;
  const url = input !== null && typeof input === 'object' ? dataField(input, 'url') : undefined;
  return typeof url === 'string' ? url : 'request';
};
wrap(globalThis, 'fetch', (a) => note('network', `fetch ${describeFetch(a[0]).slice(0, 200)}`));
wrap(globalThis, 'WebSocket', (a) => note('network', `websocket ${StringCtor(a[0]).slice(0, 200)}`));

// processes
const commandOf = (a: unknown[]): string => (typeof a[0] === 'string' ? a[0] : StringCtor(a[0])).slice(0, 200);
for (const [name, verb] of [
  ['spawn', 'spawn'],
  ['spawnSync', 'spawn'],
  ['exec', 'exec'],
  ['execSync', 'exec'],
  ['execFile', 'execFile'],
  ['execFileSync', 'execFile'],
  ['fork', 'fork'],
] as const) {
  wrap(childProcess, name, (a) => note('processes', `${verb} ${commandOf(a)}`));
}
wrap(workerThreads, 'Worker', (a) => note('processes', `worker ${a[0] instanceof URLCtor ? a[0].href : StringCtor(a[0]).slice(0, 200)}`));
wrap(process, 'dlopen', (a) => note('processes', `dlopen ${StringCtor(a[1]).slice(0, 200)}`));
for (const name of ['binding', '_linkedBinding']) {
  defineProperty(process, name, {
    value: function binding(module: unknown): never {
      note('processes', `${name} ${StringCtor(module).slice(0, 100)}`);
      throw new Error(`process.${name} is not available in the effopt sandbox`);
    },
    writable: false,
    configurable: false,
    enumerable: false,
  });
}

// secrets: reads of secret-looking variables (the sandbox has already dropped their values)
{
  const realEnv = process.env;
  const look = (key: PropertyKey): void => {
    if (typeof key === 'string' && regexTest(SECRET_NAME, key)) note('secrets', key);
  };
  const envProxy = new Proxy(realEnv, {
    get(target, key) {
      look(key);
      return ReflectGet(target, key);
    },
    has(target, key) {
      look(key);
      return ReflectHas(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      look(key);
      return getOwnDescriptor(target, key);
    },
  });
  defineProperty(process, 'env', { value: envProxy, writable: false, configurable: false, enumerable: true });
}

lockWrapped();

for (const [name, obj] of [
  ['fs', fs],
  ['fs.promises', fs.promises],
  ['net', net],
  ['net.Socket.prototype', net.Socket.prototype],
  ['net.Server.prototype', net.Server.prototype],
  ['tls', tls],
  ['dgram.Socket.prototype', dgram.Socket.prototype],
  ['dns', dns],
  ['dns.promises', dns.promises],
  ['http', http],
  ['https', https],
  ['child_process', childProcess],
  ['worker_threads', workerThreads],
  ['tty', tty],
] as Array<[string, object]>) {
  watchBuiltin(name, obj, false);
}
// Clocks and process hooks code under test could patch to fool a timer or a check (the harness
// uses its own captured copies; patching them is still a change of builtins).
watchBuiltin('process', process, false, [
  'hrtime',
  'env',
  'binding',
  '_linkedBinding',
  'dlopen',
  'kill',
  'exit',
  'reallyExit',
  'nextTick',
  'cpuUsage',
  'memoryUsage',
  'uptime',
  'getActiveResourcesInfo',
  '_getActiveHandles',
  'stdin',
  'stdout',
  'stderr',
]);
watchBuiltin('process.hrtime', process.hrtime, true);
watchBuiltin('performance', performance, true);
{
  const perfProto = getPrototypeOf(performance) as object | null;
  if (perfProto) watchBuiltin('Performance.prototype', perfProto, true);
}
watchBuiltin('Error', Error, false, ['captureStackTrace']);
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
// The script reaches the harness through one fixed, non-writable global function (the same name
// in every process), which runs the thunk handed over just before.
const GUARD_KEY = '__effopt_guard__';
let guardThunk: (() => unknown) | undefined;
defineProperty(globalThis, GUARD_KEY, {
  value: function effoptGuard(): unknown {
    const t = guardThunk;
    guardThunk = undefined;
    return t === undefined ? undefined : t();
  },
  enumerable: false,
  writable: false,
  configurable: false,
});
const guardScript = new vm.Script(`this[${stringifyPrimitive(GUARD_KEY)}]()`, { filename: 'effopt-harness' });

class GuardTimeout extends Error {}

function runGuarded<T>(thunk: () => T, timeoutMs: number): T {
  guardThunk = thunk;
  const started = hrtime();
  try {
    return guardScript.runInThisContext(timeoutMs > 0 ? { timeout: Math.max(1, Math.round(timeoutMs)) } : {}) as T;
  } catch (err) {
    const elapsedMs = NumberCtor(hrtime() - started) / 1e6;
    if ((err as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' && timeoutMs > 0 && elapsedMs >= timeoutMs * 0.9) throw new GuardTimeout();
    throw err;
  } finally {
    guardThunk = undefined;
  }
}

/** A promise's outcome within a time limit (0 = none). The limit's timer is unref'd: it is not pending work of the code under test. */
function settle<T>(p: Promise<T>, timeoutMs: number): Promise<T> {
  if (!(timeoutMs > 0)) return p;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeoutReal(() => reject(new GuardTimeout()), Math.max(1, timeoutMs));
    timer.unref();
    p.then(
      (v) => {
        clearTimeoutReal(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeoutReal(timer);
        reject(e);
      },
    );
  });
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
  /** Call sites by arity (see callSite). */
  sites: Map<number, CallSite>;
}

const programs = new Map<string, Program>();
let config: HarnessConfig = {
  seed: 1,
  fixedClockMs: null,
  stdoutLimit: 1 << 20,
  maxNodes: 2_000_000,
  iterCap: 10_000,
  maxCasesPerGenerator: 64,
  memoryMb: 0,
  importPaths: [],
};
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
      if (p === builtin)
        return `${entry} is an instance method of a class that extends ${name}: effopt cannot build such an instance without running its constructor`;
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
    if (args.length === 0)
      throw new RequestError(errorType, `${what(i)}: an instance method's argument list starts with the instance's state, and this one is empty`);
    const out: unknown[] = [buildReceiver(proto, args[0], what(i), errorType)];
    for (let k = 1; k < args.length; k++) out.push(args[k]);
    return out;
  });
}

function load(req: Extract<Request, { op: 'load' }>): unknown {
  const m = ENTRY.exec(req.entry);
  if (!m) throw new RequestError('BadEntry', `entry "${req.entry}" is not a function name, Class.staticMethod or Class.prototype.method`);
  const require = createRequire(req.filename);
  const module = {
    exports: {} as Record<string, unknown>,
    require,
    id: req.filename,
    filename: req.filename,
    loaded: false,
    children: [],
    paths: require.resolve.paths('x') ?? [],
  };
  const hook: { scope?: (src: string) => unknown } = {};
  let wrapper: (...a: unknown[]) => unknown;
  try {
    wrapper = vm.compileFunction(
      `${req.source}\n;__effopt_hook__.scope = (__effopt_src__) => eval(__effopt_src__);`,
      ['exports', 'require', 'module', '__filename', '__dirname', '__effopt_hook__'],
      { filename: req.filename },
    ) as (...a: unknown[]) => unknown;
  } catch (err) {
    throw new RequestError('LoadError', `does not compile: ${thrownType(err)}: ${thrownMessage(err)}`);
  }
  const watch = beginEffects();
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
    if (typeof head !== 'function' && (head === null || typeof head !== 'object'))
      throw new RequestError('LoadError', `"${m[1]}" is not defined in the module`);
    const own = m[2] ? undefined : getOwnDescriptor(head, m[3]);
    const proto = typeof head === 'function' ? ((head as { prototype?: unknown }).prototype as object | undefined) : undefined;
    if (own && typeof own.value === 'function') {
      fn = own.value;
      self = head;
    } else if (own && !('value' in own) && typeof own.get === 'function') {
      // A static or object-literal getter: reading the property calls it with `this` = the holder.
      fn = own.get;
      self = head;
    } else if (!m[2] && proto !== null && typeof proto === 'object' && m[3] in proto) {
      // Explicit entries only: with `.prototype.` the caller says that argument 0 is the receiver.
      throw new RequestError(
        'Unsupported',
        `${req.entry} is an instance method: load it as ${m[1]}.prototype.${m[3]}, with the instance's state as the first element of every argument list`,
      );
    } else if (m[2] && proto !== null && typeof proto === 'object' && m[3] in proto) {
      // An instance method: read as a data property along the prototype chain (no getter runs).
      let method: unknown;
      for (let o: object | null = proto; o !== null; o = getPrototypeOf(o) as object | null) {
        const d = getOwnDescriptor(o, m[3]);
        if (d) {
          // A getter is called with the instance as `this` and no arguments: what reading it does.
          method = 'value' in d ? d.value : d.get;
          break;
        }
      }
      if (typeof method !== 'function')
        throw new RequestError('LoadError', `${req.entry} is not a function (an accessor or a non-function property of the prototype)`);
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
      if (field)
        throw new RequestError(
          'Unsupported',
          `${req.entry} is a class field holding a function: it exists only on instances made by the constructor, which effopt does not run; make it a method to optimize it`,
        );
      throw new RequestError('LoadError', `${req.entry} is not a function`);
    }
  }
  if (typeof fn !== 'function')
    throw new RequestError('LoadError', `"${req.entry}" is ${fn === undefined ? 'not defined in the module' : `a ${typeof fn}, not a function`}`);
  programs.set(req.program, {
    key: req.program,
    fn: fn as (...a: unknown[]) => unknown,
    self,
    receiver,
    scope,
    async: isAsyncFunction(fn),
    inputs: new Map(),
    sites: new Map(),
  });
  return {
    stdout: printed.parts.join('').slice(0, 4096),
    tampered: changedBuiltins(baseline),
    ...(receiver ? { receiver: 'this' } : {}),
    effects: endEffects(watch),
  };
}

function fingerprint(cases: unknown[][]): string {
  return fingerprintOf(cases.map((args) => encodeValue(args, { maxNodes: config.maxNodes })));
}

function fingerprintOf(encoded: EValue[]): string {
  const parts: string[] = [];
  toJson(encoded, parts);
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
    // Input generation is shared by every program: what it does is nobody's effect.
    effects = newEffects();
  }
  send({ id: req.id, progress: 'called' });
  if (isPromise(cases)) throw new RequestError('GeneratorError', 'generate(rng) returned a Promise: it must return the cases synchronously');
  if (!isArray(cases))
    throw new RequestError('GeneratorError', `generate(rng) must return an array of argument lists, got ${cases === null ? 'null' : typeof cases}`);
  for (let i = 0; i < cases.length; i++) {
    if (!isArray(cases[i])) throw new RequestError('GeneratorError', `case ${i} is not an argument list (an array of arguments), got ${typeof cases[i]}`);
  }
  if (cases.length === 0) throw new RequestError('GeneratorError', 'generate(rng) returned no cases');
  const kept = withReceivers(p, (cases as unknown[][]).slice(0, config.maxCasesPerGenerator), (i) => `case ${i}`, 'GeneratorError');
  p.inputs.set(req.set, kept);
  // One encoding serves the fingerprint and the sizes (reports say "n = 200,000").
  const encoded = kept.map((args) => encodeValue(args, { maxNodes: config.maxNodes }));
  return {
    count: kept.length,
    fingerprint: fingerprintOf(encoded),
    sizes: encoded.map(caseSize),
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
    // Input generation is shared by every program: what it does is nobody's effect.
    effects = newEffects();
  }
  send({ id: req.id, progress: 'called' });
  if (!isArray(args)) throw new RequestError('AssertionError', `argsExpr must evaluate to an array of arguments, got ${args === null ? 'null' : typeof args}`);
  const built = withReceivers(p, [args], () => 'argsExpr', 'AssertionError')[0];
  p.inputs.set(req.set, [built]);
  return { fingerprint: fingerprint([built]), preview: preview(built, req.previewNodes), expected: encodeValue(expected, { maxNodes: config.maxNodes }) };
}

// ---- the call path: one compiled call site per program and arity, for every op ----
/** What a call returned, as the call site classifies its first result: plain, awaited, drained iterator. */
const PLAIN = 0;
const AWAITED = 1;
const DRAINED = 2;

/** A drained iterator's items (harness-made: code under test never sees one). */
interface Drained {
  items: unknown[];
  more: boolean;
  cls: string;
}

type CallSite = (
  fn: unknown,
  self: unknown,
  sets: unknown[][],
  results: unknown[],
  times: bigint[],
  iterations: number,
  batch: number,
  hr: () => bigint,
  kind: (r: unknown) => number,
  drain: (r: unknown) => Drained,
  done: () => void,
) => undefined | Promise<void>;

/**
 * The call site of a program for one arity: strict (so `fn.caller` is null), the same text and
 * file name in every process and for every op, its own closure per program (monomorphic). It times
 * each iteration of `batch` calls with `hr`, stores every result, and decides from the first result
 * whether the program is asynchronous (then every call is awaited, on the clock) or returns an
 * iterator (then every result is drained, on the clock). Synchronous: returns undefined and the
 * harness continues at once; asynchronous: returns a promise and calls `done` right after the last
 * call settled, before any other task can run.
 */
function callSite(p: Program, arity: number): CallSite {
  const hit = p.sites.get(arity);
  if (hit) return hit;
  const a = Array.from({ length: arity }, (_, i) => `a[${i}]`);
  const call = p.receiver ? `fn.call(${a.join(', ') || 'undefined'})` : p.self === undefined ? `fn(${a.join(', ')})` : `fn.call(${['self', ...a].join(', ')})`;
  const body = `'use strict';
return function effoptCall(fn, self, sets, results, times, iterations, batch, hr, kind, drain, done) {
  let t0 = hr();
  let a = sets[0];
  let r = ${call};
  const mode = kind(r);
  if (mode === 1) return effoptCallAwaited(fn, self, sets, results, times, iterations, batch, hr, done, r, t0);
  if (mode === 2) r = drain(r);
  results[0] = r;
  let k = 1;
  for (let it = 0; it < iterations; it++) {
    if (it > 0) t0 = hr();
    const end = (it + 1) * batch;
    for (; k < end; k++) {
      a = sets[k];
      r = ${call};
      if (mode === 2) r = drain(r);
      results[k] = r;
    }
    times[it] = hr() - t0;
  }
  return undefined;
};
async function effoptCallAwaited(fn, self, sets, results, times, iterations, batch, hr, done, first, t0) {
  results[0] = await first;
  let k = 1;
  for (let it = 0; it < iterations; it++) {
    if (it > 0) t0 = hr();
    const end = (it + 1) * batch;
    for (; k < end; k++) {
      const a = sets[k];
      results[k] = await ${call};
    }
    times[it] = hr() - t0;
  }
  done();
}`;
  const site = (vm.compileFunction(body, [], { filename: `effopt-call-${arity}` }) as () => CallSite)();
  p.sites.set(arity, site);
  return site;
}

/** A Promise, or an object with a callable `then` (read without running a getter; an accessor `then` counts: await would run it). */
function thenable(r: unknown): boolean {
  if (r === null || (typeof r !== 'object' && typeof r !== 'function')) return false;
  if (isPromise(r)) return true;
  if (types.isProxy(r)) return true;
  for (let o: object | null = r as object; o !== null; o = getPrototypeOf(o) as object | null) {
    const d = getOwnDescriptor(o, 'then');
    if (d) return 'value' in d ? typeof d.value === 'function' : true;
  }
  return false;
}

interface Job {
  p: Program;
  sets: unknown[][];
  iterations: number;
  batch: number;
  /** 0 = no limit (measure: effopt's hard limit applies). */
  timeoutMs: number;
  /** Runs right before the first call (after it nothing but the call site runs until the last call ended). */
  before: () => void;
  /** Runs synchronously right after the last call (or its promise) ended, or after the call threw. */
  after: (job: Job) => void;
  results: unknown[];
  times: bigint[];
  mode: number;
  finished: boolean;
  started: bigint;
  harnessError?: unknown;
}

type JobOutcome = { ok: true } | { ok: false; error: unknown; timeout?: boolean };

function newJob(p: Program, sets: unknown[][], iterations: number, batch: number, timeoutMs: number, before: () => void, after: (job: Job) => void): Job {
  return {
    p,
    sets,
    iterations,
    batch,
    timeoutMs,
    before,
    after,
    results: new Array(iterations * batch),
    times: new Array(iterations),
    mode: PLAIN,
    finished: false,
    started: 0n,
  };
}

function finish(job: Job): void {
  if (job.finished) return;
  job.finished = true;
  try {
    job.after(job);
  } catch (err) {
    job.harnessError = err;
  }
}

/** A failure of the harness itself while it ran a job (not of the code under test): the request fails. */
function rethrowHarnessError(job: Job): void {
  const err = job.harnessError;
  if (err !== undefined) throw new RequestError('HarnessError', `capturing the result failed: ${thrownType(err)}: ${thrownMessage(err)}`);
}

/**
 * Runs a job's calls from a fresh macrotask (the same stack below the call site for every op),
 * under the guard's time limit for synchronous code and `settle`'s for a promise.
 */
function execute(job: Job): Promise<JobOutcome> {
  return new Promise<JobOutcome>((resolve) => {
    setImmediateReal(() => {
      const { p } = job;
      const site = callSite(p, job.sets[0].length);
      const kind = (r: unknown): number => {
        job.mode = thenable(r) ? AWAITED : isIterator(r) ? DRAINED : PLAIN;
        if (job.mode === AWAITED) p.async = true;
        return job.mode;
      };
      const drain = (r: unknown): Drained => {
        const cls = iteratorTag(r as object);
        const d = drainIterator(r as { next: () => IteratorResult<unknown> }, config.iterCap);
        return { items: d.items, more: d.more, cls };
      };
      const done = (): void => finish(job);
      try {
        job.before();
      } catch (err) {
        job.finished = true;
        job.harnessError = err;
        resolve({ ok: true });
        return;
      }
      job.started = hrtime();
      let ret: undefined | Promise<void>;
      try {
        ret = runGuarded(
          () => site(p.fn, p.receiver ? undefined : p.self, job.sets, job.results, job.times, job.iterations, job.batch, hrtime, kind, drain, done),
          job.timeoutMs,
        );
      } catch (error) {
        finish(job);
        resolve({ ok: false, error, timeout: error instanceof GuardTimeout });
        return;
      }
      if (ret === undefined) {
        finish(job);
        resolve({ ok: true });
        return;
      }
      const left = job.timeoutMs > 0 ? Math.max(1, job.timeoutMs - NumberCtor(hrtime() - job.started) / 1e6) : 0;
      settle(ret, left).then(
        () => {
          finish(job);
          resolve({ ok: true });
        },
        (error: unknown) => {
          finish(job);
          resolve({ ok: false, error, timeout: error instanceof GuardTimeout });
        },
      );
    });
  });
}

function encodeResult(job: Job, r: unknown, nodes: { maxNodes: number }): EValue {
  if (job.mode === DRAINED) {
    const d = r as Drained;
    const items = encodeValue(d.items, nodes);
    return isArray(items) ? { $: 'iter', cls: d.cls, v: items, more: d.more } : items;
  }
  return encodeValue(r, nodes);
}

function failure(err: unknown): { status: CallStatus; error?: ThrownInfo; exitCode?: number; memory?: boolean } {
  if (err instanceof GuardTimeout) return { status: 'timeout' };
  if (err instanceof ExitRequest) return { status: 'exited', exitCode: err.code };
  const info = thrown(err);
  const memory = info.type === 'RangeError' && /allocation failed|Invalid (typed )?array length|Array buffer/i.test(info.message);
  return { status: 'threw', error: info, ...(memory ? { memory: true } : {}) };
}

/** One call with full capture, on a fresh copy of the stored input (the stored input never changes). */
async function call(req: Extract<Request, { op: 'call' }>): Promise<CallResult> {
  const p = program(req.program);
  const args = deepClone(input(p, req.input));
  const argsBefore = req.capture ? preview(args, req.previewNodes) : undefined;
  const nodes = { maxNodes: config.maxNodes };
  const watch = beginEffects();
  let captured: { value?: EValue; argsAfter?: EValue[] } = {};
  let printed: Capture | undefined;
  const job = newJob(
    p,
    [args],
    1,
    1,
    req.timeoutMs,
    () => {
      reseed(req.seed);
      beginCapture(config.stdoutLimit);
    },
    (j) => {
      // Synchronously after the call: a value the code completes later (microtask, timer) is captured as it is now.
      printed = endCapture();
      send({ id: req.id, progress: 'called' });
      notePending(watch.resources);
      if (req.capture && j.times[0] !== undefined)
        captured = { value: encodeResult(j, j.results[0], nodes), argsAfter: args.map((a) => encodeValue(a, nodes)) };
      else if (req.capture) captured = { argsAfter: args.map((a) => encodeValue(a, nodes)) };
    },
  );
  const outcome = await execute(job);
  rethrowHarnessError(job);
  const seconds = job.times[0] !== undefined ? NumberCtor(job.times[0]) / 1e9 : NumberCtor(hrtime() - job.started) / 1e9;
  const out = printed ?? endCapture();
  const fx = endEffects(watch, true);
  const result: CallResult = {
    status: 'returned',
    stdout: out.parts.join(''),
    stdoutOverflow: out.overflow,
    seconds,
    tampered: changedBuiltins(baseline),
    awaited: job.mode === AWAITED,
    effects: fx,
  };
  if (!outcome.ok) {
    Object.assign(result, failure(outcome.error));
    if (outcome.timeout && job.mode === AWAITED) result.dirty = true;
  }
  if (req.capture) {
    if (result.status === 'returned') result.value = captured.value;
    result.argsAfter = captured.argsAfter ?? args.map((a) => encodeValue(a, nodes));
    result.argsBefore = argsBefore;
  }
  return result;
}

/** Calls the program on the stored input itself (effopt rebuilds the input when it changed). */
async function mutates(req: Extract<Request, { op: 'mutates' }>): Promise<unknown> {
  const p = program(req.program);
  const args = input(p, req.input);
  const nodes = { maxNodes: config.maxNodes };
  const before: string[] = [];
  toJson(
    args.map((a) => encodeValue(a, nodes)),
    before,
  );
  const watch = beginEffects();
  let after = '';
  const job = newJob(
    p,
    [args],
    1,
    1,
    req.timeoutMs,
    () => {
      reseed(req.seed);
      beginCapture(config.stdoutLimit, true);
    },
    () => {
      endCapture();
      send({ id: req.id, progress: 'called' });
      const parts: string[] = [];
      toJson(
        args.map((a) => encodeValue(a, nodes)),
        parts,
      );
      after = parts.join('');
    },
  );
  const outcome = await execute(job);
  endEffects(watch);
  rethrowHarnessError(job);
  return { mutates: before.join('') !== after, status: outcome.ok ? 'returned' : failure(outcome.error).status };
}

/** Copies of the stored inputs a slot may hold at once, in value nodes. */
const COPY_NODE_BUDGET = 4_000_000;
const nodeCounts = new WeakMap<unknown[], number>();

function inputNodes(args: unknown[]): number {
  let n = nodeCounts.get(args);
  if (n === undefined) {
    n = countNodes(args, COPY_NODE_BUDGET + 1);
    nodeCounts.set(args, n);
  }
  return n;
}

/** `count` indices spread evenly over 0..n-1, the first and the last among them (just the last for count 1). */
function spread(n: number, count: number): number[] {
  const c = Math.min(n, Math.max(0, Math.floor(count)));
  if (c === 0) return [];
  if (c === 1) return [n - 1];
  const out: number[] = [];
  for (let i = 0; i < c; i++) {
    const k = Math.round((i * (n - 1)) / (c - 1));
    if (out.length === 0 || out[out.length - 1] !== k) out.push(k);
  }
  return out;
}

function medianOf(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return 0;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * One timing slot: every call on its own fresh copy (made before the clock starts), the results
 * of all calls kept, and up to `checks` of them hashed right after the last call (synchronously:
 * what a call left to finish later is seen unfinished).
 */
async function measure(req: Extract<Request, { op: 'measure' }>): Promise<MeasureResult> {
  const wallStart = hrtime();
  const p = program(req.program);
  const base = input(p, req.input);
  let batch = Math.max(1, Math.floor(req.batch));
  let iterations = Math.max(1, Math.floor(req.iterations));
  const maxCalls = Math.max(1, Math.floor(COPY_NODE_BUDGET / Math.max(1, inputNodes(base))));
  if (iterations * batch > maxCalls) {
    if (batch > maxCalls) {
      batch = maxCalls;
      iterations = 1;
    } else iterations = Math.max(1, Math.floor(maxCalls / batch));
  }
  const calls = iterations * batch;
  const sets: unknown[][] = new Array(calls);
  // 'none': no program changes its arguments on this input, so every call gets the stored one.
  const shared = req.fresh === 'none' ? base : undefined;
  for (let i = 0; i < calls; i++) sets[i] = shared ?? deepClone(base);
  const nodes = { maxNodes: config.maxNodes };
  const watch = beginEffects();
  let ranAt = 0n;
  let readyAt = 0n;
  const digests = new MapCtor<string, number>();
  let checked = 0;
  let value: EValue | undefined;
  let argsAfter: EValue[] | undefined;
  const job = newJob(
    p,
    sets,
    iterations,
    batch,
    0,
    () => {
      if (req.gc && gcFn) gcFn();
      reseed(req.seed);
      beginCapture(config.stdoutLimit, true);
      send({ id: req.id, progress: 'ready' });
      readyAt = hrtime();
    },
    (j) => {
      ranAt = hrtime();
      send({ id: req.id, progress: 'ran' });
      endCapture();
      notePending(watch.resources);
      if (j.times[j.iterations - 1] === undefined) return; // a call threw: nothing to check
      for (const k of spread(calls, req.checks)) {
        const v = encodeResult(j, j.results[k], nodes);
        const parts: string[] = [];
        toJson(v, parts);
        const digest = createHash('sha256').update(parts.join('')).digest('hex');
        digests.set(digest, (digests.get(digest) ?? 0) + 1);
        checked++;
        if (k === calls - 1) {
          // The arguments after the call only for the last one (encoding a large input again for
          // every check would cost more than the calls); state left on them stays there till then.
          value = v;
          argsAfter = sets[k].map((a) => encodeValue(a, nodes));
        }
      }
      if (value === undefined) {
        value = encodeResult(j, j.results[calls - 1], nodes);
        argsAfter = sets[calls - 1].map((a) => encodeValue(a, nodes));
      }
    },
  );
  const outcome = await execute(job);
  const fx = endEffects(watch, true);
  rethrowHarnessError(job);
  const tampered = changedBuiltins(baseline);
  const samples: number[] = [];
  let timed = 0n;
  for (let it = 0; it < iterations; it++) {
    const t = job.times[it];
    if (t === undefined) break;
    timed += t;
    samples.push(NumberCtor(t) / 1e9 / batch);
  }
  const result: MeasureResult = {
    samples,
    median: 0,
    mad: 0,
    iterations,
    calls,
    // The stretch between the marks, on this clock (effopt compares it with its own).
    timedSeconds: readyAt && ranAt ? NumberCtor(ranAt - readyAt) / 1e9 : NumberCtor(timed) / 1e9,
    wallSeconds: 0,
    checkSeconds: ranAt ? NumberCtor(hrtime() - ranAt) / 1e9 : 0,
    digests: [],
    checked,
    awaited: job.mode === AWAITED,
    tampered,
    effects: fx,
  };
  if (!outcome.ok) {
    const f = failure(outcome.error);
    result.error =
      f.error ?? (f.status === 'exited' ? { type: 'exit', message: `process.exit(${f.exitCode})` } : { type: 'Timeout', message: 'the calls did not finish' });
    result.samples = [];
  } else {
    const sorted = F64.from(samples).sort();
    const med = medianOf(sorted);
    const dev = F64.from(samples, (s) => (s > med ? s - med : med - s)).sort();
    result.median = med;
    result.mad = medianOf(dev);
    for (const [digest, count] of digests) result.digests.push({ digest, count });
    result.value = value;
    result.argsAfter = argsAfter;
  }
  result.wallSeconds = NumberCtor(hrtime() - wallStart) / 1e9;
  return result;
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
    const error =
      err instanceof RequestError ? { type: err.type, message: err.message } : { type: 'HarnessError', message: `${thrownType(err)}: ${thrownMessage(err)}` };
    send({ id: req.id, ok: false, error });
  }
}

let pendingText = '';
let queue: Promise<void> = Promise.resolve();
realStdin.setEncoding('utf8');
realStdin.on('data', (chunk: string) => {
  pendingText += chunk;
  for (let i = pendingText.indexOf('\n'); i !== -1; i = pendingText.indexOf('\n')) {
    const line = pendingText.slice(0, i);
    pendingText = pendingText.slice(i + 1);
    if (line.trim()) queue = queue.then(() => serve(line));
  }
});
// effopt closed the pipe (or died): nothing more will come.
realStdin.on('end', () => {
  void queue.then(() => realExit(0));
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { extractContext, extractFunctions, FunctionNotFound, receiverOf, spliceFunction } from '../../../src/core/parse';
import { fixture } from './fixtures';

function runPython(module: string, expression: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'effopt-ctx-'));
  try {
    writeFileSync(join(dir, 'candidate.py'), module);
    return execFileSync('python3', ['-c', `from candidate import *\nprint(repr(${expression}))`], { cwd: dir, encoding: 'utf8', timeout: 20_000 }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runNode(module: string, expression: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'effopt-ctx-'));
  try {
    writeFileSync(join(dir, 'candidate.cjs'), `${module}\nconsole.log(JSON.stringify(${expression}));\n`);
    return execFileSync(process.execPath, [join(dir, 'candidate.cjs')], { cwd: dir, encoding: 'utf8', timeout: 20_000 }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PY = `"""Module doc."""
import os
import math as m
from collections import defaultdict, Counter
try:
    import json
except ImportError:  # pragma: no cover
    json = None

LIMIT = 10
CACHE = {}
CACHE["seed"] = 1
UNUSED = object()


def helper(x):
    return x + LIMIT


def helper2(y):
    return helper(y) * 2


def unrelated():
    return os.getcwd()


class Point:
    def __init__(self, x):
        self.x = x

    def dist(self, other):
        return abs(self.x - other.x) + helper2(0)


def target(items):
    d = defaultdict(list)
    for i in items:
        if i not in CACHE:
            d[i].append(helper2(i))
    return json.dumps(d, sort_keys=True), m.floor(Point(3).dist(Point(1)))


if __name__ == "__main__":
    raise SystemExit(target([1]))
`;

describe('extractContext: Python', () => {
  it('collects the imports, constants, classes and helpers the function uses, transitively', async () => {
    const ctx = await extractContext(PY, 'python', 'target');
    assert.equal(ctx.target.qualifiedName, 'target');
    assert.equal(ctx.accessPath, 'target');
    assert.deepEqual(ctx.imports, [
      'import math as m',
      'from collections import defaultdict, Counter',
      'try:\n    import json\nexcept ImportError:  # pragma: no cover\n    json = None',
    ]);
    assert.deepEqual(
      ctx.helpers.map((h) => h.split('(')[0]),
      ['def helper', 'def helper2'],
    );
    assert.deepEqual(
      ctx.declarations.map((d) => d.split('\n')[0]),
      ['LIMIT = 10', 'CACHE = {}', 'CACHE["seed"] = 1', 'class Point:'],
    );
    assert.ok(!ctx.moduleText.includes('unrelated') && !ctx.moduleText.includes('UNUSED') && !ctx.moduleText.includes('__main__'));
    assert.equal(ctx.moduleText.slice(ctx.targetRange.start, ctx.targetRange.end), ctx.targetText);
    assert.equal(ctx.truncated, false);
  });

  it('builds a module that runs, and stays runnable with a rewrite spliced in', async () => {
    const ctx = await extractContext(PY, 'python', 'target');
    const expected = runPython(ctx.moduleText, 'target([3, 1, 3])');
    assert.equal(expected, `('{"1": [22], "3": [26, 26]}', 22)`);
    const rewrite = [
      'def target(items):',
      '    d = defaultdict(list)',
      '    for i in items:',
      '        if i not in CACHE:',
      '            d[i].append(2 * (i + LIMIT))',
      '    return json.dumps(d, sort_keys=True), m.floor(Point(3).dist(Point(1)))',
    ].join('\n');
    assert.equal(runPython(spliceFunction(ctx, rewrite), 'target([3, 1, 3])'), expected);
  });

  it('re-indents a rewritten method to its place in the class', async () => {
    const ctx = await extractContext(PY, 'python', 'Point.dist');
    assert.equal(ctx.accessPath, 'Point.dist');
    assert.equal(ctx.container.kind, 'container');
    assert.ok(ctx.container.text.startsWith('class Point:'));
    // A reply cut at the method's own offset: first line unindented, body at 8 spaces.
    const reply = 'def dist(self, other):\n        # faster\n        return abs(self.x - other.x) + 2 * (0 + LIMIT)';
    const module = spliceFunction(ctx, reply, { sourceColumn: 4 });
    assert.match(module, /\n {4}def dist\(self, other\):\n {8}# faster\n {8}return abs/);
    assert.equal(runPython(module, 'Point(5).dist(Point(1))'), '24');
    // A reply written at column 0 works the same way.
    const flat = spliceFunction(ctx, 'def dist(self, other):\n    return abs(self.x - other.x) + 20');
    assert.equal(runPython(flat, 'Point(5).dist(Point(1))'), '24');
  });

  it('keeps the outer function as container of a nested one', async () => {
    const src = fixture('shapes.py');
    const ctx = await extractContext(src, 'python', 'Circle.scaled.clamp');
    assert.ok(ctx.container.text.startsWith('@dataclass\nclass Circle:'));
    assert.equal(ctx.accessPath, undefined);
    assert.ok(ctx.declarations.includes('EPSILON = 1e-9'));
    assert.ok(ctx.helpers.some((h) => h.startsWith('def _check')));
    assert.ok(ctx.imports.includes('from dataclasses import dataclass'));
    assert.ok(ctx.imports.includes('from __future__ import annotations'));
  });

  it('says which functions exist when the name is unknown', async () => {
    await assert.rejects(extractContext(PY, 'python', 'nope'), (err: Error) => err instanceof FunctionNotFound && /found: .*helper2/.test(err.message));
  });
});

describe('extractContext: JavaScript and TypeScript', () => {
  it('follows requires, helpers, constants and prototype extensions', async () => {
    const src = fixture('library.js');
    const ctx = await extractContext(src, 'javascript', 'utils.nested.deep');
    assert.equal(ctx.accessPath, undefined);
    assert.ok(ctx.container.text.startsWith('const utils = {'));
    assert.deepEqual(ctx.imports, ["const path = require('node:path');"]);
    assert.deepEqual(ctx.declarations, ['const DEFAULT_LIMIT = 100;']);

    const q = await extractContext(src, 'javascript', 'Queue.drain');
    assert.equal(q.accessPath, 'Queue.prototype.drain');
    assert.deepEqual(q.imports, ["const { EventEmitter } = require('node:events');"]);
    // Statements that extend the class come along.
    assert.ok(q.declarations.some((d) => d.startsWith('Queue.prototype.peek = function peek()')));
    assert.equal((await extractContext(src, 'javascript', 'Queue.create')).accessPath, 'Queue.create');
  });

  it('builds a runnable CommonJS module and splices a rewrite', async () => {
    const src = fixture('library.js');
    const ctx = await extractContext(src, 'javascript', 'unique');
    assert.equal(ctx.moduleText, `${ctx.targetText}\n`);
    const original = runNode(ctx.moduleText, 'unique([3, 1, 3, 2, 1])');
    assert.equal(original, '[3,1,2]');
    const rewrite = 'function unique(items) {\n  return [...new Set(items)];\n}';
    assert.equal(runNode(spliceFunction(ctx, rewrite), 'unique([3, 1, 3, 2, 1])'), original);

    const fib = await extractContext(src, 'javascript', 'utils.fib');
    assert.equal(fib.accessPath, 'utils.fib');
    assert.equal(runNode(fib.moduleText, 'utils.fib(10)'), '55');
  });

  it('collects types, enums and imports for TypeScript', async () => {
    const src = fixture('service.ts');
    const ctx = await extractContext(src, 'typescript', 'Service.load');
    assert.ok(ctx.container.text.startsWith('export class Service extends Base<Id>'));
    assert.deepEqual(ctx.imports, ["import { readFile } from 'node:fs/promises';", "import * as os from 'node:os';"]);
    assert.deepEqual(
      ctx.declarations.map((d) => d.split('\n')[0]),
      ['export type Id = string | number;', 'export enum Level {', 'export abstract class Base<T> {'],
    );
    assert.ok(ctx.helpers.some((h) => h.startsWith('function log(')));
    const tsx = await extractContext(fixture('component.tsx'), 'tsx', 'Table');
    assert.ok(tsx.imports[0].startsWith('import React, { useMemo, useState }'));
    assert.deepEqual(
      tsx.declarations.map((d) => d.split('\n')[0]),
      ['export interface Row {', 'type Props = { rows: Row[]; selected: string[]; render?: (row: Row) => ReactNode };', 'const MAX_ROWS = 500;'],
    );
    assert.ok(tsx.imports.some((i) => i.startsWith('import type { ReactNode }')));
  });

  it('finds a function in an LLM reply by name and compares its signature', async () => {
    const reply = 'Here is a faster version:\n\n```\nfunction unique(items) {\n  return Array.from(new Set(items));\n}\n```\n';
    const code = reply.split('```')[1];
    const { functions } = await extractFunctions(code, 'javascript');
    assert.deepEqual(
      functions.map((f) => [f.qualifiedName, f.params]),
      [['unique', ['items']]],
    );
  });
});

describe('receiverOf: which targets are instance methods', () => {
  it('JavaScript: methods reached through the prototype (class bodies and Class.prototype.m = function), not static or object methods', async () => {
    const src =
      'class Queue {\n  static create() { return new Queue(); }\n  drain(n) { return this.items.splice(0, n); }\n}\nQueue.prototype.peek = function peek() { return this.items[0]; };\nconst utils = { twice(x) { return 2 * x; } };\nfunction top(x) { return x; }\nmodule.exports = { Queue, utils, top };\n';
    const receiver = async (name: string) => receiverOf(await extractContext(src, 'javascript', name));
    assert.equal(await receiver('Queue.drain'), 'this');
    assert.equal(await receiver('Queue.prototype.peek'), 'this');
    assert.equal(await receiver('Queue.create'), undefined);
    assert.equal(await receiver('utils.twice'), undefined);
    assert.equal(await receiver('top'), undefined);
  });

  it('Python: methods of a top-level class, decorated or not, except static and class methods', async () => {
    const src =
      'import functools\n\nclass Bag:\n    def size(self):\n        return len(self.items)\n\n    @functools.lru_cache(maxsize=None)\n    def cached(self, x):\n        return x in self.items\n\n    @staticmethod\n    def s(x):\n        return x\n\n    @classmethod\n    def c(cls, x):\n        return cls(x)\n\n    async def fetch(self):\n        return self.items\n\ndef top(x):\n    return x\n';
    const receiver = async (name: string) => receiverOf(await extractContext(src, 'python', name));
    assert.equal(await receiver('Bag.size'), 'self');
    assert.equal(await receiver('Bag.cached'), 'self');
    assert.equal(await receiver('Bag.fetch'), 'self');
    assert.equal(await receiver('Bag.s'), undefined);
    assert.equal(await receiver('Bag.c'), undefined);
    assert.equal(await receiver('top'), undefined);
  });
});

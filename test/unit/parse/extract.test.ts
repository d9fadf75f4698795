import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractFunctions, functionAtOffset, languageForPath, standaloneFunctions, type FunctionInfo } from '../../../src/core/parse';
import { byName, fixture, textOf } from './fixtures';

const summary = (fs: FunctionInfo[]): [string, string][] => fs.map((f) => [f.qualifiedName, f.kind]);

describe('languageForPath', () => {
  it('maps extensions, JSX to JavaScript and TSX to its own grammar', () => {
    const cases: [string, string | undefined][] = [
      ['a.js', 'javascript'],
      ['a.jsx', 'javascript'],
      ['a.mjs', 'javascript'],
      ['a.cjs', 'javascript'],
      ['a.ts', 'typescript'],
      ['a.mts', 'typescript'],
      ['a.cts', 'typescript'],
      ['A.TSX', 'tsx'],
      ['x/y/z.py', 'python'],
      ['README.md', undefined],
      ['Makefile', undefined],
    ];
    for (const [path, lang] of cases) assert.equal(languageForPath(path), lang, path);
  });
});

describe('extractFunctions: JavaScript', async () => {
  const src = fixture('library.js');
  const { functions, syntaxErrors } = await extractFunctions(src, 'javascript');

  it('finds declarations, arrows, class members, object methods and assignments in source order', () => {
    assert.deepEqual(syntaxErrors, []);
    assert.deepEqual(summary(functions), [
      ['unique', 'function'],
      ['sum', 'arrow'],
      ['chunks', 'function'],
      ['Queue.create', 'method'],
      ['Queue.constructor', 'constructor'],
      ['Queue.size', 'getter'],
      ['Queue.size', 'setter'],
      ['Queue.#compact', 'method'],
      ['Queue.drain', 'method'],
      ['Queue.[Symbol.iterator]', 'method'],
      ['Queue.onEvent', 'arrow'],
      ['utils.join', 'objectMethod'],
      ['utils.fib', 'objectMethod'],
      ['utils.nested.deep', 'objectMethod'],
      ['module.exports.render', 'function'],
      ['Queue.prototype.peek', 'function'],
      ['fib', 'function'],
    ]);
  });

  it('reports 1-based lines and UTF-16 offsets that select the definition', () => {
    const unique = byName(functions, 'unique');
    assert.equal(unique.startLine, 8);
    assert.equal(unique.endLine, 14);
    assert.ok(textOf(src, unique).startsWith('function unique(items) {'));
    assert.ok(textOf(src, unique).endsWith('return out;\n}'));
    // An arrow bound by const: the whole declaration is the extent.
    assert.equal(textOf(src, byName(functions, 'sum')), 'const sum = (xs) => xs.reduce((a, b) => a + b, 0);');
    assert.equal(byName(functions, 'sum').startColumn, 0);
  });

  it('reads parameters, async and generator flags', () => {
    const chunks = byName(functions, 'chunks');
    assert.deepEqual(chunks.params, ['stream', 'size = 64']);
    assert.equal(chunks.async, true);
    assert.equal(chunks.generator, true);
    assert.deepEqual(byName(functions, 'Queue.create').params, ['...items']);
    assert.equal(byName(functions, 'Queue.drain').async, true);
    assert.equal(byName(functions, 'Queue.[Symbol.iterator]').generator, true);
    assert.equal(byName(functions, 'unique').async, false);
  });

  it('lists constructors and setters as not optimizable, with a reason; getters are optimizable like methods', () => {
    assert.ok(
      functions.some((f) => f.kind === 'getter'),
      'the fixture has a getter',
    );
    for (const f of functions) {
      const special = f.kind === 'constructor' || f.kind === 'setter';
      assert.equal(f.optimizable, !special, f.qualifiedName);
      assert.equal(typeof f.reason === 'string' && f.reason.length > 0, special, f.qualifiedName);
    }
    assert.equal(byName(functions, 'Queue.drain').className, 'Queue');
  });

  it('names a function assigned to this.x inside a method after the method, without "this"', async () => {
    const src = 'class Option {\n  choices(values) {\n    this.parseArg = (arg) => values.includes(arg);\n  }\n}\n';
    const { functions: fs } = await extractFunctions(src, 'javascript');
    assert.deepEqual(summary(fs), [
      ['Option.choices', 'method'],
      ['Option.choices.parseArg', 'arrow'],
    ]);
  });
});

describe('extractFunctions: TypeScript', async () => {
  const src = fixture('service.ts');
  const { functions } = await extractFunctions(src, 'typescript');

  it('lists the implementation of an overloaded function only', () => {
    const parses = functions.filter((f) => f.name === 'parse');
    assert.equal(parses.length, 1);
    assert.deepEqual(parses[0].params, ['input: string | number']);
    assert.ok(textOf(src, parses[0]).startsWith('function parse(input: string | number): number {'));
    const finds = functions.filter((f) => f.qualifiedName === 'Base.find');
    assert.equal(finds.length, 1);
    assert.deepEqual(finds[0].params, ['pred: (item: T) => boolean', 'start = 0']);
  });

  it('marks abstract and declared functions as not optimizable', () => {
    const abstract = byName(functions, 'Base.score');
    assert.equal(abstract.optimizable, false);
    assert.match(abstract.reason!, /abstract/);
    const declared = byName(functions, 'external');
    assert.equal(declared.optimizable, false);
    assert.match(declared.reason!, /without a body/);
  });

  it('includes class-member decorators in the extent and reads modifiers', () => {
    const load = byName(functions, 'Service.load');
    assert.ok(textOf(src, load).startsWith('@log\n  public async load('));
    assert.equal(load.async, true);
    assert.deepEqual(load.params, ['path: string', 'level: Level = Level.Low']);
    assert.equal(byName(functions, 'Service.score').startLine, 37);
    assert.equal(byName(functions, 'Service.of').kind, 'method');
    assert.equal(byName(functions, 'Util.clamp').kind, 'function');
  });
});

describe('extractFunctions: TSX', async () => {
  const src = fixture('component.tsx');
  const { functions, syntaxErrors } = await extractFunctions(src, 'tsx');

  it('finds function and arrow components, generic arrows and nested handlers', () => {
    assert.deepEqual(syntaxErrors, []);
    assert.deepEqual(summary(functions), [
      ['Table', 'function'],
      ['Counter', 'arrow'],
      ['Counter.increment', 'arrow'],
      ['App', 'function'],
      ['List', 'arrow'],
      ['Store.add', 'method'],
    ]);
    assert.equal(byName(functions, 'App').name, 'App');
    assert.deepEqual(byName(functions, 'Counter').params, ['{start = 0}: {start?: number}']);
    assert.ok(textOf(src, byName(functions, 'List')).startsWith('const List = <T,>('));
  });

  it('sees a linear search inside a JSX map callback as hot', () => {
    const table = byName(functions, 'Table');
    assert.ok(table.hotness > 0);
    assert.ok(
      table.hotnessReasons.some((r) => r.includes('.includes()')),
      table.hotnessReasons.join('; '),
    );
  });
});

describe('extractFunctions: Python', async () => {
  const src = fixture('shapes.py');
  const { functions } = await extractFunctions(src, 'python');

  it('finds functions, methods, nested defs, properties and named lambdas', () => {
    assert.deepEqual(summary(functions), [
      ['_check', 'function'],
      ['Circle.area', 'getter'],
      ['Circle.area', 'setter'],
      ['Circle.__init__', 'constructor'],
      ['Circle.unit', 'method'],
      ['Circle.from_area', 'method'],
      ['Circle.scaled', 'method'],
      ['Circle.scaled.clamp', 'function'],
      ['pairs_within', 'function'],
      ['slow_fib', 'function'],
      ['fast_fib', 'function'],
      ['report', 'function'],
      ['fetch_all', 'function'],
      ['fetch_all.one', 'function'],
      ['numbers', 'function'],
      ['square', 'arrow'],
      ['outer', 'function'],
      ['outer.middle', 'function'],
      ['outer.middle.inner', 'function'],
    ]);
  });

  it('includes decorators in the extent', () => {
    const unit = byName(functions, 'Circle.unit');
    assert.ok(textOf(src, unit).startsWith('@staticmethod\n    def unit()'));
    assert.equal(unit.startColumn, 4);
    const fast = byName(functions, 'fast_fib');
    assert.ok(textOf(src, fast).startsWith('@functools.lru_cache(maxsize=None)\ndef fast_fib(n):'));
    assert.equal(fast.startLine, 65);
  });

  it('reads every parameter form and the async / generator flags', () => {
    assert.deepEqual(byName(functions, 'Circle.scaled').params, ['self', 'factor', '/', '*', 'exact=False', '**options']);
    assert.deepEqual(byName(functions, 'fetch_all').params, ['urls', '*args', 'timeout: float = 1.0']);
    assert.equal(byName(functions, 'fetch_all').async, true);
    assert.equal(byName(functions, 'fetch_all.one').async, true);
    assert.equal(byName(functions, 'numbers').generator, true);
    assert.deepEqual(byName(functions, 'square').params, ['x']);
  });

  it('takes a yield in a nested def for the nested function only', async () => {
    const { functions: fs } = await extractFunctions('def a():\n    def b():\n        yield 1\n    return b\n', 'python');
    assert.equal(byName(fs, 'a').generator, false);
    assert.equal(byName(fs, 'a.b').generator, true);
  });

  it('finds yields through blocks, not through nested lambdas, classes or parameter defaults', async () => {
    const cases: [string, [string, boolean][]][] = [
      ['def a():\n    class C:\n        x = [(yield)]\n    return C\n', [['a', false]]],
      ['f = lambda: (yield)\n', [['f', true]]],
      // The body of g is a lambda: a walk from that body finds the yield, as before.
      ['g = lambda: lambda: (yield)\n', [['g', true]]],
      ['def d(x=(yield)):\n    return x\n', [['d', false]]],
      [
        'def e():\n    h = lambda: (yield)\n    return h\n',
        [
          ['e', false],
          ['e.h', true],
        ],
      ],
      ['def k():\n    x = yield from range(3)\n    return x\n', [['k', true]]],
      ['def m():\n    if True:\n        for i in range(3):\n            yield i\n', [['m', true]]],
      [
        'class K:\n    def it(self):\n        yield self\n    def plain(self):\n        return [x for x in self]\n',
        [
          ['K.it', true],
          ['K.plain', false],
        ],
      ],
      ['def broken(:\n    yield 1\n', [['broken', true]]],
    ];
    for (const [source, expected] of cases) {
      const { functions: fs } = await extractFunctions(source, 'python');
      assert.deepEqual(
        fs.map((f) => [f.qualifiedName, f.generator]),
        expected,
        source,
      );
    }
  });
});

describe('extractFunctions: unicode and line endings', () => {
  it('uses UTF-16 offsets with astral characters and non-ASCII identifiers', async () => {
    const src = fixture('unicode.js');
    const { functions } = await extractFunctions(src, 'javascript');
    assert.deepEqual(
      functions.map((f) => f.qualifiedName),
      ['größe', '变量', 'Ωmega.λ'],
    );
    const g = byName(functions, 'größe');
    assert.equal(g.startOffset, src.indexOf('function größe'));
    assert.equal(textOf(src, g), src.slice(src.indexOf('function größe'), src.indexOf('}\n') + 1));
    assert.deepEqual(g.params, ['straße', 'ñ = "🎉"']);
    const lambda = byName(functions, 'Ωmega.λ');
    assert.equal(lambda.startColumn, src.split('\n')[5].indexOf('λ'));
    assert.equal(textOf(src, lambda), 'λ(x) { return x; }');
  });

  it('gives the same functions, lines and parameters for CRLF files, with offsets into the CRLF text', async () => {
    for (const [file, lang] of [
      ['shapes.py', 'python'],
      ['service.ts', 'typescript'],
      ['library.js', 'javascript'],
    ] as const) {
      const lf = fixture(file);
      const crlf = lf.replace(/\n/g, '\r\n');
      const a = await extractFunctions(lf, lang);
      const b = await extractFunctions(crlf, lang);
      assert.deepEqual(b.syntaxErrors, [], file);
      assert.deepEqual(
        b.functions.map((f) => [f.qualifiedName, f.startLine, f.endLine, f.params, f.kind, f.hotnessReasons]),
        a.functions.map((f) => [f.qualifiedName, f.startLine, f.endLine, f.params, f.kind, f.hotnessReasons]),
        file,
      );
      for (let i = 0; i < a.functions.length; i++) {
        assert.equal(textOf(crlf, b.functions[i]).replace(/\r\n/g, '\n'), textOf(lf, a.functions[i]), `${file} ${a.functions[i].qualifiedName}`);
      }
    }
  });
});

describe('functionAtOffset', () => {
  it('returns the innermost function around an offset', async () => {
    const src = fixture('shapes.py');
    const { functions } = await extractFunctions(src, 'python');
    assert.equal(functionAtOffset(functions, src.indexOf('return max(EPSILON'))?.qualifiedName, 'Circle.scaled.clamp');
    assert.equal(functionAtOffset(functions, src.indexOf('return Circle(clamp('))?.qualifiedName, 'Circle.scaled');
    assert.equal(functionAtOffset(functions, src.indexOf('UNITS =')), undefined);
  });
});

describe('standaloneFunctions', () => {
  it('keeps what effopt can call on its own: no closures, no #private members', async () => {
    const src = [
      'function outer(xs) {',
      '  const inner = (x) => x * 2;',
      '  return xs.map(inner);',
      '}',
      'class Box {',
      '  #secret() { return 1; }',
      '  static make() { return new Box(); }',
      '  size(xs) { return xs.filter(function keep(x) { return x > 0; }).length; }',
      '}',
      'const util = { twice(x) { return x * 2; } };',
      'function last() {}',
    ].join('\n');
    const { functions } = await extractFunctions(src, 'javascript');
    assert.deepEqual(
      functions.map((f) => f.qualifiedName),
      ['outer', 'outer.inner', 'Box.#secret', 'Box.make', 'Box.size', 'Box.size.keep', 'util.twice', 'last'],
    );
    assert.deepEqual(
      standaloneFunctions(functions).map((f) => f.qualifiedName),
      ['outer', 'Box.make', 'Box.size', 'util.twice', 'last'],
    );
  });
});

// Cyclomatic complexity per function (1 + branches: if, ?:, case, loops, catch, &&, ||, ??), and
// the count of non-null assertions (`x!`) per file. Usage: node scripts/complexity.mjs [dir] [top]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = process.argv[2] ?? 'src/core';
const top = Number(process.argv[3] ?? 10);

const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });

const isFunction = (n) =>
  ts.isFunctionDeclaration(n) ||
  ts.isMethodDeclaration(n) ||
  ts.isArrowFunction(n) ||
  ts.isFunctionExpression(n) ||
  ts.isConstructorDeclaration(n) ||
  ts.isGetAccessor(n) ||
  ts.isSetAccessor(n);
const branches = new Set([
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ConditionalExpression,
  ts.SyntaxKind.CaseClause,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.CatchClause,
]);
const logical = new Set([ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken]);

const rows = [];
const assertions = [];
for (const file of files(root)) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  let nonNull = 0;
  const nameOf = (n) => {
    if (n.name && ts.isIdentifier(n.name)) return n.name.text;
    const p = n.parent;
    if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
    if (p && ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) return p.name.text;
    return '(anonymous)';
  };
  // A nested function's branches count for it, not for the function around it.
  const count = (node) => {
    let n = 0;
    const walk = (x) => {
      if (x !== node && isFunction(x)) return;
      if (branches.has(x.kind)) n++;
      if (ts.isBinaryExpression(x) && logical.has(x.operatorToken.kind)) n++;
      ts.forEachChild(x, walk);
    };
    walk(node);
    return n + 1;
  };
  const visit = (node) => {
    if (ts.isNonNullExpression(node)) nonNull++;
    if (isFunction(node)) {
      const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      rows.push({ where: `${relative('.', file)}:${line}`, name: nameOf(node), complexity: count(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (nonNull > 0) assertions.push({ file: relative('.', file), nonNull });
}
rows.sort((a, b) => b.complexity - a.complexity);
console.log(`most complex functions under ${root}:`);
for (const r of rows.slice(0, top)) console.log(`${String(r.complexity).padStart(4)}  ${r.name}  ${r.where}`);
console.log('\nnon-null assertions:');
for (const a of assertions.sort((x, y) => y.nonNull - x.nonNull).slice(0, top)) console.log(`${String(a.nonNull).padStart(4)}  ${a.file}`);

// Writes the scripted LLM server's scripts for the end-to-end tests (run after changing an
// example): node --import tsx test/unit/e2e/make-script.ts
//   test/fixtures/llm-server/scripts/examples.json      every example in examples/
//   test/fixtures/llm-server/scripts/buggy-bands.json   the buggy original (tests disagree)
import { writeFileSync } from 'node:fs';
import { BUGGY_SCRIPT, buggyScript } from './buggy';
import { EXAMPLES_SCRIPT, examplesScript, scriptText } from './examples';

for (const [file, script] of [
  [EXAMPLES_SCRIPT, examplesScript()],
  [BUGGY_SCRIPT, buggyScript()],
] as const) {
  writeFileSync(file, scriptText(script));
  process.stdout.write(`wrote ${file}\n`);
}

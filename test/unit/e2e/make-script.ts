// Writes test/fixtures/llm-server/scripts/examples.json from examples/ (run after changing an
// example): node --import tsx test/unit/e2e/make-script.ts
import { writeFileSync } from 'node:fs';
import { EXAMPLES_SCRIPT, examplesScript, scriptText } from './examples';

writeFileSync(EXAMPLES_SCRIPT, scriptText(examplesScript()));
process.stdout.write(`wrote ${EXAMPLES_SCRIPT}\n`);

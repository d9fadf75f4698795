import type { Command } from 'commander';
import { BadInput } from '../errors';

export function registerOptimize(program: Command): void {
  program
    .command('optimize <file>')
    .description('optimize a function with the configured LLM')
    .requiredOption('--function <name>', 'function name or qualified name')
    .action(() => {
      throw new BadInput('`effopt optimize` is not available in this build yet');
    });
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate <file>')
    .description('verify, benchmark and score supplied rewrites of a function')
    .requiredOption('--function <name>', 'function name or qualified name')
    .action(() => {
      throw new BadInput('`effopt evaluate` is not available in this build yet');
    });
}

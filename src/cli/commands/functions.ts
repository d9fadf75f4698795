import type { Command } from 'commander';
import { BadInput } from '../errors';

export function registerFunctions(program: Command): void {
  program
    .command('functions <file>')
    .description('list the functions of a file with their hotness')
    .option('--json', 'print JSON (DESIGN §6 contract)')
    .action(() => {
      throw new BadInput('`effopt functions` is not available in this build yet');
    });
}

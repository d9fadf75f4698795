import type { Command } from 'commander';
import { BadInput } from '../errors';

export function registerScore(program: Command): void {
  program
    .command('score <metric>')
    .description('compute eff@k / pass@k (effk) or a B4 ranking (b4) from JSON on stdin')
    .action(() => {
      throw new BadInput('`effopt score` is not available in this build yet');
    });
}

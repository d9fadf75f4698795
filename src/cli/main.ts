// The `effopt` command: one subcommand per module under ./commands, on the same engine as the
// extension. Exit codes (docs/CONTRACTS.md): 0 completed run, 2 bad input, 1 internal error.
import { Command, CommanderError } from 'commander';
import { registerEvaluate, registerOptimize } from './commands/optimize';
import { registerFunctions } from './commands/functions';
import { registerScore } from './commands/score';
import { EFFOPT_VERSION } from '../core/setup';
import { BadInput, EXIT } from './errors';

export function buildProgram(): Command {
  const program = new Command('effopt')
    .description('LLM-assisted code optimization, verified by tests and measured with statistics')
    .version(EFFOPT_VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerFunctions(program);
  registerOptimize(program);
  registerEvaluate(program);
  registerScore(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exitCode 0; usage errors are bad input.
      return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (err instanceof BadInput) {
      process.stderr.write(`effopt: ${err.message}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`effopt: internal error: ${(err as Error)?.stack ?? err}\n`);
    return EXIT.internal;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

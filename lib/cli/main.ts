import { Command } from 'commander';
import { COMMANDS } from './commands';

/**
 * The `cdk8s-baremetal` program. With `only` naming a subcommand, just that one is registered (its
 * module alone is loaded); otherwise every subcommand, for help and for commander's "unknown
 * command" suggestions.
 */
export function createProgram(only?: string): Command {
  const program = new Command('cdk8s-baremetal')
    .description('Synthesize, validate and compare bare-metal Kubernetes site manifests')
    .showHelpAfterError()
    .exitOverride();
  const named = COMMANDS.filter((c) => c.name === only);
  for (const command of named.length > 0 ? named : COMMANDS) command.load()(program);
  return program;
}

/** Runs the tool with `argv` (as `process.argv`); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // The program takes no options of its own: the first word after it is the subcommand.
  const program = createProgram(argv[2]);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code; // commander already printed help or the usage error
    console.error((err as Error).message ?? String(err));
    return 1;
  }
}

import { Command } from 'commander';
import { COMMANDS } from './commands';

/** The `cdk8s-baremetal` program with every registered subcommand. */
export function createProgram(): Command {
  const program = new Command('cdk8s-baremetal')
    .description('Synthesize, validate and compare bare-metal Kubernetes site manifests')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the tool with `argv` (as `process.argv`); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
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

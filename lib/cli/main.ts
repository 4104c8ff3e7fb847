import { Command } from 'commander';

/** A subcommand of the `cdk8s-baremetal` tool: each lives in its own module under lib/cli/. */
export interface CliCommand {
  /** Adds the subcommand to `program`. */
  register(program: Command): void;
}

/** Subcommands, in help order. Modules push themselves here through `lib/cli/commands.ts`. */
export const COMMANDS: CliCommand[] = [];

/** The `cdk8s-baremetal` program with every registered subcommand. */
export function createProgram(): Command {
  const program = new Command('cdk8s-baremetal')
    .description('Synthesize, validate and compare bare-metal Kubernetes site manifests')
    .showHelpAfterError()
    .exitOverride();
  for (const command of COMMANDS) command.register(program);
  return program;
}

/** Runs the tool with `argv` (as `process.argv`); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  require('./commands');
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

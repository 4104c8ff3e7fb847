import type { Command } from 'commander';

/** Adds one subcommand to the program; each lives in its own `*-command` module under lib/cli/. */
export type RegisterCommand = (program: Command) => void;

/**
 * A subcommand: its name, and how to load the module that registers it. A command's module is
 * loaded only when that command runs (or for help), so that `validate` and `plan` do not load the
 * construct library that `synth` needs.
 */
export interface CommandEntry {
  /** The subcommand's name, as typed after the program name. */
  readonly name: string;
  /** Loads the command's module and returns its registration function. */
  readonly load: () => RegisterCommand;
}

/** Every subcommand of the tool, in help order: a new `*-command` module is added here. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'init', load: () => (require('./init-command') as typeof import('./init-command')).registerInit },
  {
    name: 'validate',
    load: () => (require('./validate-command') as typeof import('./validate-command')).registerValidate,
  },
  { name: 'plan', load: () => (require('./plan-command') as typeof import('./plan-command')).registerPlan },
  { name: 'synth', load: () => (require('./synth-command') as typeof import('./synth-command')).registerSynth },
  { name: 'report', load: () => (require('./report-command') as typeof import('./report-command')).registerReport },
];

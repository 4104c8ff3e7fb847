import type { Command } from 'commander';
import { registerInit } from './init-command';
import { registerPlan } from './plan-command';
import { registerReport } from './report-command';
import { registerSynth } from './synth-command';
import { registerValidate } from './validate-command';

/** Adds one subcommand to the program; each lives in its own `*-command` module under lib/cli/. */
export type RegisterCommand = (program: Command) => void;

/** Every subcommand of the tool, in help order: a new `*-command` module is added here. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerInit,
  registerValidate,
  registerPlan,
  registerSynth,
  registerReport,
];

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { COMMANDS } from '../../lib/cli/commands';
import { createProgram } from '../../lib/cli/main';

describe('lib/cli/commands', () => {
  test('lists one subcommand per *-command module, each reachable from the program', () => {
    // GIVEN the command modules on disk
    const modules = readdirSync(join(__dirname, '..', '..', 'lib', 'cli')).filter((f) => f.endsWith('-command.ts'));
    // THEN the registry holds one entry per module, and each adds the subcommand named after its file
    expect(COMMANDS).toHaveLength(modules.length);
    const names = createProgram().commands.map((c) => c.name());
    expect([...names].sort()).toEqual(modules.map((f) => f.replace(/-command\.ts$/, '')).sort());
  });

  test('each entry registers the subcommand of its name', () => {
    for (const entry of COMMANDS) {
      // GIVEN a bare program
      const program = new Command('x');
      // WHEN the entry's module registers itself
      entry.load()(program);
      // THEN exactly that subcommand was added
      expect(program.commands.map((c) => c.name())).toEqual([entry.name]);
    }
  });
});

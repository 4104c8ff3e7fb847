import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, createProgram } from '../../lib/cli/main';

describe('lib/cli/commands', () => {
  test('registers one subcommand per *-command module, each reachable from the program', () => {
    // GIVEN the command modules on disk
    const modules = readdirSync(join(__dirname, '..', '..', 'lib', 'cli')).filter((f) => f.endsWith('-command.ts'));
    // WHEN the registry module is loaded
    require('../../lib/cli/commands');
    // THEN each module added exactly one subcommand, named after its file
    expect(COMMANDS).toHaveLength(modules.length);
    const names = createProgram().commands.map((c) => c.name());
    expect([...names].sort()).toEqual(modules.map((f) => f.replace(/-command\.ts$/, '')).sort());
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
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
});

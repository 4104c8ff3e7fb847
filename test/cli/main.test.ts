import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram, main } from '../../lib/cli/main';

describe('cdk8s-baremetal', () => {
  test('prints help and exits 0', async () => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    try {
      expect(await main(['node', 'cdk8s-baremetal', '--help'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(out.join('')).toContain('Usage: cdk8s-baremetal');
  });

  test('refuses an unknown subcommand with a non-zero exit', async () => {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'cdk8s-baremetal', 'no-such-command'])).not.toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  test('the program is named for the package binary', () => {
    expect(createProgram().name()).toBe('cdk8s-baremetal');
  });

  test('the installed binary runs from the compiled build', () => {
    const out = execFileSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'cdk8s-baremetal'), '--help'], {
      encoding: 'utf8',
    });
    expect(out).toContain('Usage: cdk8s-baremetal');
  });

  test('registers only the subcommand that runs, every one for help or an unknown word', () => {
    expect(createProgram('plan').commands.map((c) => c.name())).toEqual(['plan']);
    const all = ['init', 'validate', 'plan', 'synth', 'report'];
    expect(createProgram().commands.map((c) => c.name())).toEqual(all);
    expect(createProgram('--help').commands.map((c) => c.name())).toEqual(all);
    expect(createProgram('no-such-command').commands.map((c) => c.name())).toEqual(all);
  });

  test('validate and plan run without loading the construct libraries', () => {
    // GIVEN a folder with one manifest
    const dir = mkdtempSync(join(tmpdir(), 'cli-main-'));
    writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    const loaded = (args: string[]) => {
      // WHEN the compiled program runs the command in a fresh process
      const script = `require(${JSON.stringify(join(__dirname, '..', '..', 'build', 'lib', 'cli', 'main'))}).main(${JSON.stringify(['node', 'cdk8s-baremetal', ...args])}).then((code) => { process.stdout.write('\\n' + JSON.stringify({ code, modules: Object.keys(require.cache) })); });`;
      const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      return JSON.parse(out.slice(out.lastIndexOf('\n') + 1)) as { code: number; modules: string[] };
    };
    try {
      for (const args of [
        ['validate', dir],
        ['plan', dir, dir],
      ]) {
        const { code, modules } = loaded(args);
        // THEN it succeeds, and neither cdk8s, cdk8s-plus nor constructs was loaded
        expect(code).toBe(0);
        expect(modules.filter((m) => /node_modules[\\/](cdk8s|cdk8s-plus-29|constructs)[\\/]/.test(m))).toEqual([]);
      }
      // (the check can fail: synth does load them)
      expect(loaded(['synth', '--help']).modules.some((m) => /node_modules[\\/]cdk8s[\\/]/.test(m))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { execFileSync } from 'node:child_process';
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
});

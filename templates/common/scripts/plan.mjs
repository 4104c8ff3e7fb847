// npm run plan: what the freshly synthesized dist/ changes, object by object, against the last
// committed dist/ (git HEAD, or $PLAN_BASE, e.g. origin/main in a merge request pipeline).
// Exits 2 when a controller would reject a change. With no committed dist/ yet, every object is new.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const base = process.env.PLAN_BASE || 'HEAD';
const output = 'dist';
const git = (...args) => execFileSync('git', args, { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });

const before = mkdtempSync(join(tmpdir(), 'site-plan-'));
let status = 1;
try {
  let files = [];
  try {
    files = git('ls-tree', '-r', '--name-only', base, '--', output)
      .toString('utf8')
      .split('\n')
      .filter((f) => /\.ya?ml$/.test(f));
  } catch {
    // not a git repository, git not installed, or no commit yet
  }
  mkdirSync(join(before, output), { recursive: true });
  if (files.length === 0) console.log(`plan: no committed ${output}/ at ${base}; every object is new`);
  for (const file of files) {
    mkdirSync(dirname(join(before, file)), { recursive: true });
    writeFileSync(join(before, file), git('show', `${base}:./${file}`));
  }
  const cli = join(
    dirname(createRequire(import.meta.url).resolve('cdk8s-baremetal/package.json')),
    'bin',
    'cdk8s-baremetal',
  );
  const result = spawnSync(process.execPath, [cli, 'plan', join(before, output), output], { stdio: 'inherit' });
  status = result.status ?? 1;
} finally {
  rmSync(before, { recursive: true, force: true });
}
process.exit(status);

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import {
  airGapScript,
  configureNetworkScript,
  growfsScript,
  prepareBuildScript,
  PrepareBuildScriptOptions,
  shellQuote,
  stageFileScript,
} from '../../lib/eib/eib-scripts';
import { Rke2AirGapArtifacts } from '../../lib/eib/rke2-airgap-artifacts';

const HAS_BASH = spawnSync('bash', ['--version']).status === 0;
const HAS_SHA256SUM = spawnSync('sha256sum', ['--version']).status === 0;
const withBash = HAS_BASH ? test : test.skip;
const withBashAndSha = HAS_BASH && HAS_SHA256SUM ? test : test.skip;

/** `bash -n`: the script parses. */
function syntaxErrors(text: string): string {
  const r = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr;
}

/** Runs `text` with bash in `cwd`; returns the exit code and output. */
function run(text: string, cwd: string, env: Record<string, string> = {}): { status: number | null; out: string } {
  const file = join(cwd, '.script.sh');
  writeFileSync(file, text);
  const r = spawnSync('bash', [file], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function sandbox(): string {
  return mkdtempSync(join(tmpdir(), 'eib-script-'));
}

function put(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const artifacts = Rke2AirGapArtifacts.forRelease('v1.32.4+rke2r1', { cni: { plugin: 'cilium', multus: true } });

describe('shellQuote', () => {
  test('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('custom/files/rke2.linux-amd64.tar.gz')).toBe('custom/files/rke2.linux-amd64.tar.gz');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$(reboot)')).toBe("'$(reboot)'");
  });
});

describe('growfsScript', () => {
  test('grows the partition with growpart, tolerating NOCHANGE, then the file system', () => {
    const text = growfsScript();
    expect(text.startsWith('#!/bin/bash\n')).toBe(true);
    expect(text).toContain('growpart "/dev/${disk}" "${number}" || rc=$?');
    expect(text).toContain('if [ "${rc}" -gt 1 ]; then');
    expect(text).toContain('/usr/lib/systemd/systemd-growfs "${target}"');
    expect(text).toContain('/sys/class/block/${name}/partition');
    expect(text.trimEnd().endsWith('grow_to_disk /')).toBe(true);
  });

  withBash('parses (bash -n)', () => {
    expect(syntaxErrors(growfsScript())).toBe('');
  });
});

describe('airGapScript', () => {
  test('stages the installer, the release files and the image archives where the installer and RKE2 read them', () => {
    const text = airGapScript(artifacts);
    expect(text).toContain('install -D -m 0755 "${installer}" /opt/install.sh');
    expect(text).toContain('release=(\n  rke2.linux-amd64.tar.gz\n  sha256sum-amd64.txt\n)');
    expect(text).toContain(
      'images=(\n  rke2-images-core.linux-amd64.tar.zst\n  rke2-images-cilium.linux-amd64.tar.zst\n  rke2-images-multus.linux-amd64.tar.zst\n)',
    );
    expect(text).toContain('install -m 0644 "${release[@]}" /opt/rke2-artifacts/');
    expect(text).toContain('install -m 0644 "${images[@]}" /var/lib/rancher/rke2/agent/images/');
    expect(text).toContain('mount /var');
  });

  withBash('parses (bash -n)', () => {
    expect(syntaxErrors(airGapScript(artifacts))).toBe('');
  });

  withBash('fails before touching the system when a file is missing, naming each one', () => {
    // GIVEN custom/files with only the installer
    const dir = sandbox();
    try {
      put(dir, 'install.sh', '#!/bin/sh\n');
      // WHEN
      const r = run(airGapScript(artifacts), dir);
      // THEN
      expect(r.status).toBe(1);
      expect(r.out).toContain('02-airgap: rke2.linux-amd64.tar.gz is missing or empty');
      expect(r.out).toContain('02-airgap: rke2-images-multus.linux-amd64.tar.zst is missing or empty');
      expect(r.out).not.toContain('install.sh is missing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('stageFileScript', () => {
  const options = {
    scriptName: '03-performance',
    purpose: 'Installs the performance settings helper.',
    fileName: 'performance-settings.sh',
    target: '/opt/performance-settings/performance-settings.sh',
  };

  test('installs the file executable at its target', () => {
    expect(stageFileScript(options)).toContain(
      'install -D -m 0755 "${source_file}" /opt/performance-settings/performance-settings.sh',
    );
  });

  withBash('parses (bash -n) and fails when the file is missing', () => {
    expect(syntaxErrors(stageFileScript(options))).toBe('');
    const dir = sandbox();
    try {
      const r = run(stageFileScript(options), dir);
      expect(r.status).toBe(1);
      expect(r.out).toContain('03-performance: performance-settings.sh is missing or empty');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('configureNetworkScript', () => {
  test('applies the config drive network data with nmc and sets the host name', () => {
    const text = configureNetworkScript();
    expect(text).toContain('blkid --label config-2');
    expect(text).toContain('mount -o ro "${device}" "${drive}"');
    expect(text).toContain('cp "${latest}/network_data.json" "${work}/desired/_all.yaml"');
    expect(text).toContain('"${nmc}" generate --config-dir "${work}/desired" --output-dir "${work}/generated"');
    expect(text).toContain('"${nmc}" apply --config-dir "${work}/generated"');
    expect(text).toContain('>/etc/hostname');
  });

  withBash('parses (bash -n)', () => {
    expect(syntaxErrors(configureNetworkScript())).toBe('');
  });

  withBash('changes nothing when the host has no config drive', () => {
    // GIVEN a blkid that finds no config-2 label
    const dir = sandbox();
    try {
      put(dir, 'bin/blkid', '#!/bin/sh\nexit 2\n');
      chmodSync(join(dir, 'bin/blkid'), 0o755);
      // WHEN
      const r = run(configureNetworkScript(), dir, { PATH: `${join(dir, 'bin')}:${process.env.PATH}` });
      // THEN
      expect(r.status).toBe(0);
      expect(r.out).toContain('configure-network: no config-2 drive; keeping the default network configuration');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('prepareBuildScript', () => {
  const options: PrepareBuildScriptOptions = {
    definitionFile: 'def.yaml',
    renderedFile: 'def.rendered.yaml',
    externalFiles: [
      'base-images/base.raw',
      'custom/files/rke2.linux-amd64.tar.gz',
      'custom/files/rke2-images-core.linux-amd64.tar.zst',
      'custom/files/sha256sum-amd64.txt',
    ],
    checksums: {
      file: 'custom/files/sha256sum-amd64.txt',
      files: ['custom/files/rke2.linux-amd64.tar.gz', 'custom/files/rke2-images-core.linux-amd64.tar.zst'],
    },
    secrets: [
      { name: 'ROOT_PASSWORD_HASH', kind: 'password-hash' },
      { name: 'SCC_REGISTRATION_CODE', kind: 'text' },
    ],
  };
  const definition = [
    'operatingSystem:',
    '  users:',
    '    - username: root',
    '      encryptedPassword: "${ROOT_PASSWORD_HASH}"',
    '  packages:',
    '    sccRegistrationCode: "${SCC_REGISTRATION_CODE}"',
    '    packageList: ["${NOT_A_SECRET}"]',
    '',
  ].join('\n');
  const HASH = '$6$rounds=5000$salt$abc/def.GHI';

  /** A folder with the definition and every external file, and a checksum file that vouches for them. */
  function folder(): string {
    const dir = sandbox();
    put(dir, 'def.yaml', definition);
    put(dir, 'base-images/base.raw', 'base');
    put(dir, 'custom/files/rke2.linux-amd64.tar.gz', 'tarball');
    put(dir, 'custom/files/rke2-images-core.linux-amd64.tar.zst', 'images');
    const sums = spawnSync('sha256sum', ['rke2.linux-amd64.tar.gz', 'rke2-images-core.linux-amd64.tar.zst'], {
      cwd: join(dir, 'custom/files'),
      encoding: 'utf8',
    }).stdout;
    put(dir, 'custom/files/sha256sum-amd64.txt', `${sums}${'0'.repeat(64)}  rke2-images-calico.linux-amd64.tar.zst\n`);
    return dir;
  }

  withBash('parses (bash -n)', () => {
    expect(syntaxErrors(prepareBuildScript(options))).toBe('');
    expect(syntaxErrors(prepareBuildScript({ ...options, checksums: undefined, secrets: [] }))).toBe('');
  });

  withBashAndSha('fills in the secrets, only those, and writes the rendered definition for the owner only', () => {
    // GIVEN every file in place and the secrets in the environment
    const dir = folder();
    try {
      put(dir, 'prepare-build.sh', prepareBuildScript(options));
      // WHEN
      const r = spawnSync('bash', [join(dir, 'prepare-build.sh')], {
        env: { PATH: process.env.PATH ?? '', ROOT_PASSWORD_HASH: HASH, SCC_REGISTRATION_CODE: '12345' },
        encoding: 'utf8',
      });
      // THEN
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const rendered = readFileSync(join(dir, 'def.rendered.yaml'), 'utf8');
      expect(parse(rendered)).toEqual({
        operatingSystem: {
          users: [{ username: 'root', encryptedPassword: HASH }],
          // quoted, so a numeric code stays a string
          packages: { sccRegistrationCode: '12345', packageList: ['${NOT_A_SECRET}'] },
        },
      });
      expect(statSync(join(dir, 'def.rendered.yaml')).mode & 0o077).toBe(0);
      expect(r.stdout).not.toContain(HASH);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  withBashAndSha('fails when files are missing or secrets unset, naming them but no value', () => {
    const dir = sandbox();
    try {
      put(dir, 'def.yaml', definition);
      put(dir, 'prepare-build.sh', prepareBuildScript(options));
      const r = spawnSync('bash', [join(dir, 'prepare-build.sh')], {
        env: { PATH: process.env.PATH ?? '', SCC_REGISTRATION_CODE: '12345' },
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('prepare-build: base-images/base.raw is missing or empty; see external-files.txt');
      expect(r.stderr).toContain('prepare-build: environment variable ROOT_PASSWORD_HASH is not set');
      expect(r.stderr).not.toContain('12345');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  withBashAndSha('fails when the password hash is a clear-text password', () => {
    const dir = folder();
    try {
      put(dir, 'prepare-build.sh', prepareBuildScript(options));
      const r = spawnSync('bash', [join(dir, 'prepare-build.sh')], {
        env: { PATH: process.env.PATH ?? '', ROOT_PASSWORD_HASH: 'hunter2', SCC_REGISTRATION_CODE: 'x' },
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('prepare-build: ROOT_PASSWORD_HASH is not a crypt(3) hash');
      expect(r.stderr).not.toContain('hunter2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  withBashAndSha('fails when a secret holds characters that would break the YAML', () => {
    const dir = folder();
    try {
      put(dir, 'prepare-build.sh', prepareBuildScript(options));
      const r = spawnSync('bash', [join(dir, 'prepare-build.sh')], {
        env: { PATH: process.env.PATH ?? '', ROOT_PASSWORD_HASH: HASH, SCC_REGISTRATION_CODE: 'a"b' },
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('SCC_REGISTRATION_CODE holds characters a definition value cannot carry');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  withBashAndSha('fails when an RKE2 file does not match the release checksums', () => {
    const dir = folder();
    try {
      put(dir, 'custom/files/rke2.linux-amd64.tar.gz', 'another release');
      put(dir, 'prepare-build.sh', prepareBuildScript(options));
      const r = spawnSync('bash', [join(dir, 'prepare-build.sh')], {
        env: { PATH: process.env.PATH ?? '', ROOT_PASSWORD_HASH: HASH, SCC_REGISTRATION_CODE: 'x' },
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('prepare-build: the RKE2 files do not match custom/files/sha256sum-amd64.txt');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  withBashAndSha('fails when the checksum file does not list an RKE2 file', () => {
    const dir = folder();
    try {
      put(dir, 'custom/files/sha256sum-amd64.txt', `${'0'.repeat(64)}  rke2.linux-amd64.tar.gz\n`);
      put(dir, 'prepare-build.sh', prepareBuildScript(options));
      const r = spawnSync('bash', [join(dir, 'prepare-build.sh')], {
        env: { PATH: process.env.PATH ?? '', ROOT_PASSWORD_HASH: HASH, SCC_REGISTRATION_CODE: 'x' },
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(
        'custom/files/sha256sum-amd64.txt lists no checksum for rke2-images-core.linux-amd64.tar.zst',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReport } from '../../lib/cli/report-command';
import { main } from '../../lib/cli/main';

describe('cdk8s-baremetal report', () => {
  beforeEach(() => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  const synthDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'report-cli-'));
    const golden = readFileSync(join(__dirname, '..', 'golden', 'single-node-static.k8s.yaml'), 'utf8');
    writeFileSync(join(d, 'berlin.k8s.yaml'), golden);
    return d;
  };

  test('GIVEN a synthesized folder THEN it writes the page, the diagram and the pre-flight files, and exits 0', () => {
    const out = mkdtempSync(join(tmpdir(), 'report-cli-out-'));
    expect(runReport(synthDir(), { output: out, domain: 'example.net' })).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'berlin.svg'))).toBe(true);
    expect(readFileSync(join(out, '_preflight', 'berlin', 'dns.zone'), 'utf8')).toMatch(
      /^api\.single-node-cluster\.example\.net\. +IN A +192\.168\.100\.10$/m,
    );
    expect(console.log).toHaveBeenCalledWith(
      expect.stringMatching(/^1 site\(s\), 0 with problems: \d+ file\(s\) written/),
    );
  });

  test('fails for a folder without manifests, or no folder', () => {
    expect(runReport(mkdtempSync(join(tmpdir(), 'report-empty-')), {})).toBe(1);
    expect(console.error).toHaveBeenCalledWith(expect.stringMatching(/holds no \*\.k8s\.yaml/));
    expect(runReport('/nonexistent', {})).toBe(1);
  });

  test('is a subcommand of the program', async () => {
    const out = mkdtempSync(join(tmpdir(), 'report-cli-main-'));
    expect(await main(['node', 'cdk8s-baremetal', 'report', synthDir(), '-o', out])).toBe(0);
    expect(existsSync(join(out, 'berlin.svg'))).toBe(true);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart } from 'cdk8s';
import { BaremetalApp, chartIdOf, SiteFile, writeSiteFiles } from '../../lib/core/site-file';

describe('SiteFile', () => {
  test('BaremetalApp writes site files next to the manifests, rendering lazy contents at synth', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'site-file-'));
    const app = new BaremetalApp({ outdir });
    const chart = new Chart(app, 'edge-01');
    let late = 'early';
    new SiteFile(chart, 'F', { path: `${chartIdOf(chart)}/list.txt`, contents: () => late });
    late = 'late';
    app.synth();
    expect(readFileSync(join(outdir, 'edge-01/list.txt'), 'utf8')).toBe('late');
  });

  test('writeSiteFiles returns the paths in construct order', () => {
    const app = new BaremetalApp({ outdir: mkdtempSync(join(tmpdir(), 'site-file-')) });
    const chart = new Chart(app, 'c');
    new SiteFile(chart, 'B', { path: 'b.txt', contents: 'b' });
    new SiteFile(chart, 'A', { path: 'a/a.txt', contents: 'a' });
    expect(writeSiteFiles(app)).toEqual(['b.txt', 'a/a.txt']);
  });

  test('fails when a path is absolute or climbs out', () => {
    const chart = new Chart(new BaremetalApp(), 'c');
    expect(() => new SiteFile(chart, 'A', { path: '/etc/passwd', contents: '' })).toThrow(
      /\[c\/A\] 'path' is not a plain relative path/,
    );
    expect(() => new SiteFile(chart, 'B', { path: '../x', contents: '' })).toThrow(
      /'path' is not a plain relative path/,
    );
    expect(() => new SiteFile(chart, 'C', { path: 'a//b', contents: '' })).toThrow(
      /'path' is not a plain relative path/,
    );
  });

  test('fails when two files share a path', () => {
    const chart = new Chart(new BaremetalApp(), 'c');
    new SiteFile(chart, 'A', { path: 'x.txt', contents: '' });
    expect(() => new SiteFile(chart, 'B', { path: 'x.txt', contents: '' })).toThrow(
      /'path' is also written by \[c\/A\]/,
    );
  });

  test('fails when contents is neither text nor a function', () => {
    const chart = new Chart(new BaremetalApp(), 'c');
    expect(() => new SiteFile(chart, 'A', { path: 'x.txt', contents: 42 as never })).toThrow(
      /'contents' must be text or a function/,
    );
  });
});

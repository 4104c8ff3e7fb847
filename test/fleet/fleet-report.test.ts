import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { synthLoneChart } from '../../lib/fleet/chart-synth';
import { REPORT_FOLDER, siteReport, writeFleetReport } from '../../lib/fleet/fleet-report';
import { synthesizeFleet } from '../../lib/fleet/fleet-synth';
import { loadInventory } from '../../lib/fleet/inventory';
import { buildSite } from '../../lib/fleet/site-description';
import { siteFacts } from '../../lib/report/site-facts';

const inventory = join(__dirname, '..', '..', 'examples', 'fleet-inventory', 'sites.yaml');
const tmp = () => mkdtempSync(join(tmpdir(), 'fleet-report-'));

describe('siteReport', () => {
  test('GIVEN a built site THEN its facts equal those read from its YAML, and its diagram is a file of _report/', () => {
    const [site] = loadInventory([inventory]);
    const app = new App();
    const docs = synthLoneChart(buildSite(app, site));
    const { facts, files } = siteReport(app, site.name, docs, '/out');
    expect(facts).toEqual(siteFacts(site.name, JSON.parse(JSON.stringify(docs))));
    expect(files.map(([p]) => p)).toEqual([join('/out', REPORT_FOLDER, `${site.name}.svg`)]);
    expect(siteReport(app, site.name, docs, '/out', true).files.map(([p]) => p)).toContain(
      join('/out', '_preflight', site.name, 'dnsmasq-dhcp-hosts.conf'),
    );
  });
});

describe('synthesizeFleet with the report', () => {
  test('writes a diagram per site, the fleet page and the merged pre-flight files', async () => {
    const outdir = tmp();
    const sites = loadInventory([inventory]);
    await synthesizeFleet(sites, { outdir, workers: 0 });
    for (const s of sites) expect(existsSync(join(outdir, '_report', `${s.name}.svg`))).toBe(true);
    const html = readFileSync(join(outdir, '_report', 'index.html'), 'utf8');
    for (const s of sites) expect(html).toContain(`"diagram":"${s.name}.svg"`);
    expect(readdirSync(join(outdir, '_preflight')).sort()).toEqual([
      '.fleetignore',
      'bmc-checklist.csv',
      'dns.zone',
      'dnsmasq-dhcp-hosts.conf',
      'kea-dhcp4.json',
      'kea-dhcp6.json',
    ]);
    expect(readFileSync(join(outdir, '_report', '.fleetignore'), 'utf8')).toBe('*\n');
  });

  test('the same output with synthesis workers', async () => {
    const sites = loadInventory([inventory]);
    const a = tmp();
    const b = tmp();
    await synthesizeFleet(sites, { outdir: a, workers: 0, preflightPerSite: true });
    await synthesizeFleet(sites, { outdir: b, workers: 2, preflightPerSite: true });
    for (const f of [
      '_report/index.html',
      `_report/${sites[2].name}.svg`,
      `_preflight/${sites[2].name}/kea-dhcp4.json`,
    ]) {
      expect(readFileSync(join(b, f), 'utf8')).toBe(readFileSync(join(a, f), 'utf8'));
    }
  });

  test('report: false writes neither _report/ nor _preflight/', async () => {
    const outdir = tmp();
    await synthesizeFleet(loadInventory([inventory]), { outdir, workers: 0, report: false });
    expect(existsSync(join(outdir, '_report'))).toBe(false);
    expect(existsSync(join(outdir, '_preflight'))).toBe(false);
  });
});

describe('writeFleetReport', () => {
  test('a site that failed after synthesis loses its report files and is listed with its errors', () => {
    const outdir = tmp();
    const [site] = loadInventory([inventory]);
    const app = new App();
    const { facts } = siteReport(app, site.name, synthLoneChart(buildSite(app, site)), outdir, true);
    const { writeFileSync, mkdirSync } = require('node:fs');
    mkdirSync(join(outdir, '_report'), { recursive: true });
    writeFileSync(join(outdir, '_report', `${site.name}.svg`), '<svg/>');
    mkdirSync(join(outdir, '_preflight', site.name), { recursive: true });
    writeFleetReport(
      [{ name: site.name, facts }],
      [{ name: site.name, errors: ['boot MAC claimed by another site'] }],
      outdir,
    );
    expect(existsSync(join(outdir, '_report', `${site.name}.svg`))).toBe(false);
    expect(existsSync(join(outdir, '_preflight', site.name))).toBe(false);
    const html = readFileSync(join(outdir, '_report', 'index.html'), 'utf8');
    expect(html).toContain('"problems":["boot MAC claimed by another site"]');
    expect(html).toContain('1 site(s), 1 failed');
  });
});

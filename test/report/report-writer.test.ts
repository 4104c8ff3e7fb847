import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Yaml } from 'cdk8s';
import { BrowserContext } from 'playwright-core';
import {
  fleetReportFiles,
  readSynthDir,
  REPORT_MANIFEST,
  siteReportFiles,
  writeReport,
} from '../../lib/report/report-writer';
import { siteFacts } from '../../lib/report/site-facts';
import { ARTIFACTS, openBrowser, openPage } from './browser';
import { example, REPORT_EXAMPLES } from './fixtures';

/** A `cdk8s synth` style folder: `<site>.k8s.yaml` per example, site files under `<site>/`, and one broken site. */
function synthFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'report-synth-'));
  for (const name of REPORT_EXAMPLES) {
    const { objects, zones } = example(name);
    writeFileSync(join(dir, `${name}.k8s.yaml`), Yaml.stringify(...objects));
    zones.forEach((z, i) => {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, `records-${i}.zone`), z);
    });
  }
  // a site whose BareMetalHost is not valid
  writeFileSync(
    join(dir, 'broken.k8s.yaml'),
    'apiVersion: metal3.io/v1alpha1\nkind: BareMetalHost\nmetadata:\n  name: lost\n  namespace: x\nspec:\n  online: maybe\n  bmc:\n    address: ipmi://10.9.9.9\n    credentialsName: lost-bmc\n',
  );
  return dir;
}

describe('readSynthDir', () => {
  test('GIVEN a cdk8s synth folder THEN one site per chart file, zone files joined, schema problems listed', () => {
    const sites = readSynthDir(synthFolder());
    expect(sites.map((s) => s.facts.name)).toEqual([
      'assisted-cn2',
      'broken',
      'ha-metallb',
      'hosted-cluster-agent',
      'single-node-static',
    ]);
    const hosted = sites.find((s) => s.facts.name === 'hosted-cluster-agent')!;
    expect(hosted.facts.dnsZones.join('\n')).toMatch(/api\.hosted\.dns\.base\.domain\.name/);
    expect(sites.find((s) => s.facts.name === 'ha-metallb')!.problems).toEqual([]);
    expect(sites.find((s) => s.facts.name === 'broken')!.problems).toEqual([expect.stringMatching(/online/)]);
  });

  test('GIVEN a fleet output THEN one site per folder; _-folders are skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-fleet-'));
    for (const name of ['single-node-static', 'ha-metallb']) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, `${name}.k8s.yaml`), Yaml.stringify(...example(name).objects));
    }
    mkdirSync(join(dir, '_gitops'));
    writeFileSync(join(dir, '_gitops', 'applicationset.k8s.yaml'), 'kind: ApplicationSet\n');
    expect(readSynthDir(dir).map((s) => s.facts.name)).toEqual(['ha-metallb', 'single-node-static']);
  });

  test('fails for a missing folder', () => {
    expect(() => readSynthDir('/nonexistent/dist')).toThrow(
      /\[report\] '<synth-dir>' is not a folder \(got "\/nonexistent\/dist"\)/,
    );
  });
});

describe('writeReport', () => {
  test('writes the fleet page, a diagram per site and the pre-flight files, per site and merged', () => {
    const out = mkdtempSync(join(tmpdir(), 'report-out-'));
    const written = writeReport(readSynthDir(synthFolder()), out);
    expect(written).toEqual(
      expect.arrayContaining([
        'index.html',
        'ha-metallb.svg',
        'single-node-static.svg',
        '_preflight/single-node-static/dnsmasq-dhcp-hosts.conf',
        '_preflight/single-node-static/kea-dhcp4.json',
        '_preflight/dns.zone',
        '_preflight/bmc-checklist.csv',
      ]),
    );
    for (const f of written) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, '_preflight', 'bmc-checklist.csv'), 'utf8')).toContain(
      'broken,lost,ipmi://10.9.9.9,ipmi,623/udp,x/lost-bmc',
    );
  });

  test('GIVEN a folder with files of its own THEN they stay; a file where the report writes is refused before anything is written', () => {
    const out = mkdtempSync(join(tmpdir(), 'report-own-'));
    writeFileSync(join(out, 'README.md'), 'mine');
    const sites = readSynthDir(synthFolder());
    const first = writeReport(sites, out);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, REPORT_MANIFEST), 'utf8').split('\n')).toEqual(expect.arrayContaining(first));
    // AND a second run replaces its own files, and removes those of a site no longer there
    writeReport(
      sites.filter((s) => s.facts.name !== 'ha-metallb'),
      out,
    );
    expect(existsSync(join(out, 'ha-metallb.svg'))).toBe(false);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // AND a foreign index.html is refused, nothing written
    const other = mkdtempSync(join(tmpdir(), 'report-foreign-'));
    writeFileSync(join(other, 'index.html'), 'my page');
    expect(() => writeReport(sites, other)).toThrow(
      /\[report\] '-o' holds 1 file\(s\) the report did not write, where it would write \(got \["index.html"\] in .*\); write the report into another folder, or move them away/,
    );
    expect(readdirSync(other)).toEqual(['index.html']);
    expect(readFileSync(join(other, 'index.html'), 'utf8')).toBe('my page');
  });

  test('site files and fleet files name the same paths writeReport writes', () => {
    const facts = siteFacts('single-node-static', example('single-node-static').objects);
    expect(siteReportFiles(facts).map(([p]) => p)[0]).toBe('single-node-static.svg');
    expect(
      fleetReportFiles([
        { facts, problems: [] },
        { name: 'gone', problems: ['it failed'] },
      ]).map(([p]) => p),
    ).toEqual([
      'index.html',
      '_preflight/dnsmasq-dhcp-hosts.conf',
      '_preflight/kea-dhcp4.json',
      '_preflight/kea-dhcp6.json',
      '_preflight/dns.zone',
      '_preflight/bmc-checklist.csv',
    ]);
  });
});

describe('report in a real browser (Debian chromium, headless)', () => {
  let context: BrowserContext;
  let out: string;
  let sites: ReturnType<typeof readSynthDir>;
  beforeAll(async () => {
    sites = readSynthDir(synthFolder());
    out = mkdtempSync(join(tmpdir(), 'report-browser-'));
    writeReport(sites, out);
    context = await openBrowser();
  });
  afterAll(async () => {
    await context?.close();
  });

  test('the fleet page lists every site, filters, and links each diagram', async () => {
    // GIVEN the fleet page
    const { page, errors } = await openPage(context, `file://${join(out, 'index.html')}`);
    // THEN one row per site
    await page.waitForSelector('#rows tr');
    expect(await page.locator('#rows tr').count()).toBe(sites.length);
    await page.screenshot({ path: join(ARTIFACTS, 'fleet-page.png'), fullPage: true });
    // WHEN filtering by kind, by problem
    await page.fill('#filter', 'assisted');
    await page.waitForFunction("document.querySelectorAll('#rows tr').length === 1");
    expect(await page.locator('#rows tr td').first().textContent()).toBe('assisted-cn2');
    await page.fill('#filter', 'failed');
    await page.waitForFunction("document.querySelectorAll('#rows tr').length === 1");
    expect(await page.locator('#rows tr td.bad').textContent()).toMatch(/^1 problem\(s\): /);
    await page.screenshot({ path: join(ARTIFACTS, 'fleet-page-filtered.png'), fullPage: true });
    await page.fill('#filter', '');
    await page.waitForFunction(`document.querySelectorAll('#rows tr').length === ${sites.length}`);
    // AND the link of a site opens its diagram
    await page.click('a[href="ha-metallb.svg"]');
    await page.waitForURL(/ha-metallb\.svg$/);
    expect(await page.locator('svg title').first().textContent()).toBe('site ha-metallb');
    expect(errors).toEqual([]);
  });

  test.each(['ha-metallb', 'single-node-static', 'hosted-cluster-agent', 'assisted-cn2'])(
    'the diagram of %s shows every host and address, and no two host boxes overlap',
    async (name) => {
      const { page, errors } = await openPage(context, `file://${join(out, `${name}.svg`)}`);
      const facts = sites.find((s) => s.facts.name === name)!.facts;
      const text: string = await page.evaluate(
        "[...document.querySelectorAll('text')].map((t) => t.textContent).join(String.fromCharCode(10))",
      );
      for (const h of facts.hosts) {
        for (const v of [h.name, h.bootMACAddress, h.bmcHost, ...h.interfaces.flatMap((i) => i.addresses)]) {
          expect(text).toContain(v);
        }
      }
      for (const c of facts.clusters) for (const v of [...c.apiVIPs, ...c.ingressVIPs]) expect(text).toContain(v);
      const boxes: { x: number; y: number; w: number; h: number }[] = await page.evaluate(
        "[...document.querySelectorAll('g.host > rect.box')].map((r) => { const b = r.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height }; })",
      );
      expect(boxes).toHaveLength(facts.hosts.length);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          expect(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).toBe(false);
        }
      }
      // fullPage hangs on an SVG document: the viewport takes the drawing's size instead
      const size: { width: number; height: number } = await page.evaluate(
        '({ width: document.documentElement.width.baseVal.value, height: document.documentElement.height.baseVal.value })',
      );
      await page.setViewportSize({ width: Math.ceil(size.width), height: Math.ceil(size.height) });
      await page.screenshot({ path: join(ARTIFACTS, `diagram-${name}.png`) });
      expect(errors).toEqual([]);
    },
  );

  test('a page of 10,000 sites renders its first rows at once and filters over all of them', async () => {
    const facts = siteFacts('single-node-static', example('single-node-static').objects);
    const rows = Array.from({ length: 10000 }, (_, i) => ({
      facts: { ...facts, name: `edge-${String(i).padStart(5, '0')}` },
      problems: [],
    }));
    const dir = mkdtempSync(join(tmpdir(), 'report-10k-'));
    const [[, html]] = fleetReportFiles(rows);
    writeFileSync(join(dir, 'index.html'), html);
    const { page, errors } = await openPage(context, `file://${join(dir, 'index.html')}`);
    await page.waitForSelector('#rows tr');
    expect(await page.locator('#count').textContent()).toBe('10000 of 10000 site(s)');
    expect(await page.locator('#rows tr').count()).toBe(500);
    await page.fill('#filter', 'edge-09999');
    await page.waitForFunction("document.querySelectorAll('#rows tr').length === 1");
    expect(await page.locator('#count').textContent()).toBe('1 of 10000 site(s)');
    await page.screenshot({ path: join(ARTIFACTS, 'fleet-page-10000-filtered.png') });
    expect(errors).toEqual([]);
  });
});

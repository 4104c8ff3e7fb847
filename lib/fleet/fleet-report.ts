import { copyFileSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App } from 'cdk8s';
import type { CachedSite } from './fleet-cache';
import type { FileDigests } from '../private/file-digests';
import { SiteFile } from '../core/site-file';
import { BareMetalHost } from '../metal3/bare-metal-host';
import { preflightFiles } from '../report/preflight';
import { fleetReportFiles, PREFLIGHT_FOLDER } from '../report/report-writer';
import { renderSiteDiagram } from '../report/site-diagram';
import { SiteFacts, siteFacts } from '../report/site-facts';

/** Folder of a fleet output with the fleet page (`index.html`) and a diagram per site (`<site>.svg`). */
export const REPORT_FOLDER = '_report';

/**
 * The report files of one synthesized site, for the writer: `_report/<site>.svg`, and with
 * `preflightPerSite` `_preflight/<site>/…`; with the site's facts for the fleet page. The nmstate
 * documents come from the site's BareMetalHosts (not parsed back from the Secrets' YAML), and the
 * DNS zone snippets from its site files.
 */
export function siteReport(
  app: App,
  name: string,
  docs: readonly unknown[],
  outdir: string,
  preflightPerSite = false,
): { facts: SiteFacts; files: [string, string][] } {
  const networkData = new Map<string, unknown>();
  for (const c of app.node.findAll()) {
    if (c instanceof BareMetalHost && c.networkData && c.networkDataSecretName) {
      networkData.set(c.networkDataSecretName, c.networkData.toObject());
    }
  }
  const dnsZones = SiteFile.all(app)
    .filter((f) => f.path.endsWith('.zone'))
    .map((f) => f.render());
  const facts = siteFacts(name, docs, { networkData: (secret) => networkData.get(secret), dnsZones });
  return { facts, files: siteReportFiles(facts, outdir, preflightPerSite) };
}

/** `_report/<site>.svg`, and with `preflightPerSite` `_preflight/<site>/…`, of one site's facts. */
function siteReportFiles(facts: SiteFacts, outdir: string, preflightPerSite: boolean): [string, string][] {
  const files: [string, string][] = [[join(outdir, REPORT_FOLDER, `${facts.name}.svg`), renderSiteDiagram(facts)]];
  if (preflightPerSite) {
    for (const f of preflightFiles(facts)) files.push([join(outdir, PREFLIGHT_FOLDER, facts.name, f.name), f.text]);
  }
  return files;
}

/**
 * Writes the fleet-wide report after a fleet synthesis: `_report/index.html` (every site with its
 * kind, hosts, VIP, versions and validation result) and the merged pre-flight files in
 * `_preflight/`. The report files of sites that failed after synthesis (fleet-wide uniqueness) are
 * removed. `outcomes` carry the facts; `results` the final verdict, both in inventory order.
 * The sites in `kept` (kept from the previous output by an incremental run) get their diagram
 * (and per-site pre-flight files) drawn here from their cached facts; their bytes are already in
 * their site's count, so only the files are counted. Returns the bytes and files written.
 */
export function writeFleetReport(
  outcomes: readonly { readonly name: string; readonly facts?: SiteFacts }[],
  results: readonly { readonly name: string; readonly errors: readonly string[] }[],
  outdir: string,
  preflightPerSite = false,
  kept: ReadonlySet<string> = new Set(),
): { bytes: number; files: number } {
  const facts = new Map(outcomes.map((o) => [o.name, o.facts]));
  let keptFiles = 0;
  for (const r of results) {
    const f = facts.get(r.name);
    if (r.errors.length > 0 || !f || !kept.has(r.name)) continue;
    for (const [path, text] of siteReportFiles(f, outdir, preflightPerSite)) {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
      keptFiles++;
    }
  }
  const sites = results.map((r) => {
    const f = r.errors.length === 0 ? facts.get(r.name) : undefined;
    if (r.errors.length > 0 && facts.get(r.name)) {
      rmSync(join(outdir, REPORT_FOLDER, `${r.name}.svg`), { force: true });
      rmSync(join(outdir, PREFLIGHT_FOLDER, r.name), { recursive: true, force: true });
    }
    return { name: r.name, facts: f, problems: r.errors };
  });
  const files: [string, string][] = [
    ...fleetReportFiles(sites, { title: 'Fleet' }).map(([p, text]): [string, string] => [
      p.startsWith(PREFLIGHT_FOLDER) ? p : join(REPORT_FOLDER, p),
      text,
    ]),
    // Fleet turns the folders under its path into bundles: not these.
    [join(REPORT_FOLDER, '.fleetignore'), '*\n'],
    [join(PREFLIGHT_FOLDER, '.fleetignore'), '*\n'],
  ];
  let bytes = 0;
  for (const [path, text] of files) {
    mkdirSync(join(outdir, path, '..'), { recursive: true });
    writeFileSync(join(outdir, path), text);
    bytes += Buffer.byteLength(text);
  }
  return { bytes, files: files.length + keptFiles };
}

/**
 * Links the report files of kept sites from the previous output into the staging folder, for each
 * site whose files are all there with the cached digests; returns those sites and the files linked.
 */
export function linkReportFiles(
  names: readonly string[],
  kept: ReadonlyMap<string, CachedSite>,
  previous: string,
  staging: string,
  digests: FileDigests,
): { sites: Set<string>; files: number } {
  const sites = new Set<string>();
  let files = 0;
  const made = new Set<string>();
  for (const name of names) {
    const report = kept.get(name)?.report;
    if (!report || report.length === 0) continue;
    const ok = report.every(([rel, size, sha]) => {
      const d = digests.digest(join(previous, rel));
      return d !== undefined && d.size === size && d.digest === sha;
    });
    if (!ok) continue;
    for (const [rel] of report) {
      const target = join(staging, rel);
      const folder = dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      try {
        linkSync(join(previous, rel), target);
      } catch {
        copyFileSync(join(previous, rel), target);
      }
    }
    sites.add(name);
    files += report.length;
  }
  return { sites, files };
}

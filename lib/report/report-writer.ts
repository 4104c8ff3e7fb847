import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkManifests } from '../validation/check-manifests';
import { loadManifests } from '../validation/load-manifests';
import { fleetRow, renderFleetPage } from './fleet-page';
import { PreflightOptions, preflightFiles } from './preflight';
import { renderSiteDiagram } from './site-diagram';
import { SiteFacts, siteFacts } from './site-facts';

/** Folder of the pre-flight files inside a report (and inside a fleet output). */
export const PREFLIGHT_FOLDER = '_preflight';

/** A site read from a synthesized folder. */
export interface SiteOnDisk {
  /** The site's facts. */
  readonly facts: SiteFacts;
  /** Validation problems (schema, embedded manifests, secret material, MetalLB, YAML). */
  readonly problems: readonly string[];
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (isFolder(p)) walk(p);
      else if (test(name)) out.push(p);
    }
  };
  if (isFolder(dir)) walk(dir);
  return out;
}

/**
 * The sites of a synthesized folder: a fleet output (one sub-folder per site; folders starting
 * with `_` are skipped) or a `cdk8s synth` output (one `<chart>.k8s.yaml` per site, the chart's
 * site files in `<chart>/`). DNS zone files (`*.zone`) in a site's folder join its records.
 * Problems are those of `cdk8s-baremetal validate` except references to objects outside the
 * folder (BMC credentials Secrets usually are).
 */
export function readSynthDir(dir: string): SiteOnDisk[] {
  if (!isFolder(dir))
    throw new Error(`[report] '<synth-dir>' is not a folder (got ${JSON.stringify(dir)}); pass the folder synth wrote`);
  const sites = new Map<string, string[]>();
  const add = (name: string, files: string[]) => sites.set(name, [...(sites.get(name) ?? []), ...files]);
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (name.startsWith('_') || name.startsWith('.')) continue;
    if (isFolder(p)) {
      const yaml = filesUnder(p, (n) => /\.k8s\.ya?ml$/.test(n));
      if (yaml.length > 0 || sites.has(name)) add(name, yaml);
    } else if (/\.k8s\.ya?ml$/.test(name)) {
      add(name.replace(/\.k8s\.ya?ml$/, ''), [p]);
    }
  }
  const out: SiteOnDisk[] = [];
  for (const [name, files] of sites) {
    const { objects, problems } = loadManifests(files);
    const zones = filesUnder(join(dir, name), (n) => n.endsWith('.zone')).map((f) => readFileSync(f, 'utf8'));
    const found = [
      ...problems.map((p) => `${basename(p.file)}: ${p.message}`),
      ...checkManifests(objects)
        .filter((p) => p.check !== 'references')
        .map((p) => `${p.file ? `${basename(p.file)}: ` : ''}${p.message}`),
    ];
    out.push({
      facts: siteFacts(
        name,
        objects.map((o) => o.object),
        { dnsZones: zones },
      ),
      problems: found,
    });
  }
  return out;
}

/** The files of one site's report, relative to the report folder: its diagram and pre-flight files. */
export function siteReportFiles(facts: SiteFacts, options: PreflightOptions = {}): [string, string][] {
  return [
    [`${facts.name}.svg`, renderSiteDiagram(facts)],
    ...preflightFiles(facts, options).map((f): [string, string] => [
      join(PREFLIGHT_FOLDER, facts.name, f.name),
      f.text,
    ]),
  ];
}

/** Options of {@link writeReport}. */
export interface WriteReportOptions extends PreflightOptions {
  /**
   * Title of the fleet page.
   * @default 'Fleet'
   */
  readonly title?: string;
}

/** File in a report folder listing the files the report wrote there (one path a line). */
export const REPORT_MANIFEST = '.cdk8s-baremetal-report';

/**
 * Writes a report for `sites` into `outdir`: `index.html` (the fleet page), `<site>.svg` (each
 * site's diagram), `_preflight/<site>/` (each site's pre-flight files) and `_preflight/` (the
 * same merged for all sites). Returns the paths written, relative to `outdir`.
 *
 * The folder may hold other files: the report only replaces and removes the files its previous
 * run listed in `.cdk8s-baremetal-report`, and refuses (before writing anything) when one of its
 * files would replace a file it did not write. Each file is written to a temporary name and
 * renamed, so a file is never left half-written.
 */
export function writeReport(sites: readonly SiteOnDisk[], outdir: string, options: WriteReportOptions = {}): string[] {
  const files: [string, string][] = [];
  for (const s of sites) files.push(...siteReportFiles(s.facts, options));
  files.push(...fleetReportFiles(sites, options));
  const manifest = join(outdir, REPORT_MANIFEST);
  const owned = new Set(
    existsSync(manifest)
      ? readFileSync(manifest, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
      : [],
  );
  const foreign = files.map(([p]) => p).filter((p) => !owned.has(p) && existsSync(join(outdir, p)));
  if (foreign.length > 0) {
    throw new Error(
      `[report] '-o' holds ${foreign.length} file(s) the report did not write, where it would write (got ${JSON.stringify(foreign.slice(0, 3))}${foreign.length > 3 ? ', …' : ''} in ${JSON.stringify(outdir)}); write the report into another folder, or move them away`,
    );
  }
  mkdirSync(outdir, { recursive: true });
  for (const [path, text] of files) writeAtomically(join(outdir, path), text);
  const paths = files.map(([p]) => p);
  const now = new Set(paths);
  // Files of the previous report that this one no longer writes (a site removed).
  for (const p of owned) if (!now.has(p) && !p.includes('..')) rmSync(join(outdir, p), { force: true });
  writeAtomically(manifest, [...paths].sort().join('\n') + '\n');
  return paths;
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * The fleet-wide files of a report, relative to the report folder: `index.html` and the merged
 * pre-flight files under `_preflight/`. A site without facts (it failed) is listed with its problems.
 */
export function fleetReportFiles(
  sites: readonly { readonly facts?: SiteFacts; readonly name?: string; readonly problems: readonly string[] }[],
  options: WriteReportOptions = {},
): [string, string][] {
  const rows = sites.map((s) =>
    s.facts
      ? fleetRow(s.facts, s.problems, `${encodeURIComponent(s.facts.name)}.svg`)
      : { name: s.name ?? '?', kind: '', hosts: 0, vip: '', versions: '', problems: s.problems },
  );
  const facts = sites.flatMap((s) => (s.facts ? [s.facts] : []));
  return [
    ['index.html', renderFleetPage(rows, options.title)],
    ...preflightFiles(facts, options).map((f): [string, string] => [join(PREFLIGHT_FOLDER, f.name), f.text]),
  ];
}

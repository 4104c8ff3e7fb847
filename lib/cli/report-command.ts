import { Command } from 'commander';
import { readSynthDir, writeReport } from '../report/report-writer';

/** Options of `cdk8s-baremetal report`. */
export interface ReportCommandOptions {
  /**
   * Output folder.
   * @default 'report'
   */
  readonly output?: string;
  /**
   * DNS domain of clusters whose manifests name none.
   * @default 'home.arpa'
   */
  readonly domain?: string;
}

/**
 * `cdk8s-baremetal report <synth-dir> -o <dir>`: a diagram per site, the fleet page and the
 * pre-flight files from a synthesized folder. Returns the exit code.
 */
export function runReport(synthDir: string, options: ReportCommandOptions): number {
  const outdir = options.output ?? 'report';
  let sites;
  try {
    sites = readSynthDir(synthDir);
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }
  if (sites.length === 0) {
    console.error(`[report] '<synth-dir>' holds no *.k8s.yaml (got ${JSON.stringify(synthDir)}); run synth first`);
    return 1;
  }
  let written: string[];
  try {
    written = writeReport(sites, outdir, { domain: options.domain });
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  }
  const failed = sites.filter((s) => s.problems.length > 0).length;
  console.log(
    `${sites.length} site(s), ${failed} with problems: ${written.length} file(s) written to ${outdir} (open ${outdir}/index.html)`,
  );
  return 0;
}

/** Adds the `report` subcommand to `program`. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'write a diagram per site (<site>.svg), the fleet page (index.html) and pre-flight files (_preflight/: DHCP reservations for dnsmasq and Kea, DNS records, BMC checklist) from a synthesized folder',
    )
    .argument('<synth-dir>', 'folder written by synth (fleet output or cdk8s synth output)')
    .option('-o, --output <dir>', 'output folder', 'report')
    .option('--domain <domain>', 'DNS domain of clusters whose manifests name none', 'home.arpa')
    .action((synthDir: string, options: ReportCommandOptions) => {
      process.exitCode = runReport(synthDir, options);
    });
}

import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { SiteFile } from '../../lib/core/site-file';

/** The examples the report tests draw, one per kind of site. */
export const REPORT_EXAMPLES = ['ha-metallb', 'single-node-static', 'hosted-cluster-agent', 'assisted-cn2'] as const;

/** An example site built in an app of its own: its chart, objects (`chart.toJson()`) and DNS zone snippets. */
export function example(name: string): { chart: Chart; objects: any[]; zones: string[] } {
  const { build } = require(join(__dirname, '..', '..', 'examples', name, 'main.ts')) as {
    build: (app: App) => unknown;
  };
  const app = new App({ outdir: join(__dirname, 'unused') });
  build(app);
  const chart = app.charts[0];
  const zones = SiteFile.all(app)
    .filter((f) => f.path.endsWith('.zone'))
    .map((f) => f.render());
  return { chart, objects: chart.toJson(), zones };
}

// A fleet from an inventory: each site of sites.yaml becomes a chart (namespace site-<name>),
// built by its kind. Edit sites.yaml, not this file, to add a site; `npm run synth`.
// For thousands of sites, `npx cdk8s-baremetal synth --inventory sites.yaml --output dist`
// writes one GitOps folder per site on every core.
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { buildSite, loadInventory } from 'cdk8s-baremetal';

export function build(app: App): Chart[] {
  const sites = loadInventory([join(__dirname, 'sites.yaml')]);
  return sites.map((site) => buildSite(app, site));
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}

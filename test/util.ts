import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart, Testing } from 'cdk8s';

/** A Kubernetes object as synthesized. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [k: string]: any };
  [k: string]: any;
};

/** The synthesized objects of one chart, found by kind and name (never by index). */
export class Manifest {
  /** Synthesizes `chart`, running the app's validations first as `app.synth()` does. */
  public static of(chart: Chart): Manifest {
    (App.of(chart) as App).synthYaml();
    return new Manifest(Testing.synth(chart) as K8sObject[]);
  }

  constructor(public readonly objects: K8sObject[]) {}

  /** Every object of `kind`. */
  public all(kind: string): K8sObject[] {
    return this.objects.filter((o) => o.kind === kind);
  }

  /** The one object of `kind` named `name`; fails the test when there is none or several. */
  public get(kind: string, name: string): K8sObject {
    const found = this.objects.filter((o) => o.kind === kind && o.metadata?.name === name);
    if (found.length !== 1) {
      const have = this.objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ');
      throw new Error(`expected one ${kind}/${name}, found ${found.length} (have: ${have})`);
    }
    return found[0];
  }

  /** The kinds and names, sorted: `Kind/name`. */
  public ids(): string[] {
    return this.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
  }
}

/** A fresh app and chart for a test (apps share one output folder: tests never write to it). */
export function testChart(namespace = 'site'): { app: App; chart: Chart } {
  const app = new App({ outdir: join(tmpdir(), 'cdk8s-baremetal-test-outdir') });
  const chart = new Chart(app, 'test', { namespace });
  return { app, chart };
}

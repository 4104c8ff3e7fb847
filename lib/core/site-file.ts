import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { App, AppProps, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { at, expectString, fail } from '../private/errors';

/** Paths taken in each app, for a duplicate check in constant time. */
const pathsByApp = new WeakMap<IConstruct, Map<string, SiteFile>>();

/** Props of {@link SiteFile}. */
export interface SiteFileProps {
  /**
   * Path of the file relative to the synth output folder, for example
   * `edge-01/imageset-config.yaml`. Forward slashes, no `..`.
   */
  readonly path: string;
  /** Text of the file; a function is called at synth time, after every construct is defined. */
  readonly contents: string | (() => string);
}

/**
 * A file that is not a Kubernetes object but belongs next to the manifests: an oc-mirror
 * ImageSetConfiguration, an Edge Image Builder definition, a preload list. Written by
 * {@link BaremetalApp.synth} (or {@link writeSiteFiles}) into the app's output folder.
 */
export class SiteFile extends Construct {
  /** Every SiteFile under `scope`, in construct order. */
  public static all(scope: IConstruct): SiteFile[] {
    return scope.node.findAll().filter((c): c is SiteFile => c instanceof SiteFile);
  }

  /** Path relative to the output folder. */
  public readonly path: string;
  private readonly contents: string | (() => string);

  constructor(scope: Construct, id: string, props: SiteFileProps) {
    super(scope, id);
    const path = expectString(props?.path, at(this, 'path'), 'pass a relative path such as "site/file.yaml"');
    const norm = normalize(path).replace(/\\/g, '/');
    if (path.length === 0 || isAbsolute(path) || norm.startsWith('..') || norm !== path) {
      fail(at(this, 'path'), 'is not a plain relative path', path, 'use a path such as "edge-01/imageset-config.yaml"');
    }
    let paths = pathsByApp.get(this.node.root);
    if (!paths) pathsByApp.set(this.node.root, (paths = new Map()));
    const taken = paths.get(path);
    if (taken) fail(at(this, 'path'), `is also written by [${taken.node.path}]`, path, 'give each file its own path');
    if (typeof props.contents !== 'string' && typeof props.contents !== 'function') {
      fail(at(this, 'contents'), 'must be text or a function returning text', props.contents, 'pass a string');
    }
    paths.set(path, this);
    this.path = path;
    this.contents = props.contents;
  }

  /** The file's text. */
  public render(): string {
    return typeof this.contents === 'string' ? this.contents : this.contents();
  }
}

/** Writes every {@link SiteFile} of `app` into `outdir`; returns the paths written. */
export function writeSiteFiles(app: App, outdir: string = app.outdir): string[] {
  return SiteFile.all(app).map((file) => {
    const target = join(outdir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.render());
    return file.path;
  });
}

/**
 * A cdk8s `App` that also writes the app's {@link SiteFile}s next to the manifests when it
 * synthesizes. Use it in place of `App` when a site emits files.
 */
export class BaremetalApp extends App {
  constructor(props: AppProps = {}) {
    super(props);
  }

  /** Synthesizes the charts (as `App.synth`) and writes the site files. */
  public synth(): void {
    super.synth();
    writeSiteFiles(this);
  }
}

/** The chart a construct belongs to, for site file paths (`<chart id>/…`). */
export function chartIdOf(scope: IConstruct): string {
  return Chart.of(scope).node.id;
}

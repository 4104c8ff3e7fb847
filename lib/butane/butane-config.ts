import { toKubernetesObject } from '../core/kubernetes-object';
import { stringifyManifest } from '../core/yaml-writer';
import {
  IgnitionConfig,
  IgnitionDropin,
  IgnitionFileOptions,
  IgnitionUnitOptions,
  ButaneFcosVersion,
} from '../ignition/ignition-config';
import { At, child, fail } from '../private/errors';

/** A file written by Ignition at first boot. */
export interface ButaneFileOptions extends IgnitionFileOptions {
  /** Text of the file, embedded inline. */
  readonly contents: string;
  /**
   * Owner of the file.
   * @default 'root'
   */
  readonly user?: string;
  /**
   * Group of the file.
   * @default 'root'
   */
  readonly group?: string;
}

/** A drop-in that amends a systemd unit. */
export type ButaneDropin = IgnitionDropin;

/** A systemd unit written (and optionally enabled) by Ignition at first boot. */
export type ButaneUnitOptions = IgnitionUnitOptions;

/** Props of {@link ButaneConfig}. */
export interface ButaneConfigProps {
  /**
   * Butane fcos spec version. The Cluster API RKE2 provider parses `additionalUserData.config`
   * as fcos 1.4.0 (Ignition 3.3.0).
   * @default '1.4.0'
   */
  readonly version?: ButaneFcosVersion;
  /**
   * Where this config is used, for error messages.
   * @default - `ButaneConfig`
   */
  readonly where?: At;
}

/**
 * A typed Butane (`variant: fcos`) document: the {@link IgnitionConfig} model (files, directories,
 * links, systemd units, users, kernel arguments) plus embedded Kubernetes manifests, rendered as
 * Butane YAML.
 *
 * Constructs add to one config through `addFile`, `addUnit`, `addKernelArguments` and
 * `addManifests`; `render()` gives stable YAML for `additionalUserData.config`. Paths and unit
 * names must be unique, as Ignition refuses duplicate entries. Files name their owner: root
 * unless given.
 */
export class ButaneConfig extends IgnitionConfig {
  /** The Butane spec version written as `version`. */
  public readonly version: string;
  protected override readonly defaultOwner: string | undefined = 'root';
  private readonly manifests: { readonly path: string; readonly objects: readonly object[] }[] = [];

  constructor(props: ButaneConfigProps = {}) {
    super({ where: props.where ?? { path: 'ButaneConfig', prop: 'config' } });
    this.version = props.version ?? '1.4.0';
    if (this.version !== '1.4.0' && this.version !== '1.5.0') {
      fail(
        child(this.where, 'version'),
        'is not a supported Butane fcos version',
        props.version,
        "use '1.4.0' or '1.5.0'",
      );
    }
  }

  /**
   * Adds Kubernetes manifests as one multi-document YAML file, for example in RKE2's
   * auto-deploy folder `/var/lib/rancher/rke2/server/manifests/`. The objects are kept so that
   * they are schema-validated like top-level objects (see `embeddedManifests()`). Each is a plain
   * object (`apiVersion`, `kind`, `metadata.name`, JSON values) or a cdk8s `ApiObject`, written
   * as its `toJson()` at this call; define such an ApiObject in a chart of an App of its own
   * (`new Chart(new App(), 'embedded')`), or it is also applied to the management cluster.
   * Strings that a YAML 1.1 reader (RKE2, Kubernetes) takes for booleans or numbers are quoted.
   */
  public addManifests(path: string, objects: readonly object[]): this {
    if (!Array.isArray(objects) || objects.length === 0) {
      fail(child(this.where, 'manifests'), 'must hold at least one object', objects, 'pass the objects to embed');
    }
    const json = objects.map((o, i) => toKubernetesObject(o, child(child(this.where, 'manifests'), i)));
    const contents = json.map((o) => stringifyManifest(o, { version: '1.2' })).join('---\n');
    this.addFile({ path, contents, mode: 0o600 });
    this.manifests.push({ path, objects: json });
    return this;
  }

  /** Kubernetes objects embedded through `addManifests`, with the file that holds them. */
  public embeddedManifests(): { readonly path: string; readonly objects: readonly object[] }[] {
    return [...this.manifests];
  }

  /** The Butane document as a plain object (snake_case keys, as Butane reads them). */
  public toObject(): Record<string, unknown> {
    return this.toButane(this.version as ButaneFcosVersion);
  }

  /** Stable YAML; file modes are written in decimal with their octal form as a comment. */
  public render(): string {
    return stringifyManifest(this.toObject(), { version: '1.2', comment: octalMode });
  }
}

/** `mode: 420 # 0644`: the octal form of a file mode, as a comment. */
function octalMode(key: string, value: number | boolean): string | undefined {
  return key === 'mode' && typeof value === 'number' ? `0${value.toString(8)}` : undefined;
}

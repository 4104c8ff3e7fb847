import * as kplus from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
} from '../../imports/externalsecrets-external-secrets.io';
import { validateDns1123Subdomain } from '../net/dns';
import { At, fail, redacted } from '../private/errors';
import { SECRET_MATERIAL_ANNOTATION } from './secret-material';

/** What a construct asks of a Secret it refers to. */
export interface SecretBindOptions {
  /** Name of the Secret to define when the reference defines one (a literal Secret). */
  readonly defaultName: string;
  /** Keys the consumer reads; a literal Secret must hold each of them. */
  readonly requiredKeys: string[];
  /** Where the reference was given, for error messages. */
  readonly where: At;
  /**
   * Namespace of the Secret (and ExternalSecret) the reference defines, when the consumer lives
   * in another namespace than its chart.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

export { SECRET_MATERIAL_ANNOTATION } from './secret-material';

/** Options of {@link SecretRef.fromExternalSecret}. */
export interface ExternalSecretOptions {
  /** Name of the SecretStore or ClusterSecretStore that reads your secret manager. */
  readonly storeName: string;
  /**
   * Kind of the store.
   * @default 'ClusterSecretStore'
   */
  readonly storeKind?: 'SecretStore' | 'ClusterSecretStore';
  /** Key of the secret in the secret manager (a path in Vault, a name in AWS Secrets Manager). */
  readonly remoteKey: string;
  /**
   * Which property of the remote secret fills each key of the Kubernetes Secret.
   * @default - each key from the property of the same name
   */
  readonly properties?: Record<string, string>;
  /**
   * How often external-secrets refreshes the Secret.
   * @default '1h'
   */
  readonly refreshInterval?: string;
  /**
   * Name of the Secret (and the ExternalSecret).
   * @default - a name derived from the consumer (for a BMC: `<host>-bmc`)
   */
  readonly name?: string;
}

/** Options of {@link SecretRef.fromLiteral}. */
export interface LiteralSecretOptions {
  /**
   * Explicit opt-in: the values are written in clear text (base64 is not encryption) into the
   * synthesized YAML, and so into git. Must be `true`.
   */
  readonly writeSecretMaterialToManifests: boolean;
  /**
   * Name of the Secret to define.
   * @default - a name derived from the consumer (for a BMC: `<cluster>-<host>-bmc`)
   */
  readonly name?: string;
}

/**
 * A reference to credentials that the controllers read from a Kubernetes Secret.
 *
 * By default a reference names a Secret that already exists (created by your secret manager,
 * sealed-secrets or external-secrets). Writing secret material into the manifests is possible
 * only through {@link SecretRef.fromLiteral} and its explicit opt-in.
 */
export abstract class SecretRef {
  /** An existing Secret in the namespace of the consumer, for example `node1-bmc`. */
  public static fromName(name: string): SecretRef {
    validateDns1123Subdomain(name, { path: 'SecretRef.fromName', prop: 'name' });
    return new ExistingSecretRef(name);
  }

  /**
   * A Secret defined by this library from literal values. Its data ends up in the synthesized
   * YAML; use it for labs only, and say so with `writeSecretMaterialToManifests: true`.
   */
  public static fromLiteral(data: Record<string, string>, options: LiteralSecretOptions): SecretRef {
    const where = { path: 'SecretRef.fromLiteral', prop: 'options.writeSecretMaterialToManifests' };
    if (options?.writeSecretMaterialToManifests !== true) {
      fail(
        where,
        'must be true to write secret material into the manifests',
        options?.writeSecretMaterialToManifests,
        'use SecretRef.fromName() with a Secret created outside git, or opt in explicitly',
      );
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      fail(
        { path: 'SecretRef.fromLiteral', prop: 'data' },
        'must be an object of string values',
        redacted(),
        'pass { key: value }',
      );
    }
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string') {
        fail({ path: 'SecretRef.fromLiteral', prop: `data.${key}` }, 'must be a string', redacted(), 'pass text');
      }
    }
    if (options.name !== undefined)
      validateDns1123Subdomain(options.name, { path: 'SecretRef.fromLiteral', prop: 'options.name' });
    return new LiteralSecretRef({ ...data }, options.name);
  }

  /**
   * A Secret that external-secrets (external-secrets.io/v1) creates from your secret manager:
   * binding defines the `ExternalSecret`, whose target Secret the consumer names. Nothing secret is
   * written into the manifests.
   */
  public static fromExternalSecret(options: ExternalSecretOptions): SecretRef {
    const where = { path: 'SecretRef.fromExternalSecret', prop: 'options' };
    if (options === null || typeof options !== 'object')
      fail(where, 'must be an object', options, 'pass { storeName, remoteKey }');
    validateDns1123Subdomain(options.storeName, { ...where, prop: 'storeName' });
    if (
      options.storeKind !== undefined &&
      options.storeKind !== 'SecretStore' &&
      options.storeKind !== 'ClusterSecretStore'
    ) {
      fail(
        { ...where, prop: 'storeKind' },
        'is not a store kind',
        options.storeKind,
        "use 'SecretStore' or 'ClusterSecretStore'",
      );
    }
    if (typeof options.remoteKey !== 'string' || options.remoteKey.length === 0) {
      fail(
        { ...where, prop: 'remoteKey' },
        'must be a non-empty string',
        options.remoteKey,
        'give the key of the secret in your secret manager',
      );
    }
    if (options.refreshInterval !== undefined && !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(options.refreshInterval)) {
      fail(
        { ...where, prop: 'refreshInterval' },
        'is not a duration',
        options.refreshInterval,
        "write a Go duration such as '1h' or '15m'",
      );
    }
    for (const [key, property] of Object.entries(options.properties ?? {})) {
      if (typeof property !== 'string' || property.length === 0) {
        fail(
          { ...where, prop: `properties.${key}` },
          'must name a property of the remote secret',
          property,
          'give a non-empty property name',
        );
      }
    }
    if (options.name !== undefined) validateDns1123Subdomain(options.name, { ...where, prop: 'name' });
    return new ExternalSecretRef(options);
  }

  /** True when binding this reference writes secret material into the manifests. */
  public abstract readonly isLiteral: boolean;

  /**
   * Resolves the reference for a consumer in `scope`: defines the Secret when this reference
   * defines one, and returns the Secret's name.
   */
  public abstract bind(scope: Construct, id: string, options: SecretBindOptions): string;
}

class ExistingSecretRef extends SecretRef {
  public readonly isLiteral = false;
  constructor(private readonly name: string) {
    super();
  }
  public bind(): string {
    return this.name;
  }
}

class LiteralSecretRef extends SecretRef {
  public readonly isLiteral = true;
  constructor(
    private readonly data: Record<string, string>,
    private readonly name?: string,
  ) {
    super();
  }
  public bind(scope: Construct, id: string, options: SecretBindOptions): string {
    for (const key of options.requiredKeys) {
      if (!(key in this.data)) {
        fail(options.where, `has no key '${key}'`, Object.keys(this.data), `add '${key}' to the literal Secret data`);
      }
    }
    const name = this.name ?? options.defaultName;
    new kplus.Secret(scope, id, {
      metadata: {
        name,
        ...(options.namespace ? { namespace: options.namespace } : {}),
        annotations: { [SECRET_MATERIAL_ANNOTATION]: 'opted-in' },
      },
      stringData: this.data,
      type: 'Opaque',
    });
    return name;
  }
}

class ExternalSecretRef extends SecretRef {
  public readonly isLiteral = false;
  constructor(private readonly options: ExternalSecretOptions) {
    super();
  }
  public bind(scope: Construct, id: string, options: SecretBindOptions): string {
    const name = this.options.name ?? options.defaultName;
    const properties = this.options.properties ?? {};
    for (const key of Object.keys(properties)) {
      if (!options.requiredKeys.includes(key)) {
        fail(
          options.where,
          `maps key '${key}', which the consumer does not read`,
          Object.keys(properties),
          `map only ${options.requiredKeys.join(', ')}`,
        );
      }
    }
    new ExternalSecret(scope, id, {
      metadata: { name, ...(options.namespace ? { namespace: options.namespace } : {}) },
      spec: {
        refreshInterval: this.options.refreshInterval ?? '1h',
        secretStoreRef: {
          name: this.options.storeName,
          kind: (this.options.storeKind ?? 'ClusterSecretStore') as ExternalSecretSpecSecretStoreRefKind,
        },
        target: { name },
        data: options.requiredKeys.map((key) => ({
          secretKey: key,
          remoteRef: { key: this.options.remoteKey, property: properties[key] ?? key },
        })),
      },
    });
    return name;
  }
}

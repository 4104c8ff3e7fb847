import { SECRET_MATERIAL_ANNOTATION } from '../core/secret-material';
import { fromDataUrl } from '../ignition/data-url';
import {
  CREDENTIAL_KEY,
  DOCKER_AUTH,
  holdsSecret,
  isCredentialKey,
  PRIVATE_KEY_PEM,
  PUBLIC_KEYS,
  URL_CREDENTIALS,
} from '../private/secret-patterns';

export { isCredentialKey, secretMaterialIn } from '../private/secret-patterns';

/* eslint-disable @typescript-eslint/no-explicit-any */

function looksLikeCredential(key: string, value: unknown): string | undefined {
  const text = typeof value === 'string' ? value : '';
  if (PRIVATE_KEY_PEM.test(text)) return 'holds a PEM private key';
  if (DOCKER_AUTH.test(text)) return 'holds registry credentials (a docker config "auth")';
  if (URL_CREDENTIALS.test(text)) return "holds a URL with credentials (user information before '@')";
  if (CREDENTIAL_KEY.test(key) && !PUBLIC_KEYS.test(key) && text.length > 0)
    return `has a key named like a credential ('${key}')`;
  return undefined;
}

/**
 * Finds secret material written into `objects`: a Secret with `data` or `stringData` that does
 * not carry the `cdk8s-baremetal/secret-material` annotation of an explicit opt-in
 * (`SecretRef.fromLiteral`) or of library-made non-credential data (network data); and a
 * ConfigMap value or an annotation that looks like a credential (a private key, a registry
 * `auth`, a password-like key); a MachineConfig file holding a private key or registry
 * credentials, unless the MachineConfig carries the opt-in annotation; a BareMetalHost BMC address
 * with credentials in the URL. Messages name the object
 * and key or file, never the value.
 */
export function findSecretMaterial(objects: readonly any[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    if (o === null || typeof o !== 'object') continue;
    const id = `${o.kind}/${o.metadata?.name}`;
    const annotations: Record<string, unknown> = o.metadata?.annotations ?? {};
    if (o.kind === 'Secret' && o.apiVersion === 'v1') {
      const keys = [...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})];
      if (keys.length > 0 && !annotations[SECRET_MATERIAL_ANNOTATION]) {
        problems.push(
          `[${id}] writes literal data (keys ${keys.join(', ')}) into the manifests; reference an existing Secret (SecretRef.fromName), ` +
            'use SecretRef.fromExternalSecret, or opt in with SecretRef.fromLiteral',
        );
      }
    }
    if (o.kind === 'ConfigMap' && o.apiVersion === 'v1') {
      for (const [key, value] of Object.entries({ ...(o.data ?? {}), ...(o.binaryData ?? {}) })) {
        const why = looksLikeCredential(key, value);
        if (why) problems.push(`[${id}] data key '${key}' ${why}; keep credentials in a Secret created outside git`);
      }
    }
    if (o.kind === 'MachineConfig' && !annotations[SECRET_MATERIAL_ANNOTATION]) {
      const files: any[] = Array.isArray(o.spec?.config?.storage?.files) ? o.spec.config.storage.files : [];
      for (const f of files) {
        const why = looksLikeCredential('contents', fileText(f));
        if (why) {
          problems.push(
            `[${id}] file '${f?.path}' ${why}; MachineConfigs are readable cluster-wide and kept with the manifests: ` +
              'deliver the credential another way, or opt in with the secretMaterial prop of MachineConfig',
          );
        }
      }
    }
    if (
      o.kind === 'BareMetalHost' &&
      typeof o.spec?.bmc?.address === 'string' &&
      URL_CREDENTIALS.test(o.spec.bmc.address)
    ) {
      problems.push(
        `[${id}] 'spec.bmc.address' holds credentials in the URL (user information before '@'); ` +
          "put the user name and password in the Secret that 'spec.bmc.credentialsName' names",
      );
    }
    for (const [key, value] of Object.entries(annotations)) {
      if (key === SECRET_MATERIAL_ANNOTATION) continue;
      const why = looksLikeCredential(key, value);
      if (why) problems.push(`[${id}] annotation '${key}' ${why}; keep credentials in a Secret created outside git`);
    }
  }
  return problems;
}

/** The text of an Ignition file entry with a `data:` URL source, or '' when it has none or is not text. */
function fileText(file: any): string {
  try {
    const bytes = fromDataUrl(file?.contents?.source, file?.contents?.compression ?? '');
    return Buffer.from(bytes).toString('utf8');
  } catch {
    return '';
  }
}

/**
 * Whether the value at `path` (JSON pointer segments) of `object` must never be shown: anything in
 * a Secret's `data` or `stringData`, below a key named like a credential, an Ignition or Butane
 * config (MachineConfig `spec.config`, InfraEnv `spec.ignitionConfigOverride`, RKE2
 * `additionalUserData`), and any value holding secret material (see {@link secretMaterialIn}),
 * however deep in it.
 */
export function isSensitiveValue(object: any, path: readonly string[], value: unknown): boolean {
  const kind = object?.kind;
  if (kind === 'Secret' && (path[0] === 'data' || path[0] === 'stringData')) return true;
  if (kind === 'MachineConfig' && path[0] === 'spec' && path[1] === 'config') return true;
  if (kind === 'InfraEnv' && path[0] === 'spec' && path[1] === 'ignitionConfigOverride') return true;
  if (path.includes('additionalUserData')) return true;
  if (path.some((segment) => isCredentialKey(segment))) return true;
  return holdsSecret(value);
}

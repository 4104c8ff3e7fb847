// What secret material looks like: shared by the secret checks of `validate` and synth, and by the
// error messages of every construct, which must never print such a value.

export const CREDENTIAL_KEY =
  /(^|[-_.])(pass(word|wd)?|token|secret|api[-_]?key|private[-_]?key|credentials?|auth)($|[-_.])/i;
export const PRIVATE_KEY_PEM = /-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----/;
export const DOCKER_AUTH = /"auths?"\s*:\s*\{[\s\S]*"auth"\s*:\s*"[A-Za-z0-9+/=]{8,}"/;
/** A URL with user information (`scheme://user:password@host` or `scheme://user@host`). */
export const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@]+@/i;

/** Keys whose values are public by nature even though their names look sensitive. */
export const PUBLIC_KEYS =
  /(^|[-_.])(ca|ca-bundle|trusted-ca|tls\.crt|ca\.crt|cert|certificate)([-_.]|$)|\.(crt|pem)$|^ssh[-_]?(authorized|public)/i;

/** Why `text` looks like secret material (a private key, registry credentials, a URL with credentials), or `undefined`. */
export function secretMaterialIn(text: string): string | undefined {
  if (PRIVATE_KEY_PEM.test(text)) return 'a PEM private key';
  if (DOCKER_AUTH.test(text)) return 'registry credentials';
  if (URL_CREDENTIALS.test(text)) return 'a URL with credentials';
  return undefined;
}

/**
 * Whether a key names a credential (`password`, `token`, `apiKey`, `passwordHash`, …) and not
 * public material. camelCase words count as separate words; a key that refers to a credential
 * (`credentialsName`, `pullSecretRef`) is not one.
 */
export function isCredentialKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1-$2');
  if (/[a-z0-9]-(Name|Namespace|Ref|Selector|Type)$/.test(words)) return false; // names a Secret, holds none
  return CREDENTIAL_KEY.test(words) && !PUBLIC_KEYS.test(words);
}

/**
 * Whether `value` holds secret material anywhere in it: a string with a private key, registry
 * credentials or a URL with credentials, or a non-empty value under a key named like a credential.
 */
export function holdsSecret(value: unknown): boolean {
  return holds(value, 0, new WeakSet());
}

function holds(value: unknown, depth: number, seen: WeakSet<object>): boolean {
  if (typeof value === 'string') return secretMaterialIn(value) !== undefined;
  if (value === null || typeof value !== 'object' || depth > 32 || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) return value.some((v) => holds(v, depth + 1, seen));
  return Object.entries(value).some(([k, v]) => (isCredentialKey(k) && v !== '') || holds(v, depth + 1, seen));
}

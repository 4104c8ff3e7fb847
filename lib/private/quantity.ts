import { At, expectNonEmptyString, fail } from './errors';

const QUANTITY = /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const FACTOR: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Checks a storage size such as `10Gi` (a Kubernetes quantity, positive); returns it and its bytes. */
export function validateStorageSize(value: unknown, where: At): { text: string; bytes: number } {
  const text = expectNonEmptyString(value, where, 'write a size such as "10Gi"');
  const m = QUANTITY.exec(text);
  if (!m) fail(where, 'is not a storage size', value, 'write a Kubernetes quantity such as "10Gi" or "500Mi"');
  const bytes = Number(m[1]) * FACTOR[m[3] ?? ''];
  if (!(bytes > 0)) fail(where, 'must be more than zero', value, 'write a size such as "10Gi"');
  return { text, bytes };
}

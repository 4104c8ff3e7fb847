import { ApiObject } from 'cdk8s';

/** apiVersion, kind and name of an object, as CAPI `*Ref` fields hold them. */
export interface ObjectReference {
  /** API version of the target, for example `infrastructure.cluster.x-k8s.io/v1beta1`. */
  readonly apiVersion: string;
  /** Kind of the target, for example `Metal3Cluster`. */
  readonly kind: string;
  /** Name of the target (same namespace as the referring object). */
  readonly name: string;
}

/** The reference to an emitted object, so that no name is typed twice. */
export function referenceTo(obj: ApiObject): ObjectReference {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.name };
}

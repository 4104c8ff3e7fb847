import { ApiObject } from 'cdk8s';

/** apiVersion, kind and name of an object, as CAPI `*Ref` fields hold them. */
export interface ObjectReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** The reference to an emitted object, so that no name is typed twice. */
export function referenceTo(obj: ApiObject): ObjectReference {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.name };
}

import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { singletonObject } from '../core/singleton';
import { ClusterImageSet as ClusterImageSetObject } from '../../imports/clusterimagesets-hive.openshift.io';
import { validateDns1123Subdomain } from '../net/dns';
import { at, fail } from '../private/errors';
import { ImageReference } from '../registry/image-reference';
import { AirgapRegistryMirror } from '../registry/airgap-registry-mirror';
import { validateOutput } from '../validation/construct-validation';

/** Props of {@link ClusterImageSet}. */
export interface ClusterImageSetProps {
  /**
   * OpenShift release image, for example
   * `quay.io/openshift-release-dev/ocp-release:4.19.2-x86_64`. With `registryMirror` it must be a
   * digest (`…@sha256:…`) under a mirrored source or in the mirror registry.
   */
  readonly releaseImage: string;
  /**
   * Name of the (cluster-scoped) ClusterImageSet, which `AgentClusterInstall.spec.imageSetRef` names.
   * @default `img<tag>` from the release tag (`img4.19.2-x86-64`); required for a digest without tag
   */
  readonly name?: string;
  /**
   * The mirror a disconnected management cluster pulls the release through.
   * @default - the release is pulled from its registry
   */
  readonly registryMirror?: AirgapRegistryMirror;
}

/**
 * A Hive `ClusterImageSet`: the OpenShift release an `AgentClusterInstall` installs.
 * Cluster-scoped (it carries no namespace whatever the chart's). When the cluster is
 * disconnected, the release must be pinned by digest, because mirrored releases resolve only by
 * digest through `registries.conf`.
 */
export class ClusterImageSet extends Construct {
  /** Name of the ClusterImageSet. */
  public readonly name: string;
  /** The release image, parsed. */
  public readonly releaseImage: ImageReference;
  /** The generated API object. */
  public readonly apiObject: ClusterImageSetObject;

  constructor(scope: Construct, id: string, props: ClusterImageSetProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') {
      fail(at(this, 'props'), 'must be an object', props, 'pass { releaseImage }');
    }
    const mirror = props.registryMirror;
    if (mirror !== undefined && !(mirror instanceof AirgapRegistryMirror)) {
      fail(at(this, 'registryMirror'), 'is not an AirgapRegistryMirror', mirror, 'pass the site mirror construct');
    }
    const ref = mirror
      ? mirror.checkReleaseImage(props.releaseImage, at(this, 'releaseImage'))
      : ImageReference.parseImage(props.releaseImage, at(this, 'releaseImage'));
    if (mirror && !ref.isDigest) {
      fail(
        at(this, 'releaseImage'),
        'is a tag, but the cluster is disconnected',
        ref.toString(),
        `give the release by digest ("…@sha256:…"); \`oc adm release info ${ref} | grep "Pull From"\` prints it`,
      );
    }
    this.releaseImage = ref;
    if (props.name === undefined && ref.tag === undefined) {
      fail(
        at(this, 'name'),
        'is missing',
        undefined,
        'a release given by digest alone has no tag to derive a name from; name it, e.g. "img4.19.2-x86-64"',
      );
    }
    const name =
      props.name ??
      `img${ref.tag}`
        .toLowerCase()
        .replace(/[^a-z0-9.-]+/g, '-')
        .slice(0, 253)
        .replace(/[-.]+$/, '');
    this.name = validateDns1123Subdomain(name, at(this, 'name'));
    // Cluster-scoped and shared: clusters of one release use one ClusterImageSet.
    this.apiObject = singletonObject(this, at(this, 'name'), {
      apiVersion: 'hive.openshift.io/v1',
      kind: 'ClusterImageSet',
      name: this.name,
      content: { spec: { releaseImage: ref.toString() } },
      strategy: 'equal',
      fix: 'give ClusterImageSets of different releases different names',
      define: () => {
        const object = new ClusterImageSetObject(this, 'Resource', {
          metadata: { name: this.name },
          spec: { releaseImage: ref.toString() },
        });
        clusterScoped(object);
        return object;
      },
    });
    validateOutput(this);
  }
}

/** Cluster-scoped objects carry no namespace, whatever the chart's. */
function clusterScoped(object: ApiObject): void {
  if (Chart.of(object).namespace !== undefined) object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}

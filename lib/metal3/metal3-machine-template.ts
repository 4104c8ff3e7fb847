import { Construct } from 'constructs';
import {
  Metal3DataTemplate,
  Metal3DataTemplateSpecMetaDataObjectNamesObject,
} from '../../imports/metal3datatemplates-infrastructure.cluster.x-k8s.io';
import {
  Metal3MachineTemplate as Metal3MachineTemplateObject,
  Metal3MachineTemplateSpecTemplateSpecImageChecksumType,
  Metal3MachineTemplateSpecTemplateSpecImageFormat,
} from '../../imports/metal3machinetemplates-infrastructure.cluster.x-k8s.io';
import { ObjectReference, referenceTo } from '../core/object-reference';
import { OsImage } from './os-image';

/** Props of {@link Metal3MachineTemplate}. */
export interface Metal3MachineTemplateProps {
  /** Name of the Metal3MachineTemplate, for example `<cluster>-controlplane`. */
  readonly name: string;
  /** Name of the CAPI Cluster the machines belong to. */
  readonly clusterName: string;
  /** Labels a BareMetalHost must carry to be picked for these machines. */
  readonly hostSelector: Record<string, string>;
  /** OS image written to the hosts. */
  readonly image: OsImage;
  /**
   * Name of the Metal3DataTemplate.
   * @default `<name>-template`
   */
  readonly dataTemplateName?: string;
}

/**
 * The Metal3 machine shape of a group of hosts: a `Metal3MachineTemplate` (image and host
 * selector) and the `Metal3DataTemplate` it names, whose metadata gives each node its machine
 * name as `name`, `local-hostname` and `local_hostname` on the config drive.
 */
export class Metal3MachineTemplate extends Construct {
  /** The Metal3MachineTemplate object. */
  public readonly machineTemplate: Metal3MachineTemplateObject;
  /** The Metal3DataTemplate object. */
  public readonly dataTemplate: Metal3DataTemplate;

  constructor(scope: Construct, id: string, props: Metal3MachineTemplateProps) {
    super(scope, id);
    const objectNames = ['name', 'local-hostname', 'local_hostname'].map((key) => ({
      key,
      object: Metal3DataTemplateSpecMetaDataObjectNamesObject.MACHINE,
    }));
    this.dataTemplate = new Metal3DataTemplate(this, 'DataTemplate', {
      metadata: { name: props.dataTemplateName ?? `${props.name}-template` },
      spec: { clusterName: props.clusterName, metaData: { objectNames } },
    });
    const image = props.image.toMetal3();
    this.machineTemplate = new Metal3MachineTemplateObject(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        template: {
          spec: {
            dataTemplate: { name: this.dataTemplate.name },
            hostSelector: { matchLabels: { ...props.hostSelector } },
            image: {
              url: image.url,
              checksum: image.checksum,
              checksumType: image.checksumType as Metal3MachineTemplateSpecTemplateSpecImageChecksumType,
              format: image.format as Metal3MachineTemplateSpecTemplateSpecImageFormat,
            },
          },
        },
      },
    });
  }

  /** Reference for `infrastructureRef` fields. */
  public toObjectReference(): ObjectReference {
    return referenceTo(this.machineTemplate);
  }
}

import { At, child, expectArray, fail } from '../private/errors';
import { ImageReference, RegistryHost } from '../registry/image-reference';
import { HelmChartSource, validateHelmChartSource } from '../rke2/helm-chart';
import { checkImageReference } from './edge-image-inputs';

// The lists of what to preload into a site's private registry (seed §42.3.2.7), as
// EdgeImageDefinition and AirgapRegistryMirror.addRke2PreloadLists write them. Each list has one
// convention, stated in its first line:
//
// - relative to a source registry (`relativeTo`): SUSE's scripts read them that way,
//   `edge-save-images.sh -s <registry> -l <list>` pulls `<registry>/<line>` and
//   `edge-save-oci-artefacts.sh -s <registry> -al <list>` pulls `oci://<registry>/<chart>` at
//   `--version <version>` for each `<chart>:<version>` line;
// - fully qualified otherwise, for tools that take whole references (`podman pull <line>`).
//
// The scripts skip empty lines only: the header line costs one "skipping" or "unable to find"
// message in their output, nothing else (it has no glob characters and not exactly one colon).

/** Which list: container images or OCI Helm charts. */
export type PreloadListKind = 'images' | 'charts';

/**
 * One entry of a preload list: `<path><suffix>` relative to `relativeTo` (the reference must be
 * in that registry), or the whole reference without it.
 *
 * @param ref the image or chart repository
 * @param suffix `:<tag>`, `@<digest>` or `:<chart version>`
 */
export function preloadEntry(
  ref: ImageReference,
  suffix: string,
  relativeTo: RegistryHost | undefined,
  where: At,
): string {
  if (!relativeTo) return `${ref.repository}${suffix}`;
  if (!ref.registry.equals(relativeTo)) {
    fail(
      where,
      `lists ${ref.repository}, which is not in ${relativeTo}`,
      `${ref.repository}${suffix}`,
      'drop relativeTo, or preload it with a list of its own registry',
    );
  }
  return `${ref.path}${suffix}`;
}

/** The first line of a list, which says how to read it. */
export function preloadListHeader(kind: PreloadListKind, relativeTo: RegistryHost | undefined): string {
  if (kind === 'images') {
    return relativeTo
      ? `# Images relative to ${relativeTo}, one a line, for edge-save-images.sh -s ${relativeTo} -l <this file>`
      : '# Fully qualified images, one a line, as podman pull takes them (SUSE edge-save-images.sh needs relativeTo)';
  }
  return relativeTo
    ? `# OCI Helm charts relative to ${relativeTo}, chart and version a line, for edge-save-oci-artefacts.sh -s ${relativeTo} -al <this file>`
    : '# Fully qualified OCI Helm charts, chart and version a line, as helm pull oci takes them (SUSE edge-save-oci-artefacts.sh needs relativeTo)';
}

/** A list: the header line, then one entry a line. */
export function renderPreloadList(
  kind: PreloadListKind,
  entries: readonly string[],
  relativeTo: RegistryHost | undefined,
): string {
  return [preloadListHeader(kind, relativeTo), ...entries].map((l) => `${l}\n`).join('');
}

/** The OCI Helm charts to preload, one `<reference>:<version>` each (relative to `relativeTo`), each once. */
export function checkPreloadChartList(value: unknown, where: At, relativeTo?: RegistryHost): string[] {
  const charts = expectArray<unknown>(value ?? [], where).map((item, i) => {
    const w = child(where, i);
    const source = validateHelmChartSource(item as HelmChartSource, w);
    if (source.repo !== undefined || !source.chart.startsWith('oci://')) {
      fail(
        child(w, 'chart'),
        'is not an oci:// chart',
        source.chart,
        'only OCI charts can be preloaded into a registry; give the oci:// reference',
      );
    }
    const ref = ImageReference.parseRepository(source.chart.slice('oci://'.length), child(w, 'chart'));
    return preloadEntry(ref, `:${source.version}`, relativeTo, child(w, 'chart'));
  });
  const dup = charts.find((c, i) => charts.indexOf(c) !== i);
  if (dup !== undefined) fail(where, 'lists a chart twice', dup, 'list each chart once');
  return charts;
}

/**
 * The images to preload, each once, all in one convention: relative to `relativeTo` (a short
 * name such as `rancher/foo:v1` is taken as relative to it), or fully qualified (a short name is
 * refused, since the list would mix both).
 */
export function checkPreloadImageList(value: unknown, where: At, relativeTo?: RegistryHost): string[] {
  const images = expectArray<unknown>(value ?? [], where).map((item, i) => {
    const w = child(where, i);
    const text = checkImageReference(item, w);
    const first = text.split('/')[0];
    const qualified = text.includes('/') && /[.:]|^localhost$|^\[/.test(first);
    if (!qualified) {
      if (relativeTo) return text;
      fail(
        w,
        'has no registry host, so the list would mix short and fully qualified names',
        text,
        `write it fully qualified, such as "registry.suse.com/${text}", or set preloadRelativeTo to the registry the save script pulls from`,
      );
    }
    const ref = ImageReference.parseImage(text, w);
    return preloadEntry(ref, ref.toString().slice(ref.repository.length), relativeTo, w);
  });
  const dup = images.find((name, i) => images.indexOf(name) !== i);
  if (dup !== undefined) fail(where, 'lists an image twice', dup, 'list each image once');
  return images;
}

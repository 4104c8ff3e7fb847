import { At, fail } from '../private/errors';

/** CPU architectures Edge Image Builder builds for (`image.arch`). */
export type ImageArch = 'x86_64' | 'aarch64';

/** The architectures Edge Image Builder accepts. */
export const IMAGE_ARCHS: readonly ImageArch[] = ['x86_64', 'aarch64'];

/**
 * The words that name each architecture in file names and URLs: the kernel's name, its spelling
 * with a dash, and the Go/Debian name that RKE2 and container platforms use.
 */
export const ARCH_MARKERS: Readonly<Record<ImageArch, readonly string[]>> = {
  x86_64: ['x86_64', 'x86-64', 'amd64'],
  aarch64: ['aarch64', 'arm64'],
};

/** The Go/Debian name of `arch` (`amd64`, `arm64`), as RKE2 release artifacts spell it. */
export function goArchOf(arch: ImageArch): 'amd64' | 'arm64' {
  return arch === 'x86_64' ? 'amd64' : 'arm64';
}

/**
 * The architectures a file name or URL names. A marker counts only as a whole word: bounded by
 * the start or end of the text or by a character other than a letter or digit, so
 * `SL-Micro.x86_64-6.1-Base-GM.raw` names x86_64 and `charm64` names nothing.
 */
export function archesNamedIn(text: string): ImageArch[] {
  const lower = text.toLowerCase();
  return IMAGE_ARCHS.filter((arch) =>
    ARCH_MARKERS[arch].some((marker) => new RegExp(`(?:^|[^a-z0-9])${marker}(?:$|[^a-z0-9])`).test(lower)),
  );
}

/**
 * Refuses a file name or URL that names only the other architecture: `SL-Micro.aarch64-6.1.raw`
 * for an x86_64 image. A name that names no architecture, or both, says nothing and passes.
 *
 * @param text the file name or URL
 * @param arch the architecture of the image
 * @param where the construct path and prop for the message
 */
export function checkArchOfName(text: string, arch: ImageArch, where: At): void {
  const named = archesNamedIn(text);
  if (named.length === 1 && named[0] !== arch) {
    fail(
      where,
      `names the ${named[0]} architecture but the image is ${arch}`,
      text,
      `use the ${arch} file, or set arch to '${named[0]}' (Edge Image Builder cannot cross-build)`,
    );
  }
}

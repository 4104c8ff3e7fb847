import { normalize } from 'node:path';
import { IConstruct } from 'constructs';
import { chartIdOf } from '../core/site-file';
import {
  At,
  child,
  expectArray,
  expectNonEmptyString,
  expectObject,
  expectOptionalBoolean,
  expectString,
  fail,
  redacted,
} from '../private/errors';
import { BuildSecret, BuildSecretKind, expectOptionalBuildSecret } from './build-secret';
import { EdgeImageRepository, EdgeImageUser, EibImageType } from './edge-image-options';
import { checkArchOfName, ImageArch } from './image-arch';

// Checks of the user inputs of an EdgeImageDefinition: each takes the value and where it was
// given, and returns what the definition writes.

const UNIT = /^[A-Za-z0-9:_.@\\-]+$/;
const USERNAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const PACKAGE = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;
const KERNEL_ARG = /^[^\s=]+(?:=\S+)?$/;
const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];

/** The kernel arguments: the Metal3 ones first, then `value`, each key once. */
export function checkKernelArguments(value: unknown, predictable: boolean, where: At): string[] {
  const required = ['ignition.platform.id=openstack', `net.ifnames=${predictable ? 1 : 0}`];
  const result = [...required];
  const seen = new Set<string>();
  expectArray<unknown>(value ?? [], where, 'pass a list such as ["console=ttyS0,115200"]').forEach((item, i) => {
    const w = child(where, i);
    const arg = expectNonEmptyString(item, w, 'pass "key" or "key=value"');
    if (!KERNEL_ARG.test(arg) || arg.endsWith('=')) {
      fail(
        w,
        'is not "key" or "key=value"',
        arg,
        'write one argument per item, without spaces, and with a value after "="',
      );
    }
    const key = arg.split('=')[0];
    if (key === 'ignition.platform.id' && arg !== required[0]) {
      fail(
        w,
        `contradicts ${required[0]}, which the Metal3 flow needs for Ignition to configure the host`,
        arg,
        'drop it; the construct sets it',
      );
    }
    if (key === 'net.ifnames' && arg !== required[1]) {
      fail(
        w,
        `contradicts predictableNicNames: ${predictable} (${required[1]})`,
        arg,
        "drop it and set predictableNicNames to the metal3 chart's predictableNicNames value",
      );
    }
    if (key === 'fips') {
      fail(
        w,
        'asks for FIPS mode, which Edge Image Builder sets up only through enableFIPS',
        arg,
        'drop it; FIPS images are not supported by this construct',
      );
    }
    if (seen.has(key)) fail(w, `repeats the key '${key}'`, arg, 'give each kernel argument once');
    seen.add(key);
    if (!required.includes(arg)) result.push(arg);
  });
  return result;
}

/** A list of systemd unit names, each once. */
export function checkUnitList(value: unknown, where: At): string[] {
  const units = expectArray<unknown>(value, where, 'pass a list of unit names such as ["rebootmgr"]').map((item, i) => {
    const unit = expectNonEmptyString(item, child(where, i), 'pass a unit name such as "rebootmgr.service"');
    if (!UNIT.test(unit))
      fail(child(where, i), 'is not a systemd unit name', unit, 'write the unit name, such as "fstrim.timer"');
    return unit;
  });
  const dup = units.find((u, i) => units.indexOf(u) !== i);
  if (dup !== undefined) fail(where, 'lists a unit twice', dup, 'list each unit once');
  return units;
}

/** The users, with their SSH keys and password hash placeholders; records the secrets' kinds. */
export function checkUserList(
  value: unknown,
  kinds: Map<string, BuildSecretKind>,
  where: At,
): Record<string, unknown>[] {
  const names = new Set<string>();
  return expectArray<unknown>(value ?? [], where).map((item, i) => {
    const w = child(where, i);
    const user = expectObject<EdgeImageUser>(item, w, 'pass { username, sshKeys, encryptedPassword }');
    const username = expectString(user.username, child(w, 'username'), 'pass a login name such as "root"');
    if (!USERNAME.test(username)) {
      fail(
        child(w, 'username'),
        'is not a login name',
        username,
        'use up to 32 lower-case letters, digits, "_" and "-", starting with a letter or "_"',
      );
    }
    if (names.has(username)) fail(child(w, 'username'), 'is given twice', username, 'configure each user once');
    names.add(username);
    const keys = expectArray<unknown>(user.sshKeys ?? [], child(w, 'sshKeys')).map((k, j) =>
      checkSshKey(k, child(child(w, 'sshKeys'), j)),
    );
    const password = expectOptionalBuildSecret(
      user.encryptedPassword,
      child(w, 'encryptedPassword'),
      `${username.toUpperCase().replace(/-/g, '_')}_PASSWORD_HASH`,
    );
    if (password) recordSecretKind(kinds, password, 'password-hash', child(w, 'encryptedPassword'));
    if (keys.length === 0 && password === undefined) {
      fail(
        w,
        'has neither sshKeys nor encryptedPassword',
        username,
        'give the user an SSH key or a password hash, or drop it',
      );
    }
    return {
      username,
      ...(password ? { encryptedPassword: password.placeholder } : {}),
      // Edge Image Builder refuses SSH keys without a home folder to put them in.
      ...(keys.length > 0 ? { sshKeys: keys, createHomeDir: true } : {}),
    };
  });
}

/** Records that `secret` holds a `kind`; refuses one variable for two kinds of secret. */
export function recordSecretKind(
  kinds: Map<string, BuildSecretKind>,
  secret: BuildSecret,
  kind: BuildSecretKind,
  where: At,
): void {
  const known = kinds.get(secret.name);
  if (known !== undefined && known !== kind) {
    fail(
      where,
      `uses ${secret.name}, which also holds a ${known === 'password-hash' ? 'password hash' : 'registration code'}`,
      secret.placeholder,
      'give each secret its own variable',
    );
  }
  kinds.set(secret.name, kind);
}

/** A list of RPM package names, each once. */
export function checkPackageList(value: unknown, where: At): string[] {
  const packages = expectArray<unknown>(value, where, 'pass a list of package names such as ["jq"]').map((item, i) => {
    const name = expectNonEmptyString(item, child(where, i), 'pass a package name such as "jq"');
    if (!PACKAGE.test(name))
      fail(child(where, i), 'is not a package name', name, 'write the RPM name, such as "dpdk-tools"');
    return name;
  });
  const dup = packages.find((name, i) => packages.indexOf(name) !== i);
  if (dup !== undefined) fail(where, 'lists a package twice', dup, 'list each package once');
  return packages;
}

/** The extra RPM repositories, without credentials in their URLs, each once. */
export function checkRepositoryList(value: unknown, where: At): Record<string, unknown>[] {
  const urls = new Set<string>();
  return expectArray<unknown>(value ?? [], where).map((item, i) => {
    const w = child(where, i);
    const repo = expectObject<EdgeImageRepository>(item, w, 'pass { url, unsigned }');
    const url = expectNonEmptyString(repo.url, child(w, 'url'), 'pass the http(s) URL of the repository');
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || /\s/.test(url)) {
      fail(
        child(w, 'url'),
        'is not an http(s) URL',
        url,
        'pass the repository URL, such as "https://download.example.com/repo"',
      );
    }
    if (parsed.username !== '' || parsed.password !== '') {
      fail(
        child(w, 'url'),
        'embeds credentials',
        redacted(),
        'serve the repository without credentials in the URL; they would end up in git',
      );
    }
    if (urls.has(url)) fail(child(w, 'url'), 'is given twice', url, 'list each repository once');
    urls.add(url);
    const unsigned = expectOptionalBoolean(repo.unsigned, child(w, 'unsigned'));
    return { url, ...(unsigned ? { unsigned: true } : {}) };
  });
}

/** A list of container image references with tag or digest, each once. */
export function checkImageList(value: unknown, where: At): string[] {
  const images = expectArray<unknown>(value ?? [], where).map((item, i) => checkImageReference(item, child(where, i)));
  const dup = images.find((name, i) => images.indexOf(name) !== i);
  if (dup !== undefined) fail(where, 'lists an image twice', dup, 'list each image once');
  return images;
}

/** Checks an SSH public key line; a private key is refused without showing it. */
function checkSshKey(value: unknown, where: At): string {
  if (typeof value === 'string' && /PRIVATE KEY/.test(value)) {
    fail(
      where,
      'is a private key',
      redacted(),
      'pass the public key (the .pub file), and keep the private key out of git',
    );
  }
  const key = expectNonEmptyString(value, where, 'pass a public key line such as "ssh-ed25519 AAAA… user@host"');
  const m = /^(\S+) ([A-Za-z0-9+/]+={0,3})(?: [^\r\n]*)?$/.exec(key);
  if (!m || !SSH_KEY_TYPES.includes(m[1])) {
    fail(
      where,
      'is not an SSH public key line',
      key,
      `write "<type> <base64> [comment]" with a type of ${SSH_KEY_TYPES.join(', ')}`,
    );
  }
  // The key blob starts with its own type, length-prefixed: a cut or mixed-up key shows here.
  const blob = Buffer.from(m[2], 'base64');
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  const embedded = length > 0 && length <= blob.length - 4 ? blob.subarray(4, 4 + length).toString('latin1') : '';
  if (embedded !== m[1]) {
    fail(where, `has a key body that is not a ${m[1]} key`, key, 'copy the whole public key line again');
  }
  return key;
}

const DOMAIN = /^(?:localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?)$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Checks a container image reference with a tag or digest: `registry.example.com/ns/app:1.0`. */
export function checkImageReference(value: unknown, where: At): string {
  const ref = expectNonEmptyString(
    value,
    where,
    'pass an image reference such as "rancher/hardened-sriov-cni:v2.8.1-build20240820"',
  );
  const bad = (problem: string): never =>
    fail(where, problem, ref, 'write [registry/]repository:tag or [registry/]repository@sha256:<digest>');
  const [nameAndTag, digest, ...rest] = ref.split('@');
  if (rest.length > 0) bad('has more than one "@"');
  if (digest !== undefined && !DIGEST.test(digest)) bad('has a digest that is not sha256:<64 hex digits>');
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  const tag = colon > slash ? nameAndTag.slice(colon + 1) : undefined;
  const name = colon > slash ? nameAndTag.slice(0, colon) : nameAndTag;
  if (tag !== undefined && !TAG.test(tag)) bad('has an invalid tag');
  if (tag === undefined && digest === undefined) bad('has neither a tag nor a digest');
  const parts = name.split('/');
  const first = parts[0];
  const hasDomain =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['));
  if (hasDomain && !DOMAIN.test(first)) bad('has an invalid registry host');
  const path = hasDomain ? parts.slice(1) : parts;
  if (path.length === 0 || !path.every((c) => PATH_COMPONENT.test(c))) bad('has an invalid repository name');
  return ref;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,254}$/;
const EXTENSIONS: Record<EibImageType, readonly string[]> = { raw: ['raw', 'img'], iso: ['iso'] };

/** Folders taken in each app, with the image that took each. */
const dirsByApp = new WeakMap<IConstruct, Map<string, IConstruct>>();

/** A plain file name, no folders; `example` completes the hint, e.g. `a file name such as "a.sh"`. */
export function checkFileName(value: unknown, where: At, example: string): string {
  const name = expectString(value, where, `pass ${example}`);
  if (!FILE_NAME.test(name)) {
    fail(where, 'is not a plain file name', name, `use letters, digits, ".", "_", "+" and "-", no folders: ${example}`);
  }
  return name;
}

/** The file name of an image of `imageType` for `arch`: the type's extension, no other architecture named. */
export function checkImageFileName(
  value: unknown,
  imageType: EibImageType,
  arch: ImageArch,
  where: At,
  example: string,
): string {
  const name = checkFileName(value, where, `a file name such as "${example}"`);
  const extension = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  const allowed = EXTENSIONS[imageType];
  if (!allowed.includes(extension)) {
    fail(
      where,
      `does not end in ${allowed.map((e) => `.${e}`).join(' or ')}, as ${imageType === 'iso' ? 'an iso' : 'a raw'} image does`,
      name,
      imageType === 'raw' ? 'use the .raw file (Metal3 needs a raw disk image)' : 'use the .iso file, or set imageType',
    );
  }
  checkArchOfName(name, arch, where);
  return name;
}

/**
 * The folder of `image`, relative to the synth output folder: `value`, or `eib/<chart id>` when
 * it is undefined. Claimed for `image` in its app: no two images share a folder.
 */
export function claimImageFolder(value: unknown, image: IConstruct, where: At): string {
  let dir: string;
  if (value === undefined) {
    let chart: string;
    try {
      chart = chartIdOf(image);
    } catch {
      fail(
        where,
        'has no default outside a Chart',
        value,
        'pass dir, such as "eib/edge-01", or define the image in a Chart',
      );
    }
    dir = `eib/${chart}`;
  } else {
    dir = expectNonEmptyString(value, where, 'pass a relative folder such as "eib/edge-01"').replace(/\/+$/, '');
    const norm = normalize(dir).replace(/\\/g, '/');
    if (dir.length === 0 || dir.startsWith('/') || norm.startsWith('..') || norm !== dir || dir === '.') {
      fail(where, 'is not a plain relative folder', value, 'use a folder such as "eib/edge-01"');
    }
  }
  let dirs = dirsByApp.get(image.node.root);
  if (!dirs) dirsByApp.set(image.node.root, (dirs = new Map()));
  const taken = dirs.get(dir);
  if (taken) {
    fail(where, `is also the folder of [${taken.node.path}]`, dir, 'give each image its own dir');
  }
  dirs.set(dir, image);
  return dir;
}

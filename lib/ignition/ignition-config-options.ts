import type { At } from '../private/errors';

/** A user or group: a name (`'root'`) or a numeric id (`0`). */
export type IgnitionOwner = string | number;

/** A file written by Ignition at first boot. */
export interface IgnitionFileOptions {
  /** Absolute path of the file on the node, for example `/etc/sysctl.d/90-telco.conf`. */
  readonly path: string;
  /**
   * Contents: text (written as UTF-8) or bytes. Embedded as a `data:` URL in Ignition JSON,
   * gzip-compressed when that is shorter; text stays `inline` in Butane.
   * @default - an empty file
   */
  readonly contents?: string | Uint8Array;
  /**
   * Permission bits, as an octal number literal (`0o644`).
   * @default 0o644
   */
  readonly mode?: number;
  /**
   * Owner of the file, by name or numeric id.
   * @default - unset: Ignition's default, root
   */
  readonly user?: IgnitionOwner;
  /**
   * Group of the file, by name or numeric id.
   * @default - unset: Ignition's default, root
   */
  readonly group?: IgnitionOwner;
  /**
   * Replace a file that already exists at the path (Ignition fails on an existing file otherwise).
   * @default true
   */
  readonly overwrite?: boolean;
}

/** A directory created by Ignition at first boot (parents of files are created without one). */
export interface IgnitionDirectoryOptions {
  /** Absolute path of the directory on the node. */
  readonly path: string;
  /**
   * Permission bits, as an octal number literal.
   * @default 0o755
   */
  readonly mode?: number;
  /**
   * Owner of the directory, by name or numeric id.
   * @default - unset: Ignition's default, root
   */
  readonly user?: IgnitionOwner;
  /**
   * Group of the directory, by name or numeric id.
   * @default - unset: Ignition's default, root
   */
  readonly group?: IgnitionOwner;
  /**
   * Delete whatever exists at the path first (for a directory: with its contents).
   * @default false
   */
  readonly overwrite?: boolean;
}

/** A symbolic (or hard) link created by Ignition at first boot. */
export interface IgnitionLinkOptions {
  /** Absolute path of the link on the node. */
  readonly path: string;
  /** What the link points to: a path, absolute or relative to the link's folder. */
  readonly target: string;
  /**
   * Create a hard link instead of a symbolic link (the target must then be absolute).
   * @default false
   */
  readonly hard?: boolean;
  /**
   * Owner of the link, by name or numeric id.
   * @default - unset: Ignition's default, root
   */
  readonly user?: IgnitionOwner;
  /**
   * Group of the link, by name or numeric id.
   * @default - unset: Ignition's default, root
   */
  readonly group?: IgnitionOwner;
  /**
   * Replace what exists at the path.
   * @default true
   */
  readonly overwrite?: boolean;
}

/** A drop-in that amends a systemd unit. */
export interface IgnitionDropin {
  /** File name of the drop-in, ending in `.conf`. */
  readonly name: string;
  /** Text of the drop-in. */
  readonly contents: string;
}

/** A systemd unit written (and optionally enabled) by Ignition at first boot. */
export interface IgnitionUnitOptions {
  /** Unit name with its type suffix, for example `rke2-preinstall.service` or `kvc@simple-kmod.service`. */
  readonly name: string;
  /**
   * Text of the unit file.
   * @default - no unit file (only drop-ins, or enabling a unit the image ships)
   */
  readonly contents?: string;
  /**
   * Enable the unit (its `[Install]` section) at first boot.
   * @default true when contents has an [Install] section, else unset
   */
  readonly enabled?: boolean;
  /**
   * Mask the unit.
   * @default false
   */
  readonly mask?: boolean;
  /**
   * Drop-ins amending the unit.
   * @default - none
   */
  readonly dropins?: IgnitionDropin[];
}

/** A user created (or amended, for an existing user such as `core`) by Ignition. */
export interface IgnitionUserOptions {
  /** Login name, for example `core`. */
  readonly name: string;
  /**
   * Public SSH keys added to the user's `authorized_keys`, one key per entry.
   * @default - none
   */
  readonly sshAuthorizedKeys?: string[];
  /**
   * Password as a crypt(3) hash (`mkpasswd --method=yescrypt`), never the password itself.
   * @default - no password: the user logs in with SSH keys only
   */
  readonly passwordHash?: string;
  /**
   * Supplementary groups, for example `['wheel']`.
   * @default - none
   */
  readonly groups?: string[];
  /**
   * Numeric user id of a new user.
   * @default - the next free id
   */
  readonly uid?: number;
  /**
   * Home directory of a new user.
   * @default - `/home/<name>`
   */
  readonly homeDir?: string;
  /**
   * Login shell of a new user.
   * @default - the system's default shell
   */
  readonly shell?: string;
}

/** Kernel arguments Ignition ensures (spec 3.3.0 and later). */
export interface IgnitionKernelArguments {
  /** Arguments (or space-separated groups of arguments kept in order) that must be present. */
  readonly shouldExist: readonly string[];
  /** Arguments that must be absent. */
  readonly shouldNotExist: readonly string[];
}

/** Props of {@link IgnitionConfig}. */
export interface IgnitionConfigProps {
  /**
   * Where this config is used, for error messages: the construct path and the prop that holds it.
   * @default - `IgnitionConfig`, prop `config`
   */
  readonly where?: At;
}

/** The Butane fcos versions {@link IgnitionConfig.toButane} writes. */
export type ButaneFcosVersion = '1.4.0' | '1.5.0';

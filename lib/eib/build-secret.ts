import { At, expectString, fail, redacted } from '../private/errors';

/** What a {@link BuildSecret} holds, so the build step can check the value before using it. */
export type BuildSecretKind = 'password-hash' | 'text';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const WHERE: At = { path: 'BuildSecret.fromEnv', prop: 'name' };

/**
 * A secret of an image build — a password hash, a registration code — that never enters the
 * synthesized files or git. The files hold the placeholder `${NAME}`; the image build pipeline
 * fills it in from an environment variable of the same name (taken from its secret store) when
 * it runs the `prepare-build.sh` that {@link EdgeImageDefinition} writes next to the definition.
 *
 * ```ts
 * users: [{ username: 'root', encryptedPassword: BuildSecret.fromEnv('ROOT_PASSWORD_HASH') }],
 * sccRegistrationCode: BuildSecret.fromEnv('SCC_REGISTRATION_CODE'),
 * ```
 *
 * The pipeline then runs, for example,
 * `ROOT_PASSWORD_HASH="$(openssl passwd -6 "$ROOT_PASSWORD")" SCC_REGISTRATION_CODE=… bash prepare-build.sh`.
 */
export class BuildSecret {
  /**
   * A value read from the environment variable `name` at build time.
   *
   * @param name environment variable name: letters, digits and `_`, not starting with a digit,
   * for example `ROOT_PASSWORD_HASH`
   */
  public static fromEnv(name: string): BuildSecret {
    const text = expectString(name, WHERE, 'pass an environment variable name such as "ROOT_PASSWORD_HASH"');
    if (!NAME.test(text)) {
      fail(
        WHERE,
        'is not an environment variable name',
        text,
        'use letters, digits and "_", not starting with a digit, such as "ROOT_PASSWORD_HASH"',
      );
    }
    return new BuildSecret(text);
  }

  /** Name of the environment variable that holds the value at build time. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /** The text written in place of the value: `${NAME}`. */
  public get placeholder(): string {
    return `\${${this.name}}`;
  }

  /** The placeholder, so a secret is never turned into its value by accident. */
  public toString(): string {
    return this.placeholder;
  }
}

/**
 * Checks that `value` is a {@link BuildSecret}, when given. A literal string is refused, and never
 * shown in the message, because it is probably the secret itself.
 */
export function expectOptionalBuildSecret(value: unknown, where: At, example: string): BuildSecret | undefined {
  if (value === undefined || value instanceof BuildSecret) return value;
  fail(
    where,
    typeof value === 'string' ? 'is a literal value, which would be written into git' : 'must be a BuildSecret',
    redacted(),
    `pass BuildSecret.fromEnv('${example}') and let the build pipeline set ${example} from its secret store`,
  );
}

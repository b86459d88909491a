/** A platform of a manifest list, as OCI's image index describes one. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  /** @default - any variant */
  readonly variant?: string;
}

/** `os/arch[/variant]`, as importPolicy.preferredPlatform and `--platform` take it (also the CRD's pattern). */
export const PLATFORM_PATTERN = '^[a-z0-9]+/[a-z0-9]+(/[a-z0-9]+)?$';
const PLATFORM_RE = new RegExp(PLATFORM_PATTERN);

export const isPlatform = (text: string): boolean => PLATFORM_RE.test(text);

/** Parses `os/arch[/variant]`; throws an Error saying what is wrong. */
export function parsePlatform(text: string): Platform {
  if (!isPlatform(text)) throw new Error(`platform '${text}' must look like os/arch or os/arch/variant, e.g. linux/arm64`);
  const [os, architecture, variant] = text.split('/');
  return variant ? { os, architecture, variant } : { os, architecture };
}

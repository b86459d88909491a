import type { Platform } from '../registry/manifest';

const PLATFORM_RE = /^([a-z0-9]+)\/([a-z0-9]+)(?:\/([a-z0-9]+))?$/;

/** `os/arch[/variant]` (importPolicy.preferredPlatform, `--platform`) as the registry client wants it. */
export function parsePlatform(text: string): Platform {
  const match = PLATFORM_RE.exec(text);
  if (!match) throw new Error(`platform '${text}' must look like os/arch or os/arch/variant, e.g. linux/arm64`);
  const [, os, architecture, variant] = match;
  return variant ? { os, architecture, variant } : { os, architecture };
}

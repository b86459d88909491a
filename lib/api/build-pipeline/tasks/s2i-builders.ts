/**
 * Default S2I builder per detected language: Red Hat's UBI 9 builders, which keep their scripts
 * in /usr/libexec/s2i and build as uid 1001. Tags follow the images' major version line ('1'),
 * as OpenShift's own samples do; pass BUILDER_IMAGES or BUILDER_IMAGE to pin digests.
 */
export const DEFAULT_S2I_BUILDERS: Readonly<Record<string, string>> = Object.freeze({
  dotnet: 'registry.access.redhat.com/ubi9/dotnet-80:1',
  go: 'registry.access.redhat.com/ubi9/go-toolset:1',
  java: 'registry.access.redhat.com/ubi9/openjdk-17:1',
  nodejs: 'registry.access.redhat.com/ubi9/nodejs-20:1',
  php: 'registry.access.redhat.com/ubi9/php-82:1',
  python: 'registry.access.redhat.com/ubi9/python-311:1',
  ruby: 'registry.access.redhat.com/ubi9/ruby-33:1',
});

/** The `language=image` items of the BUILDER_IMAGES array param, sorted for stable output. */
export function builderImagesParam(builders: Readonly<Record<string, string>>): string[] {
  return Object.keys(builders)
    .sort()
    .map((language) => `${language}=${builders[language]}`);
}

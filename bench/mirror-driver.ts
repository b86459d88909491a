/**
 * What the mirror bench drives, loaded by tsx: the registry fixture (the real CNCF registry) and the
 * image generator (random layers pushed over the distribution API, nothing downloaded).
 */
export { startRegistry } from '../test/support/registry/registry';
export { pushRandomImage } from '../test/support/registry/random-image';

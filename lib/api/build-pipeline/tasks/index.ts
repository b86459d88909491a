export * from './images';
export * from './buildah-security';
export * from './git-fetch';
export * from './buildah-build';
export * from './s2i-builders';
export * from './s2i-generate';
export * from './inline-dockerfile';
export * from './buildpacks';

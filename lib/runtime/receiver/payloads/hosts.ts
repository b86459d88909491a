/** GitHub Container Registry's host, which its webhook payloads may leave implicit. */
export const GHCR_HOST = 'ghcr.io';

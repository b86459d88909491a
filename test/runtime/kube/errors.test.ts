import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  GoneError,
  InvalidError,
  KubeApiError,
  NotFoundError,
  statusToError,
  toKubeApiError,
  TooManyRequestsError,
} from '../../../lib/runtime/kube/errors';

const status = (code: number, reason: string, message: string, details?: object) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, details });

describe('toKubeApiError', () => {
  it('maps 404 to NotFoundError and names the request in the message', () => {
    // GIVEN a NotFound Status WHEN mapped
    const error = toKubeApiError(404, status(404, 'NotFound', 'imagestreams.imagestreams.dev "jdk8" not found'), 'GET /apis/x');
    // THEN
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('GET /apis/x: 404 NotFound: imagestreams.imagestreams.dev "jdk8" not found');
    expect(error.statusCode).toBe(404);
    expect(error.reason).toBe('NotFound');
    expect(error.status.message).toBe('imagestreams.imagestreams.dev "jdk8" not found');
    expect(error.name).toBe('NotFoundError');
  });

  it('tells AlreadyExists from a stale resourceVersion among 409s', () => {
    const exists = toKubeApiError(409, status(409, 'AlreadyExists', 'exists'), 'POST /x');
    const stale = toKubeApiError(409, status(409, 'Conflict', 'the object has been modified'), 'PUT /x');
    expect(exists).toBeInstanceOf(ConflictError);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((exists as ConflictError).alreadyExists).toBe(true);
    expect((stale as ConflictError).alreadyExists).toBe(false);
  });

  it('maps 410 to GoneError', () => {
    expect(toKubeApiError(410, status(410, 'Expired', 'too old resource version'), 'GET /x')).toBeInstanceOf(GoneError);
  });

  it('gives the causes of a 422', () => {
    const causes = [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.tags[0].name' }];
    const error = toKubeApiError(422, status(422, 'Invalid', 'invalid', { causes }), 'POST /x');
    expect(error).toBeInstanceOf(InvalidError);
    expect((error as InvalidError).causes).toEqual(causes);
  });

  it('reads retryAfterSeconds of a 429 from the Retry-After header first', () => {
    const body = status(429, 'TooManyRequests', 'slow down', { retryAfterSeconds: 3 });
    const fromHeader = toKubeApiError(429, body, 'GET /x', '7') as TooManyRequestsError;
    const fromBody = toKubeApiError(429, body, 'GET /x') as TooManyRequestsError;
    expect(fromHeader).toBeInstanceOf(TooManyRequestsError);
    expect(fromHeader.retryAfterSeconds).toBe(7);
    expect(fromBody.retryAfterSeconds).toBe(3);
  });

  it('makes a Status up when the body is not one (a proxy page)', () => {
    const error = toKubeApiError(502, '<html>Bad Gateway</html>', 'GET /x');
    expect(error.constructor).toBe(KubeApiError);
    expect(error.message).toBe('GET /x: 502 Unknown: <html>Bad Gateway</html>');
  });
});

describe('statusToError', () => {
  it('maps the Status of a watch ERROR event by its code', () => {
    const error = statusToError({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 5 (9)' }, 'watch /x');
    expect(error).toBeInstanceOf(GoneError);
    expect(error.message).toBe('watch /x: 410 Expired: too old resource version: 5 (9)');
  });
});

/** The `Status` object the API server returns with a failed request. */
export interface KubeStatus {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly status?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly causes?: readonly StatusCause[];
    readonly retryAfterSeconds?: number;
  };
}

export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/** Any non-2xx answer from the API server. `message` names the request so logs say what failed. */
export class KubeApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly status: KubeStatus,
    readonly request: string,
  ) {
    super(`${request}: ${statusCode} ${status.reason ?? 'Unknown'}: ${status.message ?? 'no message'}`);
    this.name = new.target.name;
  }

  get reason(): string | undefined {
    return this.status.reason;
  }
}

export class NotFoundError extends KubeApiError {}

/** 409: either the object already exists (create) or its resourceVersion is stale (update). */
export class ConflictError extends KubeApiError {
  get alreadyExists(): boolean {
    return this.status.reason === 'AlreadyExists';
  }
}

/** 410: the requested resourceVersion (watch) or continue token (list) is too old: relist. */
export class GoneError extends KubeApiError {}

/** 422: the object failed validation; `causes` lists each field at fault. */
export class InvalidError extends KubeApiError {
  get causes(): readonly StatusCause[] {
    return this.status.details?.causes ?? [];
  }
}

export class TooManyRequestsError extends KubeApiError {
  constructor(statusCode: number, status: KubeStatus, request: string, readonly retryAfterSeconds: number | undefined) {
    super(statusCode, status, request);
  }
}

/**
 * Maps a failed answer to its error class. `body` may be a Status or anything else (a proxy's HTML),
 * in which case a Status is made up from the HTTP code.
 */
export function toKubeApiError(
  statusCode: number,
  body: string,
  request: string,
  retryAfterHeader?: string,
): KubeApiError {
  const status = parseStatus(statusCode, body);
  switch (statusCode) {
    case 404:
      return new NotFoundError(statusCode, status, request);
    case 409:
      return new ConflictError(statusCode, status, request);
    case 410:
      return new GoneError(statusCode, status, request);
    case 422:
      return new InvalidError(statusCode, status, request);
    case 429:
      return new TooManyRequestsError(statusCode, status, request, retryAfterSeconds(retryAfterHeader, status));
    default:
      return new KubeApiError(statusCode, status, request);
  }
}

/** Maps a Status carried by a watch ERROR event (HTTP 200 on the wire) to its error class. */
export function statusToError(status: KubeStatus, request: string): KubeApiError {
  return toKubeApiError(status.code ?? 500, JSON.stringify(status), request);
}

function parseStatus(statusCode: number, body: string): KubeStatus {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && (parsed as KubeStatus).kind === 'Status') {
      return parsed as KubeStatus;
    }
  } catch {
    // not JSON: fall through
  }
  const text = body.trim().slice(0, 200);
  return { kind: 'Status', status: 'Failure', code: statusCode, message: text || undefined };
}

function retryAfterSeconds(header: string | undefined, status: KubeStatus): number | undefined {
  const seconds = header === undefined ? NaN : Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  return status.details?.retryAfterSeconds;
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyDefaults, prune, validate } from './schema';
import { IMAGE_STREAM_SCHEMA, IS, imageStream, startTestServer, TestClient, withCrd } from './testing';
import { JsonObject } from './types';

describe('prune', () => {
  it('drops undeclared fields and reports their paths, keeping preserve-unknown-fields subtrees', () => {
    const obj: JsonObject = { apiVersion: 'x/v1', kind: 'K', metadata: { name: 'n' }, spec: { historyLimit: 1, bogus: 1, tags: [{ name: 'a', junk: 2 }], extra: { anything: 1 } }, top: 1 };
    const dropped = prune(obj, IMAGE_STREAM_SCHEMA, true);
    expect(dropped).toEqual(['spec.bogus', 'spec.tags[0].junk', 'top']);
    expect(obj).toEqual({ apiVersion: 'x/v1', kind: 'K', metadata: { name: 'n' }, spec: { historyLimit: 1, tags: [{ name: 'a' }], extra: { anything: 1 } } });
  });
});

describe('applyDefaults', () => {
  it('fills absent properties, also inside list items, but not absent parents', () => {
    const obj: JsonObject = { spec: { tags: [{ name: 'a' }] } };
    applyDefaults(obj, IMAGE_STREAM_SCHEMA);
    expect(obj).toEqual({ spec: { historyLimit: 10, tags: [{ name: 'a', insecure: false }] } });
  });

  it('replaces a null of a non-nullable field by its default', () => {
    const obj: JsonObject = { spec: { historyLimit: null } };
    applyDefaults(obj, IMAGE_STREAM_SCHEMA);
    expect(obj).toEqual({ spec: { historyLimit: 10 } });
  });
});

describe('validate', () => {
  it('words type errors as kube does', () => {
    expect(validate({ spec: { historyLimit: 'many' } }, IMAGE_STREAM_SCHEMA)).toEqual([
      { field: 'spec.historyLimit', reason: 'FieldValueInvalid', detail: 'Invalid value: "string": spec.historyLimit in body must be of type integer: "string"' },
    ]);
  });

  it('reports required and enum errors', () => {
    expect(validate({ spec: { mode: 'Other', tags: [{}] } }, IMAGE_STREAM_SCHEMA)).toEqual([
      { field: 'spec.mode', reason: 'FieldValueNotSupported', detail: 'Unsupported value: "Other": supported values: "Legacy", "PreserveOriginal"' },
      { field: 'spec.tags[0].name', reason: 'FieldValueRequired', detail: 'Required value' },
    ]);
  });
});

describe('custom resources over HTTP', () => {
  let c: TestClient;
  beforeEach(async () => {
    c = await startTestServer();
    await withCrd(c);
  });
  afterEach(async () => {
    await c.server.close();
  });

  it('answers 422 Invalid with a Status listing the causes', async () => {
    const r = await c.post(IS, imageStream('s', { historyLimit: 'many', tags: [{}] }));
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'ImageStream.imagestreams.dev "s" is invalid: [spec.historyLimit: Invalid value: "string": spec.historyLimit in body must be of type integer: "string", spec.tags[0].name: Required value]',
      reason: 'Invalid',
      details: {
        name: 's',
        group: 'imagestreams.dev',
        kind: 'ImageStream',
        causes: [
          { reason: 'FieldValueInvalid', message: 'Invalid value: "string": spec.historyLimit in body must be of type integer: "string"', field: 'spec.historyLimit' },
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.tags[0].name' },
        ],
      },
      code: 422,
    });
  });

  it('applies defaults and prunes unknown fields on create', async () => {
    const r = await c.post(IS, imageStream('s', { bogus: true, tags: [{ name: 'latest' }] }));
    expect(r.body.spec).toEqual({ historyLimit: 10, tags: [{ name: 'latest', insecure: false }] });
  });

  it('rejects unknown fields with fieldValidation=Strict (400), as strict decoding does', async () => {
    const r = await c.post(`${IS}?fieldValidation=Strict`, imageStream('s', { bogus: true }));
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('ImageStream in version "v1alpha1" cannot be handled as a ImageStream: strict decoding error: unknown field "spec.bogus"');
  });

  it('validates patches too', async () => {
    await c.post(IS, imageStream('s'));
    const r = await c.patch(`${IS}/s`, { spec: { historyLimit: 0 } }, 'application/merge-patch+json');
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe('spec.historyLimit');
  });
});

import { Ajv, type ErrorObject, type Options } from 'ajv';
import type { FieldError } from '../core/shared/errors.ts';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = { removeAdditional: true, useDefaults: true, allErrors: true, strict: false };

function makeAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ ...common, coerceTypes });
  addFormats.default(ajv);
  return ajv;
}

/**
 * Bodies are validated strictly: `"10"` is not the number 10 on a balance path (D1). Query strings, params and
 * headers arrive as text, so there scalars are coerced.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv(false);
  const coercing = makeAjv('array');
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}

/**
 * Validation errors as the API reports them: a JSON Pointer under `prefix` per offending field, naming the missing
 * or unexpected property itself rather than its parent.
 */
export function fieldErrors(errors: Partial<ErrorObject>[], prefix: string): FieldError[] {
  return errors.map((e) => {
    const params = e.params as { missingProperty?: string; additionalProperty?: string } | undefined;
    const leaf = params?.missingProperty ?? params?.additionalProperty;
    const path = `${prefix}${e.instancePath ?? ''}${leaf ? `/${leaf}` : ''}`;
    return { field: path || '/', message: e.message ?? 'is invalid' };
  });
}

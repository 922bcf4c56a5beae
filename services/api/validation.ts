import { Ajv, type ErrorObject, type KeywordDefinition, type Options, type SchemaValidateFunction } from 'ajv';
import type { FieldError } from '../core/shared/errors.ts';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = { removeAdditional: true, useDefaults: true, allErrors: true, strict: false };

function makeAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ ...common, coerceTypes });
  addFormats.default(ajv);
  ajv.addKeyword(decimalsKeyword());
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

/** Digits after the point in the shortest decimal form of `value` (`1.15` → 2, `1e-7` → 7, `100` → 0). */
export function fractionDigits(value: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(value)).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

/** `x-decimals: n` (schemas.ts: Decimal): at most n digits after the point, exactly. */
function decimalsKeyword(): KeywordDefinition {
  const validate: SchemaValidateFunction = (places: number, value: number) => {
    if (fractionDigits(value) <= places) return true;
    validate.errors = [{ keyword: 'x-decimals', message: `must have at most ${places} decimal places`, params: { places } }];
    return false;
  };
  return { keyword: 'x-decimals', type: 'number', schemaType: 'number', errors: true, validate };
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

import { Ajv, type ErrorObject, type KeywordDefinition, type Options, type SchemaValidateFunction } from 'ajv';
import type { FieldError } from '../core/common/errors.ts';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { Clock } from '../core/common/clock.ts';
import { birthdayProblem, isCalendarDay } from '../core/members/member-rules.ts';
import { ID_PATTERN } from './schemas.ts';

const common: Options = { useDefaults: true, allErrors: true, strict: false };

export interface ValidatorOptions {
  /** `now` for the checks that need one (a birthday is not in the future). */
  clock: Clock;
  /**
   * `refuse` (the default): a body field the schema does not name is a validation error, so a misspelt setting is
   * not taken for saved. `keep`: storefront events, which carry more than Lojal reads.
   */
  unknownFields?: 'refuse' | 'keep';
}

function makeAjv(coerceTypes: Options['coerceTypes'], clock: Clock): Ajv {
  const ajv = new Ajv({ ...common, coerceTypes });
  addFormats.default(ajv);
  ajv.addKeyword(decimalsKeyword());
  ajv.addKeyword(birthdayKeyword(clock));
  return ajv;
}

/**
 * Bodies are validated strictly: `"10"` is not the number 10 on a balance path (D1), and (unless `keep`) an
 * object takes only the properties its schema names. Query strings, params and headers arrive as text, so there
 * scalars are coerced, and a parameter nobody reads is let be.
 */
export function createValidatorCompiler({ clock, unknownFields = 'refuse' }: ValidatorOptions): FastifySchemaCompiler<unknown> {
  const strict = makeAjv(false, clock);
  const coercing = makeAjv('array', clock);
  return ({ schema, httpPart }) =>
    httpPart === 'body'
      ? strict.compile((unknownFields === 'refuse' ? closed(schema) : schema) as object)
      : coercing.compile(schema as object);
}

/**
 * A copy of a schema in which every object that names its properties refuses others (`additionalProperties:
 * false`), unless it says what to do with them itself. Only schema positions are visited: a `default` or an
 * `examples` value is data and stays as it is.
 */
export function closed(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = { ...source };
  for (const key of ['items', 'not', 'if', 'then', 'else', 'additionalProperties'] as const) {
    if (key in source) out[key] = closed(source[key]);
  }
  // Not `allOf`: closing each part of an intersection would refuse what the other parts name.
  for (const key of ['anyOf', 'oneOf', 'prefixItems'] as const) {
    if (Array.isArray(source[key])) out[key] = (source[key] as unknown[]).map(closed);
  }
  for (const key of ['properties', 'patternProperties'] as const) {
    const map = source[key] as Record<string, unknown> | undefined;
    if (map) out[key] = Object.fromEntries(Object.entries(map).map(([name, s]) => [name, closed(s)]));
  }
  if (source.properties && source.additionalProperties === undefined && source.patternProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
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

/** `x-birthday` (schemas.ts: Birthday): a day PostgreSQL can store and a person can have been born on. */
function birthdayKeyword(clock: Clock): KeywordDefinition {
  const validate: SchemaValidateFunction = (enabled: boolean, value: string) => {
    // A day that does not exist is `format: date`'s to report; this keyword adds the range.
    const problem = enabled && isCalendarDay(value) ? birthdayProblem(value, clock.now()) : null;
    if (problem === null) return true;
    validate.errors = [{ keyword: 'x-birthday', message: problem, params: {} }];
    return false;
  };
  return { keyword: 'x-birthday', type: 'string', schemaType: 'boolean', errors: true, validate };
}

function messageOf(e: Partial<ErrorObject>): string {
  if (e.keyword === 'pattern' && (e.params as { pattern?: string } | undefined)?.pattern === ID_PATTERN) {
    return 'must not be blank or hold control characters';
  }
  return e.message ?? 'is invalid';
}

/**
 * Validation errors as the API reports them: a JSON Pointer under `prefix` per offending field, naming the missing
 * or unexpected property itself rather than its parent.
 */
export function fieldErrors(errors: Partial<ErrorObject>[], prefix: string): FieldError[] {
  return errors.map((e) => {
    const params = e.params as { missingProperty?: string; additionalProperty?: string } | undefined;
    const leaf = params?.missingProperty ?? params?.additionalProperty;
    const message = params?.additionalProperty ? 'is not a field of this request' : messageOf(e);
    const path = `${prefix}${e.instancePath ?? ''}${leaf ? `/${leaf.replaceAll('~', '~0').replaceAll('/', '~1')}` : ''}`;
    return { field: path || '/', message };
  });
}

import { readFile } from 'node:fs/promises';
import SwaggerParser from '@apidevtools/swagger-parser';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateOpenApiYaml } from '../../scripts/openapi-lib.ts';

const committedPath = new URL('../../openapi.yaml', import.meta.url);

describe('openapi.yaml, generated from the route schemas', () => {
  it('is exactly what the server generates from its route schemas', async () => {
    const committed = await readFile(committedPath, 'utf8');
    const generated = await generateOpenApiYaml();
    // On failure: run `npm run openapi` and commit openapi.yaml with the route change.
    expect(committed).toBe(generated);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const document = parse(await readFile(committedPath, 'utf8'));
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();
    expect(document.openapi).toBe('3.1.0');
  });

  it('describes every error as problem+json and every operation with a summary', async () => {
    const document = parse(await readFile(committedPath, 'utf8'));
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        expect(operation.summary, `${method} ${path} summary`).toBeTruthy();
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          // /readyz answers 503 with its own status document, by design, for load balancers.
          if (Number(status) >= 400 && path !== '/readyz') {
            expect(Object.keys(response.content), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
          }
        }
      }
    }
  });
});

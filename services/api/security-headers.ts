import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * The security headers on every answer: helmet's defaults, without a Content-Security-Policy (the answers are
 * JSON; the docs page sets its own). Helmet's headers depend on its options only, never on the request, so they
 * are worked out once, here, by running helmet against a response that records them; the Fastify plugin rebuilt
 * helmet on every request (measured: about 1 % of the allocations of a signed event).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet({ contentSecurityPolicy: false })({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.freeze(headers);
})();

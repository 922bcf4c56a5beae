/**
 * D16: one HTTP attempt of an outbound webhook: a POST of the stored body, bounded by a timeout, redirects not
 * followed (a 3xx is a failure: the shop's URL is the one it set). Never throws; never keeps the response body.
 */

export const USER_AGENT = 'Lojal-Webhooks/1';
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export type SendResult = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

export async function sendWebhook({ url, body, headers, timeoutMs }: WebhookRequest): Promise<SendResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
      redirect: 'manual',
      signal: controller.signal,
    });
    // The body is not read: nothing of it is kept, and a receiver that streams forever must not hold the attempt.
    await response.body?.cancel().catch(() => undefined);
    const statusCode = response.status;
    if (statusCode >= 200 && statusCode < 300) return { ok: true, statusCode };
    const why = statusCode >= 300 && statusCode < 400 ? 'a redirect, not followed' : 'not 2xx';
    return { ok: false, statusCode, error: `the endpoint answered ${statusCode} (${why})` };
  } catch (error) {
    if (controller.signal.aborted) return { ok: false, statusCode: null, error: `no answer within ${timeoutMs} ms` };
    return { ok: false, statusCode: null, error: `the request failed: ${reasonOf(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** The network reason (ECONNREFUSED, ENOTFOUND, ...) without anything the receiver sent. */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message.slice(0, 120);
  return error instanceof Error ? error.message.slice(0, 120) : 'unknown error';
}

import type { FastifyRequest } from 'fastify';

/** Query parameters whose value is a secret whatever it looks like. */
const SECRET_NAMES = /token|secret|passw|passcode|api.?key|key$|^code$|signature|^sig$|auth|session|otp|cookie/i;
/** Values that look like a secret whatever they are called: a Cronfa token, or a long random-looking string. */
const SECRET_VALUES = /^cronfa_|^[A-Za-z0-9_\-+/=]{32,}$/;

/**
 * A request's URL as a log line may carry it: the path, and the query with every value that is, or looks like, a
 * secret replaced by `[redacted]` (a token pasted into a query string must not end up in the logs).
 */
export function redactedUrl(url: string): string {
  const at = url.indexOf('?');
  // A path segment can be a secret too: a sign-up link's.
  const path = (at < 0 ? url : url.slice(0, at))
    .split('/')
    .map((segment) => (SECRET_VALUES.test(segment) ? '[redacted]' : segment))
    .join('/');
  if (at < 0) return path;
  const params = new URLSearchParams(url.slice(at + 1));
  const kept = [...params].map(([name, value]) =>
    SECRET_NAMES.test(name) || SECRET_VALUES.test(value) ? [name, '[redacted]'] : [name, value],
  );
  return `${path}?${new URLSearchParams(kept).toString()}`;
}

/** What a log line says about a request: never its headers or body. */
export function requestSummary(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactedUrl(request.url),
    remoteAddress: request.ip,
  };
}

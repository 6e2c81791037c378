import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { type ProblemCode, problem } from '../problem-types';

/**
 * Errors Node's HTTP parser raises before Fastify has a request (headers too large, a request that never finished
 * arriving, bytes that are not HTTP), answered as problem+json like everything else, then the connection is closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = problemOfClientError(error.code);
  const body = JSON.stringify(answer);
  const status = answer.status;
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function problemOfClientError(code: string | undefined) {
  const [kind, detail]: [ProblemCode, string] =
    code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? ['request-timeout', 'The request did not arrive in time.']
      : code === 'HPE_HEADER_OVERFLOW'
        ? ['headers-too-large', 'The request headers are larger than the service accepts.']
        : ['malformed-request', 'The request is not valid HTTP.'];
  return problem(kind, detail);
}

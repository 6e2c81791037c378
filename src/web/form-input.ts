import type { FastifyRequest } from 'fastify';

/**
 * A text field of what a browser sent, by name: the value as sent, or '' when it is absent or not text (a repeated
 * field, a nested object from a hand-made request). Pages read their input through these, never by casting.
 */
export type Fields = (name: string) => string;

function fieldsFrom(source: unknown): Fields {
  return (name) => {
    if (typeof source !== 'object' || source === null) return '';
    // Own properties only: a field called `constructor` or `__proto__` is just absent.
    const value: unknown = Object.getOwnPropertyDescriptor(source, name)?.value;
    return typeof value === 'string' ? value : '';
  };
}

export const queryOf = (request: FastifyRequest): Fields => fieldsFrom(request.query);
export const bodyOf = (request: FastifyRequest): Fields => fieldsFrom(request.body);
export const paramsOf = (request: FastifyRequest): Fields => fieldsFrom(request.params);

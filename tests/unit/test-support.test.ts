import { describe, expect, it } from 'vitest';
import { PROBLEM_BASE } from '../../src/http/problem-types';
import { defined, first, only } from '../support/assert';
import { makeResponse } from '../support/harness';
import { ANY_PROBLEM_TYPE, InsufficientFunds, Problem, problemType } from '../support/problems';

/** The test support's own promises: what `json()` checks, how problem types are named, what the assertions refuse. */
const answer = (text: string, type = 'application/problem+json', status = 422) =>
  makeResponse('POST /v1/coops/x/receipts', {
    status,
    headers: { 'content-type': type },
    text,
    raw: Buffer.from(text),
  });

const shortOfFunds = {
  type: `${PROBLEM_BASE}insufficient-funds`,
  title: 'Insufficient funds',
  status: 422,
  detail: 'Not enough money: nothing was posted.',
  shortfalls: [{ memberId: 'm1', account: 'funds', available: '1.00', shortBy: '2.00' }],
};

describe('a response read as JSON', () => {
  it('gives the body as it came, typed or parsed by a schema that keeps what a problem adds', () => {
    const res = answer(JSON.stringify(shortOfFunds));
    expect(res.body).toEqual(shortOfFunds);
    expect(res.json<{ title: string }>().title).toBe('Insufficient funds');
    expect(res.json(Problem)).toEqual(shortOfFunds);
    expect(res.json(InsufficientFunds).shortfalls).toEqual(shortOfFunds.shortfalls);
  });

  it('refuses a body that does not fit the schema, naming the field and quoting the answer', () => {
    const res = answer(JSON.stringify({ ...shortOfFunds, detail: 7 }));
    expect(() => res.json(Problem)).toThrow(/detail[\s\S]*POST \/v1\/coops\/x\/receipts answered 422/);
    expect(() => answer(JSON.stringify({ ...shortOfFunds, shortfalls: [] })).json(InsufficientFunds)).not.toThrow();
    const extraField = { ...shortOfFunds, errors: [{ path: 'body.amount', message: 'x', hint: 'y' }] };
    expect(() => answer(JSON.stringify(extraField)).json(Problem)).toThrow(/hint/);
  });

  it('refuses to read JSON from an answer that is not JSON', () => {
    const res = answer('date,amount', 'text/csv', 200);
    expect(res.body).toBeUndefined();
    expect(() => res.json()).toThrow('expected a JSON body: POST /v1/coops/x/receipts answered 200 (text/csv)');
  });
});

describe('problem types', () => {
  it("are the service's base and the code", () => {
    expect(problemType('insufficient-funds')).toBe(`${PROBLEM_BASE}insufficient-funds`);
    expect(problemType('not-found')).toMatch(ANY_PROBLEM_TYPE);
    expect(`${PROBLEM_BASE}Not Found`).not.toMatch(ANY_PROBLEM_TYPE);
    expect('https://example.org/problems/not-found').not.toMatch(ANY_PROBLEM_TYPE);
  });
});

describe('assertions that narrow', () => {
  it('pass what is there and fail, saying what is missing, on what is not', () => {
    expect(defined(0)).toBe(0);
    expect(() => defined(undefined, 'the bank line')).toThrow('expected the bank line, got undefined');
    expect(() => defined(null)).toThrow('expected the value, got null');
    expect(only(['a'])).toBe('a');
    expect(() => only(['a', 'b'], 'match')).toThrow(/exactly one match/);
    expect(() => only([])).toThrow(/exactly one item/);
    expect(first(['a', 'b'])).toBe('a');
    expect(() => first([], 'entry')).toThrow(/at least one entry/);
  });
});

/** Assertion helper: a promise rejects with a QuiesceError of a given code. */
import { QuiesceError } from "@quiesce/core";
import { expect } from "vitest";

/** Awaits `promise`, asserts it rejected with a QuiesceError of `code`, and returns the error. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<QuiesceError> {
  let error: unknown;
  try {
    await promise;
  } catch (err) {
    error = err;
  }
  expect(error, `expected a rejection with ${code}`).toBeInstanceOf(QuiesceError);
  expect((error as QuiesceError).code).toBe(code);
  return error as QuiesceError;
}

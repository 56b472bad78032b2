/** What `fn` throws or rejects with; fails the test when it completes instead. */
export async function capture(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** Polls `check` until it stops throwing, or rethrows its last error after `timeoutMs` (no timed assertions). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 8000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

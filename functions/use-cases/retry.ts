/**
 * Runs a read-modify-write again when another writer changed the nomination in between (the
 * optimistic version check refused it); any other error, or the last refusal, is thrown.
 */
export async function retryOnVersionConflict<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || (error as { code?: string }).code !== 'VERSION_CONFLICT') throw error;
    }
  }
}

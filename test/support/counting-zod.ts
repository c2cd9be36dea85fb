/** The builders every schema of the project starts from. */
const COUNTED = [
  'object',
  'strictObject',
  'looseObject',
  'string',
  'int',
  'number',
  'enum',
  'array',
] as const;

/**
 * zod with its usual builders counting each schema built into `built.schemas`: for a `vi.mock('zod')`
 * factory in tests that count what an import builds (counted, not timed). Takes the original module
 * so it imports no zod of its own.
 */
export function countingZod<Z extends Record<(typeof COUNTED)[number], unknown>>(
  zod: Z,
  built: { schemas: number },
): Z {
  const counting = Object.fromEntries(
    COUNTED.map((name) => [
      name,
      (...args: unknown[]) => {
        built.schemas += 1;
        return (zod[name] as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  );
  return { ...zod, ...counting };
}

import type { OperationTally } from '../../scripts/bench/dynamo-counter.js';

/** A made-up operation's tally for the bench's report tests: requests, items written and write units. */
export const op = (
  requests: number,
  itemsWritten = 0,
  writeUnits = 0,
  indexWriteUnits = 0,
): OperationTally => ({
  requests,
  itemsWritten,
  itemsRead: 0,
  readUnits: 0,
  writeUnits,
  indexWriteUnits,
  refused: 0,
});

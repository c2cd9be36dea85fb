import { describe, expect, it } from 'vitest';
import {
  aboveFloorByCaller,
  floorOf,
  shortRoute,
  tallyByCaller,
  tasksIn,
  writeUnitParts,
} from '../../scripts/bench/bounds.js';
import type { Tally } from '../../scripts/bench/dynamo-counter.js';
import { callerSection, type Figures, sumTallies } from '../../scripts/bench/report.js';
import { taskStatesOf, taskStatesOfMachine } from '../../scripts/bench/tasks.js';
import { op } from '../support/bench-tally.js';

/** What bounds the bench's store figures: the floor counted from the round, and the rest by caller. */

/** A function's ARN as the ASL names it before substitution (infra/state-machines.ts). */
const substituted = (pascal: string) => `\${${pascal}FunctionArn}`;

describe("the bench's store floor and what is above it", () => {
  it("reads the waiting steps from the nomination machine's ASL: the Task states that wait for a token, and their function", () => {
    const waiting = taskStatesOfMachine('nomination').filter((t) => t.waitsForToken);
    expect(waiting.map((t) => t.state)).toEqual([
      'AwaitScreening',
      'AwaitResubmission',
      'AwaitReviews',
      'AwaitSelection',
      'AwaitPublicity',
    ]);
    expect(new Set(waiting.map((t) => t.functionName))).toEqual(new Set(['await-step']));
    expect(taskStatesOfMachine('campaign-job').map((t) => t.functionName)).toContain('campaign-job');
    // States inside a Parallel's branches and a Map's processor count too.
    expect(
      taskStatesOf('m', {
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              {
                States: {
                  Wait: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                    Parameters: { FunctionName: substituted('AwaitStep') },
                  },
                },
              },
            ],
          },
          Each: {
            Type: 'Map',
            ItemProcessor: {
              States: {
                Do: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Parameters: { FunctionName: substituted('PipelineStep') },
                },
              },
            },
          },
        },
      }),
    ).toEqual([
      { machine: 'm', state: 'Wait', functionName: 'await-step', waitsForToken: true },
      { machine: 'm', state: 'Do', functionName: 'pipeline-step', waitsForToken: false },
    ]);
  });

  it('counts one write for each decision, token stored and job task, one read for each page, each by its caller', () => {
    const floor = floorOf({
      stages: [
        {
          routes: {
            'POST /api/nominations': 3,
            'GET /api/review': 6,
            'POST /api/review': 3,
            // A sign-in and a presigned upload's signature decide nothing; an S3 POST and a job followed to its end are no API request.
            'POST /api/sessions': 2,
            'POST /api/nominations/{id}/uploads': 4,
            'S3 presigned POST': 4,
            'POST /api/campaigns/{campaignId}/release until its job is done': 1,
          },
          callers: {},
        },
        { routes: { 'POST /api/campaigns/{campaignId}/release': 1 }, callers: {} },
      ],
      seededRecords: 5,
      taskStates: [
        ...taskStatesOfMachine('nomination'),
        { machine: 'campaign-job', state: 'ApplyChunk', functionName: 'campaign-job', waitsForToken: false },
      ],
      nominationTasks: new Map([
        ['AwaitScreening', 3],
        ['AwaitReviews', 3],
        ['AssignExperts', 3],
      ]),
      jobTasks: new Map([['ApplyChunk', 2]]),
    });
    expect(floor.decisions).toEqual([
      { what: 'files recorded by the benchmark', caller: 'bench seeding', count: 5 },
      { what: 'POST /api/nominations', caller: 'nominations', count: 3 },
      { what: 'POST /api/review', caller: 'reviews', count: 3 },
      { what: 'POST /api/campaigns/{campaignId}/release', caller: 'campaign-steps', count: 1 },
    ]);
    expect(floor.waiting.map((p) => [p.what, p.caller, p.count])).toEqual([
      ['AwaitScreening', 'await-step', 3],
      ['AwaitReviews', 'await-step', 3],
    ]);
    expect(floor.jobTasks).toEqual([{ what: 'ApplyChunk', caller: 'campaign-job', count: 2 }]);
    expect(floor.pages).toEqual([{ what: 'GET /api/review', caller: 'reviews', count: 6 }]);
    expect({ writes: floor.writes, reads: floor.reads }).toEqual({ writes: 20, reads: 6 });
    expect(Object.fromEntries(floor.byCaller)).toEqual({
      'bench seeding': { writes: 5, reads: 0 },
      nominations: { writes: 3, reads: 0 },
      reviews: { writes: 3, reads: 6 },
      'campaign-steps': { writes: 1, reads: 0 },
      'await-step': { writes: 6, reads: 0 },
      'campaign-job': { writes: 2, reads: 0 },
    });

    // Each caller's figures over the stages against its share; a caller without one is all above it.
    const byCaller = tallyByCaller([
      { callers: { reviews: { GetItem: op(10), TransactWriteItems: op(3, 6, 12) } } },
      { callers: { reviews: { GetItem: op(2) }, 'pipeline-step': { PutItem: op(4, 4, 4) } } },
    ]);
    expect(aboveFloorByCaller(byCaller, floor).find((a) => a.caller === 'reviews')).toEqual({
      caller: 'reviews',
      requests: 15 - 9,
      writes: 0,
      writeUnits: 12 - 3,
    });
    expect(aboveFloorByCaller(byCaller, floor).find((a) => a.caller === 'pipeline-step')).toEqual({
      caller: 'pipeline-step',
      requests: 4,
      writes: 4,
      writeUnits: 4,
    });
    // A caller with a share and no requests is below its floor, said as a negative.
    expect(aboveFloorByCaller(byCaller, floor).find((a) => a.caller === 'nominations')?.writes).toBe(-3);
  });

  it('takes write units apart into parts that sum to them: requests, more items, size, indexes, doubling', () => {
    const tally: Tally = {
      // 10 puts of 2.5 KB (3 units each) in an index (1 more each).
      PutItem: op(10, 10, 40, 10),
      // 5 transactions of 2 items of 1 KB, each in one index: AWS's 2 × (2 + 2) units each.
      TransactWriteItems: op(5, 10, 40, 20),
    };
    const parts = writeUnitParts(tally);
    expect(parts).toEqual({
      total: 80,
      writeRequests: 15,
      itemsWritten: 20,
      moreItems: 5,
      overOneKb: 20,
      indexes: 20,
      doubling: 20,
    });
    expect(parts.writeRequests + parts.moreItems + parts.overOneKb + parts.indexes + parts.doubling).toBe(
      parts.total,
    );
  });

  it("names a route by its method and last word, and finds a stage's tasks by when their Lambda started", () => {
    expect(shortRoute('POST /api/nominations/{id}/submit')).toBe('POST submit');
    expect(shortRoute('PUT /api/campaigns/{campaignId}/selection-decisions/{nominationId}')).toBe(
      'PUT selection-decisions',
    );
    const states = taskStatesOfMachine('nomination');
    const starts = new Map([
      ['AwaitScreening', [100, 150, 900]],
      ['AssignExperts', [300]],
    ]);
    expect(tasksIn({ from: 100, to: 500 }, states, [starts])).toEqual(
      new Map([
        ['await-step', new Map([['AwaitScreening', 2]])],
        ['pipeline-step', new Map([['AssignExperts', 1]])],
      ]),
    );
  });

  it('prints a table by stage and caller, with what each ran there, and one by caller against its floor', () => {
    const callers: Record<string, Tally> = {
      nominations: { TransactWriteItems: op(20, 40, 120, 20), GetItem: op(10) },
      'await-step': { PutItem: op(20, 20, 40) },
    };
    const f = {
      settings: { nominations: 10 },
      stages: [
        {
          name: '1. submission',
          startedAt: 0,
          ms: 1000,
          tally: sumTallies(Object.values(callers)),
          callers,
          routes: { 'POST /api/nominations': 10, 'POST /api/nominations/{id}/submit': 10 },
        },
      ],
      uploads: { seeded: 0 },
      taskStates: taskStatesOfMachine('nomination'),
      sfn: {
        taskInvocations: new Map([['AwaitScreening', 10]]),
        taskStarts: new Map([['AwaitScreening', Array.from({ length: 10 }, (_, i) => 100 * i)]]),
      },
      jobs: { taskInvocations: new Map(), taskStarts: new Map() },
    } as unknown as Figures;
    const lines = callerSection(f);
    expect(lines[0]).toBe('## DynamoDB by caller');
    expect(lines).toContain(
      '| 1. submission | nominations | POST nominations 1.00, POST submit 1.00 | 3.0 | 2.0 | 4.0 | 12.0 | 1.0 | 6.0 |',
    );
    expect(lines).toContain(
      '| 1. submission | await-step | AwaitScreening 1.00 | 2.0 | 2.0 | 2.0 | 4.0 | 0.0 | 0.0 |',
    );
    expect(lines.find((l) => l.startsWith('The floor'))).toContain(
      '3.0 write requests for 2.0 human decisions (POST /api/nominations 1.00, POST /api/nominations/{id}/submit 1.00), 1.0 waiting steps storing their tokens (AwaitScreening 1.00)',
    );
    expect(lines).toContain('| nominations | 3.0 | 2.0 | +1.0 | 2.0 | 2.0 | 0.0 | 12.0 | 2.0 | +10.0 |');
    expect(lines).toContain('| await-step | 2.0 | 1.0 | +1.0 | 2.0 | 1.0 | +1.0 | 4.0 | 1.0 | +3.0 |');
  });
});

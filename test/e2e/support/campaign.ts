import type { LocalCloud } from '../../../infra/local/cloud.js';
import { LocalCloudSeeder } from '../../support/seed.js';

/**
 * What the browser tests do through the local cloud's HTTP API, its mail outbox and its table
 * rather than in the page: the setup no person in the story does (invitations, the other
 * experts' scores), through the people's steps the integration tests take too, and the campaign
 * clock (the end of the publicity period).
 */

export * from '../../support/people.js';

/**
 * The publicity period ends (see LocalCloudSeeder.endPublicity), for a test that holds no seeder
 * of its own.
 */
export async function endPublicity(
  cloud: LocalCloud,
  campaignId: string,
  closesAt = '2000-01-01T00:00:00.000Z',
): Promise<void> {
  const seeder = new LocalCloudSeeder(cloud);
  try {
    await seeder.endPublicity(campaignId, closesAt);
  } finally {
    seeder.destroy();
  }
}

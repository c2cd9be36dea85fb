/**
 * The people of a round as the demo and the benchmark both script them: whom the secretariat
 * invites and how, the links the local outbox delivers, and how an expert marks what they read.
 */

export interface UnitInvitee {
  id: string;
  name: string;
  /** The unit type, one of the campaign's. */
  type: string;
  email: string;
}

export interface ExpertInvitee {
  id: string;
  name: string;
  email: string;
  /** The recommending unit the expert belongs to: Laurel never lets them review its nominations. */
  affiliation?: string;
}

/** The body of `POST /api/invitations` for a unit. */
export const unitInvitation = (unit: UnitInvitee) => ({
  role: 'unit',
  subjectId: unit.id,
  name: unit.name,
  email: unit.email,
  unitType: unit.type,
});

/** The body of `POST /api/invitations` for an expert. */
export const expertInvitation = (expert: ExpertInvitee) => ({
  role: 'expert',
  subjectId: expert.id,
  name: expert.name,
  email: expert.email,
  ...(expert.affiliation ? { affiliation: expert.affiliation } : {}),
});

export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

/** Every mail the local cloud has sent, oldest first, from its outbox. */
export async function readOutbox(mailUrl: string): Promise<Mail[]> {
  const response = await fetch(`${mailUrl.replace(/\/$/, '')}/api/messages`);
  if (!response.ok) throw new Error(`the local outbox answered ${response.status}`);
  return ((await response.json()) as { messages: Mail[] }).messages;
}

/** The first link to `/<path>/index.html#…` in a mail's text ('signin', 'review'), or ''. */
export const linkIn = (text: string, path: string): string =>
  new RegExp(`(http://\\S+/${path}/index\\.html#\\S+)`).exec(text)?.[1] ?? '';

/** The headers that open a review link: its token, never a session. */
export const reviewLinkHeaders = (link: string): Record<string, string> => ({
  'x-laurel-review-link': link.split('#')[1] ?? '',
});

/** What `GET /api/review` shows an expert. */
export interface ReviewView {
  open: boolean;
  /** Null until the expert declared; the materials show only after a declaration of no conflict. */
  declaration: { conflict: string | null } | null;
  nomination: { id: string; category: string; unitName: string };
  rubric: { id: string; maxScore: number; weight: number }[];
}

/** How each expert's marks lean per criterion, so the criteria do not all get the same mark. */
const LEANINGS = [
  [0.5, -0.5, 0, 0],
  [0, 0.5, -0.5, 0],
  [-0.5, 0, 0.5, 0],
  [0, 0, 0.5, -0.5],
] as const;

/**
 * The body of `POST /api/review`: each criterion marked in half points from the nomination's
 * merit (0–10), the expert's bias and their leaning (by their position among the experts),
 * within the criterion's maximum; recommended from 7.5 up; confirmed.
 */
export function expertReview(
  rubric: readonly { id: string; maxScore: number }[],
  merit: number,
  expert: { bias: number; index: number },
) {
  const scores = Object.fromEntries(
    rubric.map((c, k) => {
      const leaning = LEANINGS[expert.index % LEANINGS.length]?.[k] ?? 0;
      return [c.id, Math.max(0, Math.min(c.maxScore, Math.round((merit + expert.bias + leaning) * 2) / 2))];
    }),
  );
  const recommend = merit + expert.bias >= 7.5;
  return {
    scores,
    recommend,
    comment: recommend ? '事迹突出，科技特色鲜明，建议推荐。' : '成效数据偏少，建议补充后再议。',
    confirmed: true,
  };
}

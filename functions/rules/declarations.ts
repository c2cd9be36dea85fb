import * as z from 'zod';
import type { Actor } from './access.js';
import { builtOnFirstUse } from './built-on-first-use.js';
import { CATEGORY_IDS, type CategoryId } from './categories.js';
import { DomainError } from './errors.js';

/**
 * The declarations a unit makes at submission (承诺), as the notice implies them: the materials
 * are objective, accurate and complete (申报材料要客观、准确、完整 — every category), and an
 * organization has no bad record of any kind (无任何不良记录 — asked of the organizations, and of
 * a service site, a community body run the same way). Campaign data, versioned like the privacy
 * notice: the unit confirms the very texts of that version, and the nomination keeps who
 * confirmed which texts, when.
 */

/** A declaration's id: lower-case words joined by hyphens, as campaign data names it. */
const declarationId = builtOnFirstUse(() => z.string().regex(/^[a-z][a-z0-9-]{1,40}$/));

const bilingualText = builtOnFirstUse(() =>
  z.strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) }),
);

export const declarationsSchema = builtOnFirstUse(() =>
  z.strictObject({
    /** Raised with every change of a text: a confirmation names the version it was given under. */
    version: z.int().min(1),
    items: z
      .array(
        z.strictObject({
          id: declarationId(),
          text: bilingualText(),
          categories: z.array(z.enum(CATEGORY_IDS)).min(1),
        }),
      )
      .min(1),
  }),
);
export type Declarations = z.infer<ReturnType<typeof declarationsSchema>>;

/** The declarations of a campaign that states none of its own. */
export const STANDARD_DECLARATIONS: Declarations = {
  version: 1,
  items: [
    {
      id: 'materials-accurate',
      text: {
        zh: '本单位承诺：所报推荐材料客观、真实、准确、完整，涉及国家秘密的已严格遵守保密相关规定',
        en: 'We declare that the materials submitted are objective, true, accurate and complete, and that any state secret was handled under the secrecy rules',
      },
      categories: [...CATEGORY_IDS],
    },
    {
      id: 'no-bad-record',
      text: {
        zh: '本单位承诺：被推荐组织（服务点）运行良好，无任何不良记录',
        en: 'We declare that the nominated organization (service site) runs well and has no bad record of any kind',
      },
      categories: ['organization', 'site'],
    },
  ],
};

/** The declarations a nomination of `category` must confirm. */
export const declarationsFor = (declarations: Declarations, category: CategoryId) =>
  declarations.items.filter((item) => item.categories.includes(category));

/** What the unit sends with its submission: the version read, and the ids of what it confirms. */
export const declarationConfirmationSchema = builtOnFirstUse(() =>
  z
    .strictObject({
      version: z.int().min(1).meta({ title: '承诺版本', 'x-title-en': 'Declarations version' }),
      confirmed: z
        .array(declarationId())
        .max(20)
        .meta({ title: '已确认的承诺', 'x-title-en': 'Declarations confirmed' }),
    })
    .meta({ title: '提交承诺', 'x-title-en': 'Declarations at submission' }),
);
export type DeclarationConfirmation = z.infer<ReturnType<typeof declarationConfirmationSchema>>;

/** The record kept on the nomination: who declared, when, which version, which texts. */
export interface DeclarationRecord {
  version: number;
  items: { id: string; text: { zh: string; en: string } }[];
  confirmedAt: string;
  by: { role: string; subjectId: string; name: string };
}

/**
 * The record of a unit's declarations for a nomination of `category`; a 422 naming the first
 * declaration not confirmed, or the version when the texts changed since the page was opened.
 */
export function declarationRecord(
  declarations: Declarations,
  category: CategoryId,
  confirmation: DeclarationConfirmation | undefined,
  actor: Pick<Actor, 'role' | 'subjectId' | 'name'>,
  at: Date,
): DeclarationRecord {
  const needed = declarationsFor(declarations, category);
  if (confirmation && confirmation.version !== declarations.version) {
    throw new DomainError({
      code: 'DECLARATIONS_STALE',
      kind: 'rule',
      path: ['declarations', 'version'],
      message: {
        zh: `提交承诺已更新为第 ${declarations.version} 版（所确认的是第 ${confirmation.version} 版），请阅读新版本后重新确认`,
        en: `The declarations are now version ${declarations.version} (the confirmation names version ${confirmation.version}); read the new version and confirm again`,
      },
      details: { current: declarations.version, confirmed: confirmation.version },
    });
  }
  const missing = needed.find((item) => !confirmation?.confirmed.includes(item.id));
  if (missing) {
    throw new DomainError({
      code: 'DECLARATION_NOT_CONFIRMED',
      kind: 'rule',
      path: ['declarations', missing.id],
      message: {
        zh: `请先勾选确认提交承诺：“${missing.text.zh}”`,
        en: `Tick and confirm the declaration first: "${missing.text.en}"`,
      },
      details: { declaration: missing.id },
    });
  }
  return {
    version: declarations.version,
    items: needed.map(({ id, text }) => ({ id, text })),
    confirmedAt: at.toISOString(),
    by: { role: actor.role, subjectId: actor.subjectId, name: actor.name },
  };
}

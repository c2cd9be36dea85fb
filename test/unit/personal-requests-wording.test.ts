import { describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { ValidationError } from '../../functions/rules/errors.js';
import type { NominationStatus } from '../../functions/rules/nomination-status.js';
import {
  assertErasable,
  correctedForm,
  correctionNote,
  deletionConsequence,
  personalCorrectionSchema,
} from '../../functions/rules/personal-requests.js';
import { validForms } from '../fixtures/forms.js';

/**
 * What the secretariat reads on a person's requests (functions/rules/personal-requests.ts), word for
 * word in both languages: the refusal of a field that is not the person's own, the audit's note of a
 * correction, what a deletion does before it is done, and who may delete.
 */

const cast = builtinCampaign('cast-2024');

describe('a correction', () => {
  it('refuses every field that is not the person’s own, naming it (or its key, if the form has no such field) and those that are', () => {
    let refusal: ValidationError | undefined;
    try {
      correctedForm('volunteer', validForms.volunteer, { mainDeeds: '改写', awards: '某奖' }, '2025-02-01');
    } catch (error) {
      refusal = error as ValidationError;
    }
    const allowed = {
      zh: '姓名、性别、出生年月、政治面貌、通讯地址、联系方式',
      en: 'Name, Gender, Year and month of birth, Political status, Postal address, Contact phone',
    };
    expect(refusal?.issues).toEqual([
      {
        path: ['fields', 'mainDeeds'],
        code: 'not_personal_field',
        message: {
          zh: `“主要事迹”不是可由秘书处更正的个人信息；可更正：${allowed.zh}`,
          en: `"Main deeds" is not personal information the secretariat corrects; these are: ${allowed.en}`,
        },
      },
      {
        path: ['fields', 'awards'],
        code: 'not_personal_field',
        message: {
          zh: `“awards”不是可由秘书处更正的个人信息；可更正：${allowed.zh}`,
          en: `"awards" is not personal information the secretariat corrects; these are: ${allowed.en}`,
        },
      },
    ]);
    expect(refusal?.messages).toEqual({
      zh: `个人信息更正有 2 处错误：“主要事迹”不是可由秘书处更正的个人信息；可更正：${allowed.zh}`,
      en: `The correction has 2 error(s): "Main deeds" is not personal information the secretariat corrects; these are: ${allowed.en}`,
    });
  });

  it('names the fields a site’s leader may have corrected', () => {
    expect(() => correctedForm('site', validForms.site, { mainDeeds: '改写' }, '2025-02-01')).toThrow(
      expect.objectContaining({
        messages: expect.objectContaining({
          en: 'The correction has 1 error(s): "Main deeds" is not personal information the secretariat corrects; these are: Leader name, Contact phone',
        }),
      }),
    );
  });

  it('asks for at least one field', () => {
    expect(personalCorrectionSchema().safeParse({ version: 1, fields: {} }).success).toBe(false);
    expect(
      personalCorrectionSchema().safeParse({ version: 1, fields: { contact: '13900139000' } }).success,
    ).toBe(true);
  });

  it('is noted in the audit by the fields’ names in both languages, never their values', () => {
    expect(correctionNote('volunteer', ['postalAddress', 'contact'])).toBe(
      '更正：通讯地址、联系方式 / Corrected: Postal address, Contact phone',
    );
    expect(correctionNote('organization', ['teamLeader'])).toBe('更正：队伍负责人 / Corrected: Team leader');
  });
});

describe('what a deletion does, in the words the page shows', () => {
  const texts = (status: NominationStatus) =>
    deletionConsequence(cast, {
      status,
      unitType: 'national-society',
      unitName: '中国天文学会',
      category: 'volunteer',
    }).map((e) => [e.id, e.text.zh, e.text.en]);

  it('for a nominee in publicity: every effect, in both languages', () => {
    expect(texts('in-publicity')).toEqual([
      [
        'withdrawn',
        '被推荐人退出本次活动：此推荐撤回，不再参加评审、择优、公示和发布',
        'The nominee leaves the campaign: the nomination is withdrawn from review, selection, publicity and release',
      ],
      [
        'slot-freed',
        '中国天文学会的推荐名额空出一个，可另行推荐',
        '中国天文学会 gets its place back and may nominate someone else',
      ],
      [
        'execution-ended',
        '此推荐的办理流程立即终止，发给评审专家的评审链接随即失效',
        'Its workflow stops at once, and the review links sent to experts stop working',
      ],
      [
        'reviews-removed',
        '专家的评审意见和评分从排名中移除',
        "The experts' reviews and scores are taken out of the ranking",
      ],
      [
        'public-lists',
        '从公示名单中移除，名单重新发布',
        'Taken off the public notice, which is published again',
      ],
      [
        'files-erased',
        '推荐表中的个人信息，以及 Word 版、盖章扫描件、照片等全部附件（含所有历史版本）被永久删除',
        'The personal fields of the form and every file — Word form, stamped scan, photos, all their stored versions — are erased for good',
      ],
      ['final', '删除后无法恢复', 'This cannot be undone'],
    ]);
  });

  it('for a released nominee: the final list, not the notice', () => {
    expect(texts('released').find(([id]) => id === 'public-lists')).toEqual([
      'public-lists',
      '从已发布的名单中移除，名单重新发布',
      'Taken off the published final list, which is published again',
    ]);
  });
});

describe('who may delete', () => {
  it('refuses a draft, in words, on its status', () => {
    expect(() => assertErasable({ status: 'draft' }, undefined)).toThrow(
      expect.objectContaining({
        code: 'ERASURE_DRAFT',
        path: ['status'],
        messages: {
          zh: '这是推荐单位尚未提交的草稿，由推荐单位自行修改或放弃',
          en: 'This is a draft the unit has not submitted; the unit edits or abandons it itself',
        },
      }),
    );
  });

  it('refuses a forwarded nomination while the parent round keeps its copy, naming that round', () => {
    const forwarded = {
      status: 'forwarded' as const,
      forwardedAs: { campaignId: 'cast-2024', nominationId: 'n-1' },
    };
    expect(() => assertErasable(forwarded, { erased: false, campaignName: cast.name })).toThrow(
      expect.objectContaining({
        code: 'ERASURE_FORWARDED',
        path: ['status'],
        messages: {
          zh: `此推荐已报送${cast.name.zh}，对方保存着自己的一份材料，本单位无法删除。请先请${cast.name.zh}秘书处删除其材料，再在此删除本单位保存的信息`,
          en: `This nomination was forwarded to ${cast.name.en}, which keeps its own copy that you cannot delete. Ask its secretariat to delete theirs first, then delete yours here`,
        },
      }),
    );
  });

  it('lets a nomination that was never forwarded be deleted, whatever a parent round holds', () => {
    expect(() =>
      assertErasable({ status: 'not-selected' }, { erased: false, campaignName: cast.name }),
    ).not.toThrow();
  });
});

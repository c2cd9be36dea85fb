import { describe, expect, it } from 'vitest';
import {
  AttachmentRejectedError,
  CampaignDefinitionError,
  DeadlinePassedError,
  DomainError,
  HonoureeImportError,
  IncompleteAttachmentsError,
  QuotaExceededError,
  ValidationError,
} from '../../functions/rules/errors.js';

/**
 * Each domain error's code, kind (what the HTTP table maps to a status), field and sentence in both
 * languages (functions/rules/errors.ts): a mutation pass found these read by no test but through
 * the use cases that throw them, where only the code was asserted.
 */

const issue = (path: (string | number)[], zh: string, en: string) => ({
  path,
  code: 'x',
  message: { zh, en },
});
const shape = (e: DomainError) => ({
  name: e.name,
  code: e.code,
  kind: e.kind,
  path: e.path,
  messages: e.messages,
  details: e.details,
  message: e.message,
});

describe('the domain errors', () => {
  it('default to no field and no details, and carry their class name', () => {
    const e = new DomainError({ code: 'C', kind: 'conflict', message: { zh: '冲突', en: 'conflict' } });
    expect(shape(e)).toEqual({
      name: 'DomainError',
      code: 'C',
      kind: 'conflict',
      path: [],
      messages: { zh: '冲突', en: 'conflict' },
      details: {},
      message: 'C: conflict',
    });
  });

  it('count a form’s problems and quote the first, on its field', () => {
    const e = new ValidationError([issue(['name'], '必填', 'required'), issue(['phone'], '格式', 'format')]);
    expect(e.issues).toHaveLength(2);
    expect(shape(e)).toMatchObject({
      name: 'ValidationError',
      code: 'VALIDATION_FAILED',
      kind: 'invalid',
      path: ['name'],
      messages: { zh: '表单有 2 处错误：必填', en: 'The form has 2 error(s): required' },
      details: { issues: e.issues },
    });
    const what = new ValidationError([issue(['cursor'], '无效', 'not valid')], {
      zh: '翻页',
      en: 'page request',
    });
    expect(what.messages).toEqual({
      zh: '翻页有 1 处错误：无效',
      en: 'The page request has 1 error(s): not valid',
    });
    // With no issue there is nothing to quote and no field.
    const none = new ValidationError([]);
    expect(none.path).toEqual([]);
    expect(none.messages).toEqual({ zh: '表单有 0 处错误', en: 'The form has 0 error(s)' });
  });

  it('put a quota on the category field and a deadline on none, both as rules', () => {
    const quota = new QuotaExceededError({ zh: '名额已满', en: 'quota used' }, { limit: 2 });
    expect(shape(quota)).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      kind: 'rule',
      path: ['category'],
      details: { limit: 2 },
    });
    const deadline = new DeadlinePassedError({ zh: '已截止', en: 'closed' }, { deadline: 'd' });
    expect(shape(deadline)).toMatchObject({
      name: 'DeadlinePassedError',
      code: 'DEADLINE_PASSED',
      kind: 'rule',
      path: [],
      details: { deadline: 'd' },
    });
    const rejected = new AttachmentRejectedError(
      'ATTACHMENT_TOO_LARGE',
      ['photo'],
      { zh: '太大', en: 'too large' },
      {},
    );
    expect(shape(rejected)).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', kind: 'rule', path: ['photo'] });
  });

  it('list every missing attachment, on the first one’s field or on attachments', () => {
    const issues = [
      issue(['attachments', 'photo'], '照片须 2 份', '2 photos'),
      issue(['attachments', 'scan'], '扫描件须 1 份', '1 scan'),
    ];
    const e = new IncompleteAttachmentsError(issues);
    expect(e.issues).toBe(issues);
    expect(shape(e)).toMatchObject({
      code: 'ATTACHMENTS_INCOMPLETE',
      kind: 'rule',
      path: ['attachments', 'photo'],
      messages: {
        zh: '附件不完整：照片须 2 份；扫描件须 1 份',
        en: 'Attachments are incomplete: 2 photos; 1 scan',
      },
      details: { issues },
    });
    expect(new IncompleteAttachmentsError([]).path).toEqual(['attachments']);
  });

  it('name a campaign definition’s every problem with its path', () => {
    const e = new CampaignDefinitionError('cast-2024', [
      issue(['unitTypes', 0, 'quota'], '须为正数', 'must be positive'),
      issue(['deadline'], '格式', 'format'),
    ]);
    expect(shape(e)).toMatchObject({
      code: 'CAMPAIGN_DEFINITION_INVALID',
      kind: 'invalid',
      path: ['unitTypes', 0, 'quota'],
      messages: {
        zh: '活动定义“cast-2024”无效：unitTypes.0.quota 须为正数；deadline 格式',
        en: 'Campaign definition "cast-2024" is invalid: unitTypes.0.quota must be positive; deadline format',
      },
      details: { issues: [expect.objectContaining({ code: 'x' }), expect.objectContaining({ code: 'x' })] },
    });
    expect(new CampaignDefinitionError('c', []).path).toEqual([]);
  });

  it('count a past-honouree list’s problems and quote the first five', () => {
    const issues = [1, 2, 3, 4, 5, 6].map((n) => issue(['rows', n], `第 ${n} 行`, `row ${n}`));
    const e = new HonoureeImportError(issues);
    expect(shape(e)).toMatchObject({
      code: 'HONOUREE_IMPORT_INVALID',
      kind: 'invalid',
      path: ['rows', 1],
      messages: {
        zh: '往届名单导入失败，共 6 处错误：第 1 行；第 2 行；第 3 行；第 4 行；第 5 行',
        en: 'The past-honouree list could not be imported, 6 error(s): row 1; row 2; row 3; row 4; row 5',
      },
      details: { issues },
    });
    expect(new HonoureeImportError([]).path).toEqual([]);
  });
});

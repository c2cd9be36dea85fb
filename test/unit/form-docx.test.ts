import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { formDocxFileName, renderFormDocx } from '../../functions/documents/form-docx.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { CATEGORY_IDS, type CategoryId } from '../../functions/rules/categories.js';
import type { FormDataByCategory } from '../../functions/rules/forms/index.js';
import { organization, project, site, validForms, volunteer } from '../fixtures/forms.js';

const campaign = builtinCampaign('cast-2024');
const UNIT = '景德镇陶瓷学会';
const PAYLOAD = '<script>alert(1)</script> & "引号"';

async function render<C extends CategoryId>(
  category: C,
  form: FormDataByCategory[C],
  unitName = UNIT,
  opinion?: string,
) {
  const files = unzipSync(
    await renderFormDocx({ campaign, category, form, unitName, ...(opinion ? { opinion } : {}) }),
  );
  const part = (name: string) => strFromU8(files[name] ?? new Uint8Array());
  const document = part('word/document.xml');
  return { document, styles: part('word/styles.xml'), rows: tableRows(document), text: paragraphs(document) };
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The text of each paragraph, tags stripped. */
const paragraphs = (xml: string) => xml.split('</w:p>').map((p) => unescapeXml(p.replace(/<[^>]+>/g, '')));

/** Each table row as its cells' texts (a cell's paragraphs joined by line breaks). */
const tableRows = (xml: string): string[][] =>
  (xml.match(/<w:tr[ >][\s\S]*?<\/w:tr>/g) ?? []).map((row) =>
    (row.match(/<w:tc[ >][\s\S]*?<\/w:tc>/g) ?? []).map((cell) => paragraphs(cell).slice(0, -1).join('\n')),
  );

/** Choices in the fixtures, with the Chinese label the printed form must show instead. */
const CHOICE_LABELS: Record<string, string> = {
  female: '女',
  'cpc-member': '中共党员',
  'science-lectures': '科普讲座',
  'st-training': '科技培训',
  'health-clinics': '健康义诊',
  'tech-help-elderly': '科技助老',
  other: '其他',
};

/** Every value a person typed or chose, as the printed form shows it (declarations aside). */
function printedValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(printedValues);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(printedValues);
  if (typeof value === 'number') return [String(value)];
  if (typeof value !== 'string') return [];
  const date = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (date) return [`${date[1]}年${Number(date[2])}月${date[3] ? `${Number(date[3])}日` : ''}`];
  return [CHOICE_LABELS[value] ?? value];
}

describe('renderFormDocx', () => {
  it.each(CATEGORY_IDS)('prints every field value of the valid %s form in the table', async (category) => {
    const { rows } = await render(category, validForms[category]);
    const cells = rows.flat();
    for (const expected of printedValues(validForms[category])) {
      const found = /^\d+(\.\d+)?$/.test(expected)
        ? cells.some((c) => c === expected || c === `${expected}%`)
        : cells.some((c) => c.includes(expected));
      expect(found, `${category}: ${expected}`).toBe(true);
    }
  });

  it.each(CATEGORY_IDS)(
    'titles the %s table as the official form and names the unit before its stamp',
    async (category) => {
      const { text, rows } = await render(category, validForms[category]);
      expect(text[0]).toMatch(/^“.+”.*推荐表$/);
      expect(rows.at(-1)?.[0]).toMatch(
        new RegExp(`^推荐单位意见：\\n推荐单位：${UNIT}（盖章）\\n年\\s+月\\s+日$`),
      );
    },
  );

  it("prints a society's opinion (推荐意见) above its own name and stamp, line by line", async () => {
    const { rows } = await render(
      'volunteer',
      validForms.volunteer,
      '中国工艺美术学会',
      '该同志扎根基层一线二十年。\n同意推荐。',
    );
    expect(rows.at(-1)?.[0]).toMatch(
      /^推荐单位意见：\n该同志扎根基层一线二十年。\n同意推荐。\n推荐单位：中国工艺美术学会（盖章）\n年\s+月\s+日$/,
    );
  });

  it('makes the stamp block one row at least 4 cm tall that never breaks across pages', async () => {
    const { document } = await render('volunteer', validForms.volunteer);
    const lastRow = document.slice(document.lastIndexOf('<w:tr>'), document.lastIndexOf('</w:tr>'));
    expect(lastRow).toContain('推荐单位意见');
    expect(lastRow).toContain('<w:cantSplit/>');
    const height = /<w:trHeight w:val="(\d+)" w:hRule="atLeast"\/>/.exec(lastRow);
    expect(Number(height?.[1])).toBeGreaterThanOrEqual(2268); // 4 cm in twips
  });

  it('lays the volunteer table out in the official order: label | value rows, then the full-width rows', async () => {
    const { rows } = await render('volunteer', volunteer({ mainDeeds: '第一段\n第二段\r\n\n第四段' }));
    expect(rows.filter((r) => r.length === 2).map((r) => r[0])).toEqual([
      '姓名',
      '性别',
      '出生年月',
      '政治面貌',
      '通讯地址',
      '联系方式',
      '所在科技志愿服务组织',
      '主要服务项目',
      '何时起参加科技志愿服务活动',
      '参加科技志愿服务活动次数',
    ]);
    const fullWidth = rows.filter((r) => r.length === 1).map((r) => r[0]);
    expect(fullWidth[0]).toBe('主要事迹（不超过 1000 字）：\n第一段\n第二段\n\n第四段');
    expect(fullWidth[1]).toMatch(
      /^被推荐人照片（2—3 张，半身照、生活照、工作照均可，每张照片大小不低于 1M、不超过 3M）\n.*单独/,
    );
  });

  it('shows choice labels and Chinese dates, never ids or ISO dates', async () => {
    const { document, rows } = await render('volunteer', validForms.volunteer);
    expect(rows).toContainEqual(['性别', '女']);
    expect(rows).toContainEqual(['政治面貌', '中共党员']);
    expect(rows).toContainEqual(['出生年月', '1978年5月']);
    expect(rows).toContainEqual(['何时起参加科技志愿服务活动', '2015年3月']);
    expect(document).not.toMatch(/female|cpc-member|1978-05/);
    const organizationRows = (await render('organization', validForms.organization)).rows;
    expect(organizationRows).toContainEqual(['成立时间', '2018年6月']);
  });

  it('prints shares with % and lists as Chinese text with their notes', async () => {
    const org = await render(
      'organization',
      organization({
        regularProjects: [
          { name: '非遗进校园', brand: true },
          { name: '匠心助农', brand: false },
        ],
      }),
    );
    expect(org.rows).toContainEqual(['经常参与科技志愿服务志愿者占组织中志愿者人数比例', '75%']);
    expect(org.rows).toContainEqual(['经常开展的科技志愿服务项目', '非遗进校园（品牌项目）、匠心助农']);

    const teams = [
      { name: '陶艺科普队', registeredOnDaMei: true },
      { name: '健康义诊队', registeredOnDaMei: false },
    ];
    const siteDoc = await render('site', site({ teams }));
    expect(siteDoc.rows).toContainEqual(['服务点名称', '江西省 景德镇市 珠山区 新村街道 陶溪川社区']);
    expect(siteDoc.rows).toContainEqual(['注册科技志愿者人数占社区常住人口的比例', '7.5%']);
    expect(siteDoc.rows).toContainEqual([
      '经常开展的科技志愿服务活动类别',
      '科普讲座、科技培训、健康义诊、科技助老、其他：陶瓷工艺体验',
    ]);
    expect(siteDoc.rows).toContainEqual([
      '组建的科技志愿服务队',
      '陶艺科普队（已在“大美志愿”注册）、健康义诊队（未在“大美志愿”注册）',
    ]);
    expect(siteDoc.document).not.toMatch(/science-lectures|registeredOnDaMei|"other"/);
  });

  it('prints nothing the official table lacks: no 补充声明, no 大美志愿 declaration of a project', async () => {
    for (const form of [validForms.project, project({ teamRegisteredOnDaMei: false })]) {
      const { text } = await render('project', form);
      expect(text.join('')).not.toMatch(/补充声明|大美志愿/);
    }
  });

  it('prints a typed script and XML specials as text, escaped in the XML', async () => {
    const { document, rows } = await render('volunteer', volunteer({ postalAddress: PAYLOAD }), PAYLOAD);
    expect(rows).toContainEqual(['通讯地址', PAYLOAD]);
    expect(rows.at(-1)?.[0]).toContain(`推荐单位：${PAYLOAD}（盖章）`);
    expect(document).not.toContain('<script>');
    expect(document).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp;');
  });

  it('sets 宋体 for East-Asian text, a bold larger title, and an A4 page with 2.5 cm margins', async () => {
    const { document, styles } = await render('site', validForms.site);
    expect(styles).toMatch(/<w:rPrDefault><w:rPr><w:rFonts [^>]*w:eastAsia="宋体"/);
    const runFonts = document.match(/<w:rFonts [^>]*\/>/g) ?? [];
    expect(runFonts.length).toBeGreaterThan(20);
    for (const fonts of runFonts) expect(fonts).toContain('w:eastAsia="宋体"');
    const title = document.slice(document.indexOf('<w:body>'), document.indexOf('</w:p>'));
    expect(title).toContain('<w:b/>');
    expect(title).toContain('<w:sz w:val="36"/>');
    expect(document).toMatch(/<w:pgSz [^>]*w:w="11906" w:h="16838"/);
    expect(document).toMatch(/<w:pgMar [^>]*w:top="1417" w:right="1417" w:bottom="1417" w:left="1417"/);
  });
});

describe('formDocxFileName', () => {
  it('names the file by category, nominee and unit, never by an id, and safe on every file system', () => {
    expect(formDocxFileName('volunteer', '周丽华', '景德镇陶瓷大学')).toBe(
      '最美科技志愿者-周丽华（景德镇陶瓷大学）.docx',
    );
    expect(formDocxFileName('site', '', '江西省科协')).toBe(
      '最美科技志愿服务点（社区或村）-推荐表（江西省科协）.docx',
    );
    expect(formDocxFileName('project', 'a/b:c', 'x\\y')).toBe('最佳科技志愿服务项目-a b c（x y）.docx');
  });
});

import { strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  buildForwardingZip,
  type ForwardingEntry,
  type ForwardingFile,
  NAME_MAX,
  safeName,
} from '../../functions/documents/forwarding-zip.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';

const campaign = builtinCampaign('cast-2024');
const summaryXlsx = strToU8('summary');

const file = (kind: ForwardingFile['kind'], ext: string, content = `${kind}.${ext}`): ForwardingFile => ({
  kind,
  ext,
  bytes: strToU8(content),
});

const entry = (over: Partial<ForwardingEntry>): ForwardingEntry => ({
  category: 'volunteer',
  rank: 1,
  displayName: '李晓梅',
  unitName: '景德镇陶瓷学会',
  files: [file('word', 'docx'), file('scan', 'pdf'), file('photo', 'jpg'), file('photo', 'png')],
  ...over,
});

const names = (zip: Uint8Array) => Object.keys(unzipSync(zip)).sort();

/** Each entry of the central directory, read from the raw bytes: name, flags, DOS time and local header. */
function centralDirectory(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const entries: { name: string; flags: number; localFlags: number; time: number; date: number }[] = [];
  let at = view.getUint32(end + 16, true);
  for (let i = view.getUint16(end + 10, true); i > 0; i--) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    entries.push({
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
      flags: view.getUint16(at + 8, true),
      localFlags: view.getUint16(local + 6, true),
      time: view.getUint16(at + 12, true),
      date: view.getUint16(at + 14, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

describe('buildForwardingZip', () => {
  it('lays the package out in readable Chinese folders: summary, then category, then rank and name', async () => {
    const zip = await buildForwardingZip({
      campaign,
      summaryXlsx,
      entries: [
        entry({
          category: 'site',
          displayName: '陶溪川社区',
          unitName: '江西省科协',
          files: [file('word', 'docx')],
        }),
        entry({ rank: 2, displayName: '张伟', files: [file('scan', 'PDF')] }),
        entry({}),
      ],
    });
    expect(names(zip)).toEqual(
      [
        '2024年度科技志愿服务先进典型宣传活动/汇总表.xlsx',
        '2024年度科技志愿服务先进典型宣传活动/01 最美科技志愿者/01 李晓梅（景德镇陶瓷学会）/推荐表.docx',
        '2024年度科技志愿服务先进典型宣传活动/01 最美科技志愿者/01 李晓梅（景德镇陶瓷学会）/盖章扫描件.pdf',
        '2024年度科技志愿服务先进典型宣传活动/01 最美科技志愿者/01 李晓梅（景德镇陶瓷学会）/照片1.jpg',
        '2024年度科技志愿服务先进典型宣传活动/01 最美科技志愿者/01 李晓梅（景德镇陶瓷学会）/照片2.png',
        '2024年度科技志愿服务先进典型宣传活动/01 最美科技志愿者/02 张伟（景德镇陶瓷学会）/盖章扫描件.pdf',
        '2024年度科技志愿服务先进典型宣传活动/04 最美科技志愿服务点（社区或村）/01 陶溪川社区（江西省科协）/推荐表.docx',
      ].sort(),
    );
  });

  it('stores every file byte for byte', async () => {
    const files = unzipSync(await buildForwardingZip({ campaign, summaryXlsx, entries: [entry({})] }));
    expect(files['2024年度科技志愿服务先进典型宣传活动/汇总表.xlsx']).toEqual(summaryXlsx);
    expect(
      files['2024年度科技志愿服务先进典型宣传活动/01 最美科技志愿者/01 李晓梅（景德镇陶瓷学会）/照片2.png'],
    ).toEqual(strToU8('photo.png'));
  });

  it('flags every entry name as UTF-8 (bit 11) in the central directory and the local headers', async () => {
    const entries = centralDirectory(
      await buildForwardingZip({ campaign, summaryXlsx, entries: [entry({})] }),
    );
    expect(entries).toHaveLength(5);
    for (const e of entries) {
      expect(e.flags & 0x0800, e.name).toBe(0x0800);
      expect(e.localFlags & 0x0800, e.name).toBe(0x0800);
    }
  });

  it('dates every file in China time, whatever the server zone', async () => {
    const generatedAt = new Date('2025-02-20T02:30:00Z'); // 10:30 in Beijing
    const [first] = centralDirectory(
      await buildForwardingZip({ campaign, summaryXlsx, entries: [], generatedAt }),
    );
    expect(first && { hour: first.time >> 11, minute: (first.time >> 5) & 63 }).toEqual({
      hour: 10,
      minute: 30,
    });
    expect(
      first && { year: (first.date >> 9) + 1980, month: (first.date >> 5) & 15, day: first.date & 31 },
    ).toEqual({
      year: 2025,
      month: 2,
      day: 20,
    });
  });

  it('keeps hostile names inside their folder', async () => {
    const zip = await buildForwardingZip({
      campaign,
      summaryXlsx,
      entries: [
        entry({
          displayName: '../../etc/passwd',
          unitName: 'a\\b:c*?"<>|.txt',
          files: [file('scan', '../x')],
        }),
      ],
    });
    for (const name of names(zip)) {
      expect(name.startsWith('2024年度科技志愿服务先进典型宣传活动/')).toBe(true);
      for (const segment of name.split('/')) {
        expect(segment).not.toBe('');
        expect(segment).not.toMatch(/^\.|\.\.|[\\:*?"<>|]/);
      }
    }
    expect(names(zip)).toContain(
      '2024年度科技志愿服务先进典型宣传活动/01 最美科技志愿者/01 etc passwd（a b c .txt）/盖章扫描件.x',
    );
  });

  it('makes clashing names unique, as Windows compares them (ignoring case)', async () => {
    const zip = await buildForwardingZip({
      campaign,
      summaryXlsx,
      entries: [
        entry({ displayName: 'Li Na', files: [file('word', 'docx'), file('word', 'DOCX')] }),
        entry({ displayName: 'LI NA' }),
      ],
    });
    const folder = '2024年度科技志愿服务先进典型宣传活动/01 最美科技志愿者';
    expect(names(zip).filter((n) => n.includes('推荐表'))).toEqual([
      `${folder}/01 LI NA（景德镇陶瓷学会）（2）/推荐表.docx`,
      `${folder}/01 Li Na（景德镇陶瓷学会）/推荐表.docx`,
      `${folder}/01 Li Na（景德镇陶瓷学会）/推荐表（2）.docx`,
    ]);
  });
});

describe('safeName', () => {
  it('removes path separators, .., characters Windows forbids and invisible characters', async () => {
    expect(safeName('../../etc/passwd')).toBe('etc passwd');
    expect(safeName('a\\b:c*?.txt')).toBe('a b c .txt');
    expect(safeName('李\u0000晓\u202Egpj.exe')).toBe('李晓gpj.exe');
    expect(safeName('  王\t\t 芳  ')).toBe('王 芳');
    expect(safeName('report. ')).toBe('report');
  });

  it('avoids names Windows reserves for devices, and empty names', async () => {
    expect(safeName('CON')).toBe('_CON');
    expect(safeName('nul.txt')).toBe('_nul.txt');
    expect(safeName('/..\\')).toBe('未命名');
  });

  it(`caps a name at ${NAME_MAX} characters, counting a Chinese character or an emoji as one`, () => {
    const long = '科'.repeat(30) + '😀'.repeat(30);
    const capped = safeName(long);
    expect(Array.from(capped)).toHaveLength(NAME_MAX);
    expect(capped.endsWith('😀…')).toBe(true);
    expect(safeName('短名称')).toBe('短名称');
  });
});

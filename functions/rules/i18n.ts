/** Every message a person may read is given in both languages the campaign works in. */
export interface Bilingual {
  zh: string;
  en: string;
}

export const bilingual = (zh: string, en: string): Bilingual => ({ zh, en });

/**
 * A mail's two parts from one list of lines: the text, and HTML in which every line is escaped
 * text. Only a line given as `{ link }` (a URL Laurel made) becomes an anchor. Every other line
 * may hold what a person typed (a nominee's name, a reason), and mail clients turn anything that
 * looks like an address into a link on their own — in the text part and in HTML alike — so those
 * lines are made inert first: "http://" becomes "http[:]//" and the dots of anything shaped like
 * a domain become "[.]" (the usual way to quote an address so that it cannot be followed). A URL
 * typed as a name therefore never sits clickable beside the review link.
 */
export type MailLine = string | { link: string };

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const SCHEME = /\b([a-z][a-z0-9+.-]*):\/\//gi;
/** A dot inside a domain-like run: a label character on its left, a label of two or more characters, one a letter, on its right. */
const DOMAIN_DOT = /(?<=[\p{L}\p{N}-])\.(?=(?=[\p{L}\p{N}-]*\p{L})[\p{L}\p{N}-]{2,})/gu;

/** Text with nothing a mail client would make into a link: schemes and domain dots defanged. */
export function inert(text: string): string {
  return text.replace(SCHEME, '$1[:]//').replace(DOMAIN_DOT, '[.]');
}

export function mailBody(lines: readonly MailLine[]): { text: string; html: string } {
  const text = lines.map((l) => (typeof l === 'string' ? inert(l) : l.link)).join('\n');
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) paragraphs.push(`<p>${current.join('<br>\n')}</p>`);
    current = [];
  };
  for (const line of lines) {
    if (line === '') flush();
    else if (typeof line === 'string') current.push(escapeHtml(inert(line)));
    else current.push(`<a href="${escapeHtml(line.link)}">${escapeHtml(line.link)}</a>`);
  }
  flush();
  const html = `<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:sans-serif;line-height:1.5">\n${paragraphs.join('\n')}\n</body></html>`;
  return { text, html };
}

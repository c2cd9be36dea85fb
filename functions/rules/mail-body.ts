/**
 * A mail's two parts from one list of lines: the text as is, and HTML in which every line is
 * escaped text. Only a line given as `{ link }` (a URL Laurel made) becomes an anchor; text a
 * person typed (names, reasons) is never turned into a link.
 */
export type MailLine = string | { link: string };

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function mailBody(lines: readonly MailLine[]): { text: string; html: string } {
  const text = lines.map((l) => (typeof l === 'string' ? l : l.link)).join('\n');
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) paragraphs.push(`<p>${current.join('<br>\n')}</p>`);
    current = [];
  };
  for (const line of lines) {
    if (line === '') flush();
    else if (typeof line === 'string') current.push(escapeHtml(line));
    else current.push(`<a href="${escapeHtml(line.link)}">${escapeHtml(line.link)}</a>`);
  }
  flush();
  const html = `<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:sans-serif;line-height:1.5">\n${paragraphs.join('\n')}\n</body></html>`;
  return { text, html };
}

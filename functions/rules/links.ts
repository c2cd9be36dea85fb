/**
 * The links Laurel mails or prints: the one place that shapes them. Each opens a page of the web
 * app at a file key of the built site (`<page>/index.html`, emitted by web/vite.config.ts), so it
 * resolves from a private S3 bucket as it is (S3's REST endpoint has no index documents and the
 * China regions' CloudFront has no functions to rewrite `/signin/` to a file). The token stays in
 * the fragment, which browsers never send to a server or log.
 */

/** The pages a mailed or printed link opens; the web build emits `<page>/index.html` for each. */
export const LINKED_PAGES = ['signin', 'review', 'unit', 'secretariat'] as const;
export type LinkedPage = (typeof LINKED_PAGES)[number];

/** The file key of a linked page in the built site (no leading slash): `signin/index.html`. */
export const linkedPageFile = (page: LinkedPage) => `${page}/index.html`;

/** `https://site/<page>/index.html#<token>`; `webUrl` without a trailing slash. */
export const pageLink = (webUrl: string, page: LinkedPage, token: string) =>
  `${webUrl}/${linkedPageFile(page)}#${token}`;

/** A personal sign-in link (invitations, `npm run invite`, the local start). */
export const signInLink = (webUrl: string, token: string) => pageLink(webUrl, 'signin', token);

/** An expert's review link for one assignment. */
export const reviewLink = (webUrl: string, token: string) => pageLink(webUrl, 'review', token);

/** A page of the app without a token: `https://site/<page>/index.html`; the person signs in there if need be. */
export const appPageLink = (webUrl: string, page: Extract<LinkedPage, 'unit' | 'secretariat'>) =>
  `${webUrl}/${linkedPageFile(page)}`;

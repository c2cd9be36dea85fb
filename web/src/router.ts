import { signal } from '@preact/signals';
import { pagePath } from './paths.js';

export { match, pagePath } from './paths.js';

/** The current page's path; the app re-renders when it changes. */
export const currentPath = signal(pagePath(location.pathname));

/** Goes to a path inside the app without reloading. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  currentPath.value = pagePath(location.pathname);
  window.scrollTo(0, 0);
}

addEventListener('popstate', () => {
  currentPath.value = pagePath(location.pathname);
});

/**
 * Links are plain <a href> (keyboard, middle click and "open in new tab" work as people
 * expect); a left click on a link inside the app routes without reloading the page.
 */
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname === location.pathname && url.hash) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});

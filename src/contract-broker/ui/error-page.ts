/** A refused /ui request as a page (the API's JSON errors, said for people). */
import { html } from './html';
import { page } from './layout';

export function errorPage(status: number, errors: Readonly<Record<string, readonly string[]>>): string {
  const title = status === 404 ? 'Not found' : `Error ${status}`;
  return page(
    title,
    html`${Object.values(errors)
        .flat()
        .map((message) => html`<p>${message}</p>`)}
      <p><a href="/ui">Back to the integrations</a></p>`,
  ).text;
}

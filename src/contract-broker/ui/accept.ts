/** Content negotiation for `/`: HTML only when the Accept header ranks text/html above every JSON type. */

function quality(accept: string, type: string): number {
  const [major] = type.split('/');
  let best = -1;
  let q = 0;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const specificity = range === type ? 3 : range === `${major ?? ''}/*` ? 2 : range === '*/*' ? 1 : 0;
    if (specificity === 0 || specificity < best) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    best = specificity;
    q = Number.isFinite(value) ? value : 0;
  }
  return q;
}

/** True for browsers (text/html,…,*\/*;q=0.8); false for API clients, curl (*\/*) and no header: ties go to HAL JSON. */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return false;
  const html = quality(accept, 'text/html');
  return html > 0 && html > quality(accept, 'application/hal+json') && html > quality(accept, 'application/json');
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, seedOrg, type TestOrg, testApp } from '../../test/support/app.js';
import { openTestStore } from '../../test/support/stores.js';
import type { Api } from '../kernel/http/build-app.js';

const ATTACK = '<script>alert(1)</script> [x](javascript:alert(2)) **b** | c';

describe('the summary sheet with hostile text in every place users write', () => {
  let app: Api;
  let close: () => Promise<void>;
  let org: TestOrg;
  let handoffId: string;

  beforeAll(async () => {
    const store = await openTestStore('sqlite');
    const made = await testApp(store);
    app = made.app;
    close = async () => {
      await app.close();
      await store.close();
    };
    org = await seedOrg(made.deps, 'Hostile Co');
    const sales = call(app, org.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: `Acct ${ATTACK}` });
    const engagement = await sales('POST', '/api/v1/engagements', {
      account_id: account.body.id,
      name: `Eng ${ATTACK}`,
    });
    const handoff = await sales('POST', '/api/v1/handoffs', {
      engagement_id: engagement.body.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      title: `# Title ${ATTACK}`,
      packet: {
        goal: { client_goal: `${ATTACK}\n# Heading\n> quote\n1. list\n---\n<img src=x onerror=alert(3)>` },
        scope: { in_scope: [ATTACK, '- nested'], out_of_scope: ['|a|b|'] },
        people: { buyer: { name: `Bea ${ATTACK}`, email: 'bea@client.test' } },
        promises: { promises: [{ text: `${ATTACK}\nsecond line`, made_by: '| Sam |', in_contract: true }] },
      },
    });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    handoffId = handoff.body.id;
  });
  afterAll(async () => close());

  it('answers Markdown in which no user text opens a tag, link, emphasis, heading or table cell', async () => {
    const res = await call(app, org.operations)('GET', `/api/v1/handoffs/${handoffId}/summary?format=md`);
    expect(res.status).toBe(200);
    expect(res.raw.headers['content-type']).toBe('text/markdown; charset=utf-8');
    const md = res.raw.body;
    expect(md).not.toContain('<');
    expect(md).not.toMatch(/[^\\]\]\(/);
    expect(md).not.toMatch(/(^|[^\\])\*\*b/);
    expect(md).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:alert(2)) \\*\\*b\\*\\* \\| c',
    );
    // The only headings are the sheet's own; a multi-line answer stays inside its quote.
    expect(md.split('\n').filter((l) => l.startsWith('#'))).toEqual([
      expect.stringMatching(/^# \\# Title /),
      "## The client's goal",
      '## Scope',
      '## Promises',
      '## People',
    ]);
    expect(md).toContain(
      '> \\# Heading\n> &gt; quote\n> 1\\. list\n> \\---\n> &lt;img src=x onerror=alert(3)&gt;',
    );
    // Every row of the promises table has the header's four cells: no user text adds a column.
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.replaceAll('\\|', '').split('|').length - 2, row).toBe(4);
  });

  it('answers HTML in which no user text opens a tag, and which may run no script', async () => {
    const res = await call(app, org.operations)('GET', `/api/v1/handoffs/${handoffId}/summary`);
    expect(res.status).toBe(200);
    expect(res.raw.body).not.toMatch(/<script|<img|javascript:alert\(2\)"/i);
    expect(res.raw.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.raw.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.raw.headers['x-content-type-options']).toBe('nosniff');
  });
});

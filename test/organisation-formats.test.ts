import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, openTestStore, sealAll } from './support/stores.js';

describe.each(DIALECTS)('organisation formats on %s', (dialect) => {
  let store: Store;
  let app: Api;
  let org: TestOrg;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    const built = await testApp(store);
    app = built.app;
    org = await seedOrg(built.deps, 'Formats');
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('starts at en-GB and EUR, as /me says', async () => {
    const me = await call(app, org.viewer)('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.organisation).toMatchObject({ locale: 'en-GB', currency: 'EUR' });
  });

  it('lets an admin change them, in canonical spelling, audited', async () => {
    const put = await call(app, org.admin)('PUT', '/api/v1/organisation/formats', {
      locale: 'de-de',
      currency: 'chf',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual({ locale: 'de-DE', currency: 'CHF', brand_color: null });
    const me = await call(app, org.sales)('GET', '/api/v1/me');
    expect(me.body.organisation).toMatchObject({ locale: 'de-DE', currency: 'CHF' });
    await sealAll(store);
    const audit = await call(app, org.admin)('GET', '/api/v1/audit?limit=1000');
    const entry = (audit.body.items as Json[]).find((e) => e.action === 'organisation.formats_updated');
    expect(entry).toMatchObject({
      before: { locale: 'en-GB', currency: 'EUR' },
      after: { locale: 'de-DE', currency: 'CHF' },
    });
  });

  it('keeps the brand colour the client portal is drawn in, until an admin changes it', async () => {
    const admin = call(app, org.admin);
    const set = await admin('PUT', '/api/v1/organisation/formats', {
      locale: 'de-DE',
      currency: 'CHF',
      brand_color: '#0B7A4B',
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.brand_color).toBe('#0b7a4b');
    // Absent from a change: left as it is.
    const kept = await admin('PUT', '/api/v1/organisation/formats', { locale: 'de-DE', currency: 'EUR' });
    expect(kept.body).toEqual({ locale: 'de-DE', currency: 'EUR', brand_color: '#0b7a4b' });
    expect((await call(app, org.viewer)('GET', '/api/v1/me')).body.organisation.brand_color).toBe('#0b7a4b');
    const bad = await admin('PUT', '/api/v1/organisation/formats', {
      locale: 'de-DE',
      currency: 'EUR',
      brand_color: 'green',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(['/brand_color']);
    expect(
      (
        await admin('PUT', '/api/v1/organisation/formats', {
          locale: 'de-DE',
          currency: 'CHF',
          brand_color: null,
        })
      ).body.brand_color,
    ).toBeNull();
  });

  it('refuses an unknown locale and a code that is not ISO 4217, naming both', async () => {
    const bad = await call(app, org.admin)('PUT', '/api/v1/organisation/formats', {
      locale: 'xx-YY',
      currency: 'XYZ',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(['/locale', '/currency']);
    const malformed = await call(app, org.admin)('PUT', '/api/v1/organisation/formats', {
      locale: 'en_GB',
      currency: 'EUR',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e: Json) => e.path)).toEqual(['/locale']);
  });

  it('refuses anyone but an admin', async () => {
    const refused = await call(app, org.operations)('PUT', '/api/v1/organisation/formats', {
      locale: 'fr-FR',
      currency: 'EUR',
    });
    expect(refused.status).toBe(403);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { CLOSEOUT_FILES_PLAYBOOK } from './support/closeout-playbook.js';
import { DIALECTS, openTestStore } from './support/stores.js';

const pdf = (text: string) => Buffer.from(`%PDF-1.7\n% ${text}\n`);

describe.each(DIALECTS)('file fields on %s', (dialect) => {
  let app: Api;
  let close: () => Promise<void>;
  let a: TestOrg;
  let b: TestOrg;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    const made = await testApp(store);
    app = made.app;
    close = async () => {
      await app.close();
      await store.close();
    };
    a = await seedOrg(made.deps, 'Integrator A');
    b = await seedOrg(made.deps, 'Integrator B');
    for (const org of [a, b]) {
      const uploaded = await call(app, org.admin)('POST', '/api/v1/playbooks', {
        source: CLOSEOUT_FILES_PLAYBOOK,
      });
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    }
  });
  afterAll(async () => close());

  const engagement = async (org: TestOrg) => {
    const ops = call(app, org.operations);
    const account = await ops('POST', '/api/v1/accounts', { name: 'Harbour Clinic' });
    return (await ops('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'Fit-out' })).body
      .id as string;
  };
  const uploadTo = async (org: TestOrg, engagementId: string, name: string, bytes: Buffer) => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/engagements/${engagementId}/files?name=${encodeURIComponent(name)}&tag=as_built`,
      headers: { authorization: `Bearer ${org.operations}`, 'content-type': 'application/pdf' },
      payload: bytes,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as Json;
  };
  const draft = async (org: TestOrg, engagementId: string, packet: Json) => {
    const res = await call(app, org.operations)('POST', '/api/v1/handoffs', {
      engagement_id: engagementId,
      playbook: 'closeout-files',
      transition: 'delivery-to-service',
      packet,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  it('submits a packet whose file field names a version of one of the engagement’s files', async () => {
    const id = await engagement(a);
    const file = await uploadTo(a, id, 'As-built floor 2', pdf('v1'));
    await uploadTo(a, id, 'As-built floor 2', pdf('v2'));
    const handoff = await draft(a, id, { closeout: { as_built: { file_id: file.id, version: 1 } } });
    const readiness = await call(app, a.operations)('GET', `/api/v1/handoffs/${handoff}/readiness`);
    expect(readiness.body).toMatchObject({ ready: true });
    const submitted = await call(app, a.operations)('POST', `/api/v1/handoffs/${handoff}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.packet.closeout.as_built).toEqual({ file_id: file.id, version: 1 });
    const sheet = await app.inject({
      method: 'GET',
      url: `/api/v1/handoffs/${handoff}/summary?format=md`,
      headers: { authorization: `Bearer ${a.viewer}` },
    });
    expect(sheet.statusCode).toBe(200);
    expect(sheet.body).toContain('As-built floor 2, version 1');
  });

  it('refuses a version the file does not have, another engagement’s file, and a value of the wrong shape', async () => {
    const id = await engagement(a);
    const mine = await uploadTo(a, id, 'As-built', pdf('mine'));
    const elsewhere = await uploadTo(a, await engagement(a), 'As-built', pdf('elsewhere'));
    const foreign = await uploadTo(b, await engagement(b), 'As-built', pdf('theirs'));
    const handoff = await draft(a, id, {
      closeout: {
        as_built: { file_id: mine.id, version: 2 },
        network_map: { file_id: elsewhere.id, version: 1 },
      },
    });
    const submit = await call(app, a.operations)('POST', `/api/v1/handoffs/${handoff}/submit`);
    expect(submit.status).toBe(422);
    expect(submit.body.errors).toEqual([
      {
        path: '/packet/closeout/as_built',
        code: 'unknown_file',
        message: 'As-built drawings names version 2 of a file this engagement does not have',
      },
      {
        path: '/packet/closeout/network_map',
        code: 'unknown_file',
        message: 'Network map names version 1 of a file this engagement does not have',
      },
    ]);
    const other = await draft(a, await engagement(a), {
      closeout: { as_built: { file_id: foreign.id, version: 1 } },
    });
    const readiness = await call(app, a.operations)('GET', `/api/v1/handoffs/${other}/readiness`);
    expect(readiness.body.issues).toEqual([
      expect.objectContaining({ path: '/packet/closeout/as_built', code: 'unknown_file' }),
    ]);
    const shape = await call(app, a.operations)('POST', '/api/v1/handoffs', {
      engagement_id: await engagement(a),
      playbook: 'closeout-files',
      transition: 'delivery-to-service',
      packet: { closeout: { as_built: 'drawings are in SharePoint' } },
    });
    expect(shape.status).toBe(400);
    expect(shape.body.errors).toEqual([
      expect.objectContaining({
        path: '/packet/closeout/as_built',
        message: expect.stringContaining('a file of the engagement ({ file_id, version })'),
      }),
    ]);
  });
});
